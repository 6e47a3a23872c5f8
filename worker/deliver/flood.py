"""Flood control: past a route's burst budget, the rest of the window goes in one summary per destination.

A route with `burst: 10 per 5m` sends at most 10 single messages to each
destination in each 5-minute window (windows aligned on the clock, the same
periods digests use). Each alert takes a number in its route's, destination's
and window's count, in Redis, so every deliver replica shares the budget;
the number is kept per alert id, so a batch read again after a crash gets
the same numbers and the same decisions, even when it is read again in a
later window (a window's count must not take the same alert twice). Alerts numbered past the budget go
to the digest store as a flood period, which the digest flusher sends when
the window closes, headed "flood: N more alerts on route X, summarised every
5 minutes". Nothing is dropped: each alert is sent, or in exactly one summary.

Routes that already send digests have no use for a budget and ignore it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from worker.clients.redis import Redis
from worker.config.models import Burst
from worker.deliver.digest import Digests
from worker.deliver.ledger import Ledger
from worker.logs import get_logger
from worker.records import Alert, Digest

log = get_logger(__name__)

# KEYS: the window's count, the alert's number. ARGV: ttl. Returns the alert's number in its window,
# from 1: the number it took the first time, in whichever window that was.
_NUMBER = """
local n = redis.call('get', KEYS[2])
if n then return tonumber(n) end
n = redis.call('hincrby', KEYS[1], '#', 1)
redis.call('expire', KEYS[1], ARGV[1])
redis.call('set', KEYS[2], n, 'EX', ARGV[1])
return n
"""


class FloodControl:
    def __init__(self, store: Redis, digests: Digests, ledger: Ledger,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.digests = digests
        self.ledger = ledger
        self.clock = clock
        self._number = store.script(_NUMBER)

    def admit(self, alert: Alert, destination: str, burst: Burst | None) -> bool:
        """True: send the alert now; False: it is in (or already went out in) the window's summary.
        `burst` is the route's budget in the batch's config (none: no budget)."""
        if burst is None:
            return True
        start = math.floor(self.clock() / burst.per) * burst.per
        key = self.store.keys.flood(alert.route, destination, f"{start:.0f}")
        numbered = self.store.keys.flood_number(alert.route, destination, alert.id)
        number = self._number.integer([key, numbered], [int(burst.per) + 3600])
        if number <= burst.count:
            return True
        if number == burst.count + 1:
            log.warning("route past its burst budget; the rest of the window goes in one summary",
                        route=alert.route, destination=destination, budget=burst.count, per=burst.per,
                        alert=alert.id, summary_at=start + burst.per)
        if not self.ledger.sent(alert.id, destination):
            self.digests.add(alert, destination, burst.per, budget=burst.count)
        return False


def flood_heading(digest: Digest) -> str | None:
    """What a flood summary says first, so readers know why the alerts came summarised."""
    if not digest.budget:
        return None
    every = _span((digest.period_end - digest.period_start).total_seconds())
    return f"flood: {len(digest.alerts)} more alerts on route {digest.route}, summarised every {every}"


def _span(seconds: float) -> str:
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            n = int(seconds // size)
            return f"{n} {unit}s" if n != 1 else unit
    return f"{seconds:g} seconds"
