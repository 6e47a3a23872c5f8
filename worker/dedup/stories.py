"""Which story an article belongs to, decided once and atomically across match replicas.

A story is named after its first article. An article joins an existing story
when it is that article again (same id), an identical copy (same folded
text), or a near copy (a shared LSH band and an estimated Jaccard similarity
at or above the threshold); otherwise it founds a story of its own.

Two replicas may meet two copies of one wire story at the same moment. The
assignment reads the candidate keys under WATCH and writes under MULTI/EXEC:
if another replica wrote any of those keys in between, EXEC fails and the
assignment is read again, now finding the other's story. That is Redis's own
optimistic transaction, the way arq enqueues jobs idempotently; no lock.

Keys (all under the deployment's prefix):
  story:article:<article id>  -> "<story id> <similarity>"   (exact_ttl: an article is decided once)
  story:content:<hash>        -> story id                    (exact_ttl)
  story:band:<i>:<hash>       -> story id                    (window: near copies within the window)
  story:<id>                  -> hash of url, signature      (window)
  story:<id>:articles         -> set of article ids          (window: seen_count)
  story:<id>:also             -> newest-first list of other URLs, at most ALSO_SEEN (window)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import redis

from worker.clients.redis import Redis
from worker.config.models import DedupSettings
from worker.dedup.signature import Fingerprint, band_keys, decode, encode, fingerprint, similarity
from worker.records import Article

ALSO_SEEN = 20
Kind = Literal["first", "same", "exact", "near"]


@dataclass(frozen=True)
class Assignment:
    story: str
    similarity: float
    kind: Kind  # first: founded the story; same: this article again; exact / near: a copy


class Stories:
    def __init__(self, store: Redis, settings: DedupSettings) -> None:
        self.store = store
        self.settings = settings

    def assign(self, article: Article) -> Assignment:
        known = self.store.client.get(self._key("article", article.id))
        if known:
            story, sim = str(known).split(" ")
            return Assignment(story, float(sim), "first" if story == article.id else "same")
        print_ = fingerprint(article.title, article.text)
        bands = [self._key("band", b) for b in band_keys(print_.signature, self.settings.threshold)]
        content = self._key("content", print_.content)
        while True:
            with self.store.client.pipeline() as pipe:
                try:
                    return self._try(pipe, article, print_, content, bands)
                except redis.WatchError:
                    continue  # another replica assigned a copy meanwhile: read again

    def describe(self, pipe: redis.client.Pipeline, story: str) -> None:
        """Queue the story's first URL and its article count on `pipe`: two results, in that order."""
        pipe.hget(self._key(story), "url")
        pipe.scard(self._key(story, "articles"))

    def also_seen(self, story: str) -> list[str]:
        urls: list[str] = self.store.client.lrange(self._key(story, "also"), 0, -1)  # type: ignore[assignment]
        return urls

    def _try(self, pipe: redis.client.Pipeline, article: Article, print_: Fingerprint, content: str,
             bands: list[str]) -> Assignment:
        pipe.watch(content, *bands)  # type: ignore[no-untyped-call]
        story = pipe.get(content)
        found = (Assignment(str(story), 1.0, "exact") if story
                 else self._near(pipe, print_, [str(c) for c in pipe.mget(bands) if c]))
        if found is None or found.story == article.id:  # founder, or this very article on another replica
            found = Assignment(article.id, 1.0, "first")
        window, ttl = int(self.settings.window), int(self.settings.exact_ttl)
        pipe.multi()
        pipe.set(self._key("article", article.id), f"{found.story} {found.similarity}", ex=ttl)
        pipe.set(content, found.story, ex=ttl, nx=True)
        for band in bands:
            pipe.set(band, found.story, ex=window, nx=True)
        if found.kind == "first":
            pipe.hset(self._key(found.story), mapping={"url": article.url, "sig": encode(print_.signature)})
            pipe.expire(self._key(found.story), window)
        else:
            pipe.lpush(self._key(found.story, "also"), article.url)
            pipe.ltrim(self._key(found.story, "also"), 0, ALSO_SEEN - 1)
            pipe.expire(self._key(found.story, "also"), window)
        pipe.sadd(self._key(found.story, "articles"), article.id)
        pipe.expire(self._key(found.story, "articles"), window)
        pipe.execute()
        return found

    def _near(self, pipe: redis.client.Pipeline, print_: Fingerprint,
              candidates: list[str]) -> Assignment | None:
        """The most similar candidate story at or above the threshold, verified by its signature."""
        best: Assignment | None = None
        for story in dict.fromkeys(candidates):
            stored = pipe.hget(self._key(story), "sig")
            if not stored:
                continue  # the story expired between its band and its record
            sim = similarity(print_.signature, decode(str(stored)))
            if sim >= self.settings.threshold and (best is None or sim > best.similarity):
                best = Assignment(story, sim, "near")
        return best

    def _key(self, *parts: str) -> str:
        return self.store.key("story", *parts)
