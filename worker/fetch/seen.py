"""The seen-set: which entries already went on, one Redis key per entry id with a TTL.

One key per entry (not one big set) lets each expire on its own after
`settings.fetch.seen_ttl`, long after the entry left its feed. A poll asks
about all its entries in one pipelined round trip.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker.clients.redis import Redis


class SeenSet:
    def __init__(self, redis: Redis, ttl: float) -> None:
        self.redis = redis
        self.ttl = int(ttl)

    def unseen(self, ids: Sequence[str]) -> list[str]:
        pipe = self.redis.client.pipeline(transaction=False)
        for entry_id in ids:
            pipe.exists(self.redis.key("seen", entry_id))
        return [entry_id for entry_id, found in zip(ids, pipe.execute(), strict=True) if not found]

    def mark(self, ids: Sequence[str]) -> None:
        pipe = self.redis.client.pipeline(transaction=False)
        for entry_id in ids:
            pipe.set(self.redis.key("seen", entry_id), 1, ex=self.ttl)
        pipe.execute()
