"""A pace shared by every replica: one request per interval to a Slack webhook, or to a feed host.

The script reserves the next free slot (`max(now, last + interval)`) and
returns how long to wait for it; Redis runs it atomically, so replicas queue
behind each other instead of all posting (or polling) at once. A caller that
must not wait long gives `max_wait`: a slot further out than that is not
taken, and the caller learns when to come back instead. A caller that serves a
line (a sorted set of who waits, by when they fell due: worker/fetch/turns.py)
names it, and the slot goes to the line's first, popped in the same script (and
noted in a set of those in service, when given, so it cannot join again while
served), so whoever asks when the slot comes serves the longest waiting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from worker.clients.redis import Redis

# KEYS: the pace, and optionally a line and the line's set in service. ARGV: now, interval, max wait
# (negative: no limit).
# Returns {taken, wait, first}: "1" when the slot was reserved, "0" when it is further than max wait
# (or the line is empty); the wait in seconds as a string (Lua numbers in a reply are cut to
# integers); the member popped from the line for this slot, "" without a line.
_RESERVE = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local last = tonumber(redis.call('get', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
if max_wait >= 0 and slot - now > max_wait then return {'0', tostring(slot - now), ''} end
local first = ''
if #KEYS > 1 then
  local head = redis.call('zrange', KEYS[2], 0, 0)
  if #head == 0 then return {'0', tostring(slot - now), ''} end
  first = head[1]
  redis.call('zrem', KEYS[2], first)
  if #KEYS > 2 then
    redis.call('zadd', KEYS[3], now, first)
    redis.call('expire', KEYS[3], 86400)
  end
end
redis.call('set', KEYS[1], tostring(slot), 'PX', math.ceil((slot - now + interval) * 1000) + 1000)
return {'1', tostring(slot - now), first}
"""


@dataclass(frozen=True)
class Reservation:
    """The script's answer: whether the slot is ours, how long until it, when it is (epoch seconds), and
    whom of the line it serves."""

    taken: bool
    wait: float
    at: float = 0.0
    first: str = ""

    @classmethod
    def parse(cls, reply: list[str], now: float = 0.0) -> Reservation:
        taken, wait, first = reply
        return cls(taken == "1", float(wait), now + float(wait), first)


class Pacer:
    def __init__(self, store: Redis, kind: str = "destination") -> None:
        self.store = store
        self.kind = kind
        self._reserve = store.script(_RESERVE)

    def wait(self, name: str, interval: float) -> float:
        """Sleep until `name`'s next slot; return how long that was."""
        _, delay = self.reserve(name, interval)
        if delay > 0:
            time.sleep(delay)
        return delay

    def reserve(self, name: str, interval: float, max_wait: float | None = None) -> tuple[bool, float]:
        """Take `name`'s next slot unless it is more than `max_wait` away; (taken, seconds until it)."""
        now = time.time()
        keys = [self.store.keys.pace(self.kind, name)]
        reservation = Reservation.parse(self._reserve.strings(keys, self._args(now, interval, max_wait)), now)
        return reservation.taken, reservation.wait

    def serve(self, name: str, interval: float, max_wait: float | None, line: str, serving: str
              ) -> Reservation:
        """`reserve` for the first member of `line` (a sorted set's key), popped and put in `serving`."""
        keys = [self.store.keys.pace(self.kind, name), line, serving]
        now = time.time()
        return Reservation.parse(self._reserve.strings(keys, self._args(now, interval, max_wait)), now)

    @staticmethod
    def _args(now: float, interval: float, max_wait: float | None) -> list[float]:
        return [now, interval, -1.0 if max_wait is None else max_wait]

    def next_slot(self, name: str) -> float | None:
        """When `name` may next be used (epoch seconds), if a slot is reserved; for status output."""
        raw = self.store.get(self.store.keys.pace(self.kind, name))
        return float(raw) if raw else None
