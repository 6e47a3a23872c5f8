"""Alerts waiting for a retry, parked in Redis per destination, so nothing else waits with them.

Why Redis sorted sets and not a Kafka retry topic per delay: a retry topic
can only be read in order, so its consumer must sleep until the head is due,
and a schedule of seven delays needs seven topics and consumer groups. More to
the point, a circuit breaker needs to hold back everything for one destination,
release it in order when the destination answers again, and tell how many
wait and since when: a topic cannot be reordered, counted by destination or
made due early. Redis already holds the ledger and runs with AOF, so parking
there is as durable as knowing what was sent, and `MULTI` makes "delivered"
and "no longer waiting" one write.

Per destination, three keys:

- `parked:<dest>:order`, a sorted set of delivery ids by arrival (a counter):
  the order they are sent in once the destination answers again;
- `parked:<dest>:due`, the same ids by the time their next attempt is due;
- `parked:<dest>:items`, a hash of id to the parked `Job` (payload, attempts,
  when it first waited, the last error).

Parking is idempotent (an id already waiting keeps its place and history), so
a batch read again after a crash parks nothing twice; the deliver stage may
commit its `matches` offset once an alert is parked. Only the replica holding
the destination's lease (see `redelivery`) takes parked alerts out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from worker.clients.redis import Pipeline, Redis
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger

_PARK = """
if redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], redis.call('incr', KEYS[4]), ARGV[1])
redis.call('zadd', KEYS[2], ARGV[2], ARGV[1])
redis.call('hset', KEYS[3], ARGV[1], ARGV[3])
redis.call('sadd', KEYS[5], ARGV[4])
return 1
"""
_RESCHEDULE = """
if not redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
redis.call('zadd', KEYS[2], ARGV[2], ARGV[1])
redis.call('hset', KEYS[3], ARGV[1], ARGV[3])
return 1
"""


@dataclass(frozen=True)
class Waiting:
    """What waits for one destination: how many, since when, and when the next one is due."""

    count: int = 0
    oldest_parked_at: float = 0.0
    next_due: float | None = None

    def age(self, now: float) -> float:
        return max(0.0, now - self.oldest_parked_at) if self.count else 0.0


class ParkedAlerts:
    def __init__(self, store: Redis, ledger: Ledger) -> None:
        self.store = store
        self.ledger = ledger
        self._park = store.script(_PARK)
        self._reschedule = store.script(_RESCHEDULE)

    def order_key(self, destination: str) -> str:
        return self.store.keys.parked(destination, "order")

    def _keys(self, destination: str) -> list[str]:
        return [self.order_key(destination), self.store.keys.parked(destination, "due"),
                self.store.keys.parked(destination, "items")]

    def park(self, job: Job, due: float) -> bool:
        """Add `job` behind what already waits for its destination; False when it already waits."""
        keys = [*self._keys(job.destination), self.store.keys.parked(job.destination, "seq"),
                self.store.keys.parked_destinations()]
        parked = job if job.parked_at else job.model_copy(update={"parked_at": time.time()})
        return self._park.flag(keys, [job.id, due, parked.model_dump_json(), job.destination])

    def reschedule(self, job: Job, due: float) -> None:
        """Keep `job` (with its new attempt count and error) waiting, due again at `due`."""
        self._reschedule.run(self._keys(job.destination), [job.id, due, job.model_dump_json()])

    def delivered(self, job: Job) -> None:
        """Sent: recorded in the ledger and no longer waiting, in one transaction."""
        pipe = self.store.pipeline(transaction=True)
        self.ledger.mark_sent(job.id, job.destination, pipe)
        self._forget(pipe, job)
        pipe.execute()

    def remove(self, job: Job) -> None:
        """No longer waiting: dead-lettered (and acknowledged by Kafka), or already sent."""
        pipe = self.store.pipeline(transaction=True)
        self._forget(pipe, job)
        pipe.execute()

    def due(self, destination: str, now: float, limit: int) -> list[Job]:
        """Up to `limit` jobs whose next attempt is due, in arrival order."""
        order, due, _ = self._keys(destination)
        ids = self.store.zrangebyscore(due, "-inf", now, limit)
        if not ids:
            return []
        seqs = self.store.zmscore(order, ids)
        ranked = sorted((seq, i) for i, seq in zip(ids, seqs, strict=True) if seq is not None)
        return self._load(destination, [i for _, i in ranked])

    def head(self, destination: str, count: int) -> list[Job]:
        """The `count` jobs that have waited longest, in arrival order."""
        return self._load(destination, self.store.zrange(self.order_key(destination), 0, count - 1))

    def release(self, destination: str) -> None:
        """Make everything waiting due now: the destination answers again, so it all flows out in order."""
        self.store.zero_scores(self._keys(destination)[1])

    def waiting(self, destination: str) -> Waiting:
        order, due, items = self._keys(destination)
        pipe = self.store.pipeline(transaction=True)
        pipe.zcard(order)
        pipe.zrange(order, 0, 0)
        pipe.zrange(due, 0, 0, withscores=True)
        count, first, nxt = pipe.execute()
        oldest = self._load(destination, first) if first else []
        return Waiting(count, oldest[0].parked_at if oldest else 0.0, nxt[0][1] if nxt else None)

    def find(self, destination: str, ids: list[str]) -> dict[str, tuple[Job, float | None]]:
        """Those of `ids` that wait for `destination`: each job and when its next attempt is due."""
        if not ids:
            return {}
        _, due, items = self._keys(destination)
        raw, when = self.store.hmget(items, ids), self.store.zmscore(due, ids)
        return {i: (Job.model_validate_json(r), at) for i, r, at in zip(ids, raw, when, strict=True)
                if r is not None}

    def destinations(self) -> set[str]:
        """Every destination that has, or recently had, alerts waiting."""
        return self.store.smembers(self.store.keys.parked_destinations())

    def _load(self, destination: str, ids: list[str]) -> list[Job]:
        if not ids:
            return []
        raw = self.store.hmget(self._keys(destination)[2], ids)
        return [Job.model_validate_json(r) for r in raw if r is not None]

    def _forget(self, pipe: Pipeline, job: Job) -> None:
        order, due, items = self._keys(job.destination)
        pipe.zrem(order, job.id)
        pipe.zrem(due, job.id)
        pipe.hdel(items, job.id)
