"""A pace shared by every replica: one request per interval to a Slack webhook, or to a feed host.

The script reserves the next free slot (`max(now, last + interval)`) and
returns how long to wait for it; Redis runs it atomically, so replicas queue
behind each other instead of all posting (or polling) at once. A caller that
must not wait long gives `max_wait`: a slot further out than that is not
taken, and the caller learns when to come back instead.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from worker.clients.redis import Redis

# ARGV: now, interval, max wait (negative: no limit). Returns {taken, wait}: "1" when the slot was
# reserved, "0" when it is further than max wait; the wait in seconds as a string (Lua numbers in a
# reply are cut to integers).
_RESERVE = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local max_wait = tonumber(ARGV[3])
local last = tonumber(redis.call('get', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
if max_wait >= 0 and slot - now > max_wait then return {'0', tostring(slot - now)} end
redis.call('set', KEYS[1], tostring(slot), 'PX', math.ceil((slot - now + interval) * 1000) + 1000)
return {'1', tostring(slot - now)}
"""


@dataclass(frozen=True)
class Reservation:
    """The script's answer: whether the slot is ours, and how long until it."""

    taken: bool
    wait: float

    @classmethod
    def parse(cls, reply: list[str]) -> Reservation:
        taken, wait = reply
        return cls(taken == "1", float(wait))


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
        args = [time.time(), interval, -1.0 if max_wait is None else max_wait]
        reservation = Reservation.parse(self._reserve.strings([self.store.keys.pace(self.kind, name)], args))
        return reservation.taken, reservation.wait

    def next_slot(self, name: str) -> float | None:
        """When `name` may next be used (epoch seconds), if a slot is reserved; for status output."""
        raw = self.store.get(self.store.keys.pace(self.kind, name))
        return float(raw) if raw else None
