"""The seen-set: which entries already went on, and in which version; one Redis key per entry id.

One key per entry (not one big set) lets each expire on its own after
`settings.fetch.seen_ttl`, long after the entry left its feed. A key holds
the entry's content hash (its title, summary and content as the feed gave
them), so an entry whose id was seen but whose text changed (a correction,
a revised toll, "UPDATE:") is told apart from one seen as it is, and goes on
again as a revision. A poll asks about all its entries in one pipelined
round trip.

The process also remembers the ids (and versions) it marked most recently.
Should Redis come back empty (restarted without persistence, flushed), the
feeds' current entries would all look new and go through the pipeline again,
to be alerted a second time, because the alert records went with the same
Redis. The memory keeps what this process already sent from being sent
again; only entries that another fetcher sent before the loss can repeat.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping

from worker.clients.redis import Redis

REMEMBERED = 100_000  # ids kept in memory per process: about 10 MB, a thousand feeds' worth
_UNVERSIONED = "1"  # what keys written before content hashes hold
DAY = 86400


def content_hash(title: str, summary: str | None, content: str | None) -> str:
    """The entry's version; whitespace is folded, so re-indented feeds are no edit."""
    text = "\0".join(" ".join((part or "").split()) for part in (title, summary, content))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class SeenSet:
    def __init__(self, redis: Redis, ttl: float) -> None:
        self.redis = redis
        self.ttl = int(ttl)
        self._recent: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def sort(self, versions: Mapping[str, str]) -> tuple[list[str], dict[str, str]]:
        """Of entry id -> content hash: the ids never seen, and the ids seen in another version with
        the hash they had then. An entry seen before hashes were kept is taken as it was, and its
        hash recorded, so its later edits count; one Redis lost but this process marked is taken
        as this process marked it, and written back."""
        pipe = self.redis.pipeline()
        for entry_id in versions:
            pipe.get(self.redis.keys.seen(entry_id))
        held_now = pipe.execute()
        with self._lock:
            remembered = {entry_id: self._recent[entry_id]
                          for entry_id, held in zip(versions, held_now, strict=True)
                          if held is None and entry_id in self._recent}
        new, revised, rewrite = [], {}, dict(remembered)
        for (entry_id, version), held in zip(versions.items(), held_now, strict=True):
            held = remembered.get(entry_id, held)
            if held is None:
                new.append(entry_id)
            elif held == _UNVERSIONED:
                rewrite[entry_id] = version
            elif held != version:
                revised[entry_id] = str(held)
        if rewrite:
            self.mark(rewrite)
        return new, revised

    def within_budget(self, revised: Mapping[str, str], per_day: int) -> dict[str, str]:
        """The revisions to pass on: each entry's first `per_day` edits in a day (from its first)."""
        if not revised:
            return {}
        pipe = self.redis.pipeline()
        for entry_id in revised:
            key = self.redis.keys.revisions(entry_id)
            pipe.set(key, 0, ex=DAY, nx=True)
            pipe.incr(key)
        counts = pipe.execute()[1::2]
        return {i: old for (i, old), n in zip(revised.items(), counts, strict=True) if int(n) <= per_day}

    def mark(self, versions: Mapping[str, str]) -> None:
        pipe = self.redis.pipeline()
        for entry_id, version in versions.items():
            pipe.set(self.redis.keys.seen(entry_id), version, ex=self.ttl)
        pipe.execute()
        with self._lock:
            for entry_id, version in versions.items():
                self._recent[entry_id] = str(version)
                self._recent.move_to_end(entry_id)
            while len(self._recent) > REMEMBERED:
                self._recent.popitem(last=False)
