"""The seen-set: which entries already went on, one Redis key per entry id with a TTL.

One key per entry (not one big set) lets each expire on its own after
`settings.fetch.seen_ttl`, long after the entry left its feed. A poll asks
about all its entries in one pipelined round trip.

The process also remembers the ids it marked most recently. Should Redis
come back empty (restarted without persistence, flushed), the feeds' current
entries would all look new and go through the pipeline again, to be alerted
a second time, because the alert records went with the same Redis. The memory
keeps what this process already sent from being sent again; only entries
that another fetcher sent before the loss can repeat.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from worker.clients.redis import Redis

REMEMBERED = 100_000  # ids kept in memory per process: about 10 MB, a thousand feeds' worth


class SeenSet:
    def __init__(self, redis: Redis, ttl: float) -> None:
        self.redis = redis
        self.ttl = int(ttl)
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def unseen(self, ids: Sequence[str]) -> list[str]:
        pipe = self.redis.client.pipeline(transaction=False)
        for entry_id in ids:
            pipe.exists(self.redis.key("seen", entry_id))
        missing = [entry_id for entry_id, found in zip(ids, pipe.execute(), strict=True) if not found]
        with self._lock:
            remembered = [entry_id for entry_id in missing if entry_id in self._recent]
        if remembered:  # Redis lost them: put them back rather than send them again
            self.mark(remembered)
        return [entry_id for entry_id in missing if entry_id not in remembered]

    def mark(self, ids: Sequence[str]) -> None:
        pipe = self.redis.client.pipeline(transaction=False)
        for entry_id in ids:
            pipe.set(self.redis.key("seen", entry_id), 1, ex=self.ttl)
        pipe.execute()
        with self._lock:
            for entry_id in ids:
                self._recent[entry_id] = None
                self._recent.move_to_end(entry_id)
            while len(self._recent) > REMEMBERED:
                self._recent.popitem(last=False)
