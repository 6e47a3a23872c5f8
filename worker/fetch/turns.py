"""Each feed host's line: its due feeds served in the order they fell due, across replicas.

A host's pace (`fetch.host_interval`) lets one request through per slot. When
the host's feeds ask for more than that, the slot must go to the feed that has
waited longest, not to whichever thread asked when it came near: a feed that
falls due joins its host's line (a Redis sorted set scored by its due time;
joining again keeps its place), and whoever takes a slot, on any replica,
polls the line's first. No feed then waits more than its host's feed count
times the pace. A thread whose host has no slot within `fetch.host_wait` does
not sleep for one: it returns to serve other hosts, and its feed keeps its
place in line.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from worker.clients.redis import Redis
from worker.pace import Pacer

LINE_TTL = 86400  # a line nobody asks about for a day (its host left the config) goes away

# KEYS: the line, its set in service, its set of polls ended. ARGV: feed id, due time, the line's ttl, now,
# hold. The feed joins unless a slot was given to it less than `hold` seconds ago and its poll has not
# ended (it would be polled twice), or a poll of it ended after it fell due, less than `hold` seconds ago
# (the asker read the feed's state before that poll saved it: the due time is stale, and joining would
# spend a slot of the host on a feed just polled); its place is kept if it is in line. Returns its rank
# in the line, or -1.
_JOIN = """
local now, hold = tonumber(ARGV[4]), tonumber(ARGV[5])
local since = tonumber(redis.call('zscore', KEYS[2], ARGV[1]) or '0')
if since > now - hold then return -1 end
local ended = tonumber(redis.call('zscore', KEYS[3], ARGV[1]) or '0')
if ended >= tonumber(ARGV[2]) and ended > now - hold then return -1 end
redis.call('zadd', KEYS[1], 'NX', ARGV[2], ARGV[1])
redis.call('expire', KEYS[1], ARGV[3])
return redis.call('zrank', KEYS[1], ARGV[1])
"""

# KEYS: the line's set in service, its set of polls ended. ARGV: feed id, now, the ttl.
_DONE = """
redis.call('zrem', KEYS[1], ARGV[1])
redis.call('zadd', KEYS[2], ARGV[2], ARGV[1])
redis.call('expire', KEYS[2], ARGV[3])
"""


@dataclass(frozen=True)
class Turn:
    """A host's answer to a feed that asked: serve `first` after `wait` seconds (in the slot at `at`),
    or (`first` empty) come back in `wait` seconds; `rank` is the asking feed's place in line (0 first)."""

    first: str
    wait: float
    at: float
    rank: int


class HostTurns:
    def __init__(self, redis: Redis, hold: float) -> None:
        self.redis = redis
        self.hold = hold  # longest a poll of a feed given a slot may take (its lease's time)
        self.pacer = Pacer(redis, "host")
        self._join = redis.script(_JOIN)
        self._done = redis.script(_DONE)

    def ask(self, host: str, feed_id: str, due: float, interval: float, max_wait: float) -> Turn:
        """Put `feed_id` (due since `due`) in `host`'s line, and take the host's next slot for the
        line's first if that slot is within `max_wait`."""
        line, serving, ended = self._keys(host)
        rank = self._join.integer([line, serving, ended], [feed_id, due, LINE_TTL, time.time(), self.hold])
        reservation = self.pacer.serve(host, interval, max_wait, line, serving)
        first = reservation.first if reservation.taken else ""
        return Turn(first, reservation.wait, reservation.at, max(rank, 0))

    def done(self, host: str, feed_id: str) -> None:
        """The poll the feed's slot was for has ended: it may join its line again."""
        self._done.run(self._keys(host)[1:], [feed_id, time.time(), LINE_TTL])

    def _keys(self, host: str) -> tuple[str, str, str]:
        line = self.redis.keys.host_line(host)
        return line, f"{line}:serving", f"{line}:ended"

    def next_slot(self, host: str) -> float | None:
        return self.pacer.next_slot(host)
