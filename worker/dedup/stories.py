"""Which story an article belongs to, decided once and atomically across match replicas.

A story is named after its first article. An article joins an existing story
when it is that article again (same id), an identical copy (same folded
text), or a near copy (a shared LSH band and an estimated Jaccard similarity
at or above the threshold); otherwise it founds a story of its own.

Two replicas may meet two copies of one wire story at the same moment. The
assignment reads the candidate keys (the content key and the bands) in one
round trip, and writes with a script that first checks that each still holds
what was read: if another replica wrote any of them in between, the script
writes nothing and the assignment is read again, now finding the other's
story. That is optimistic concurrency, as with WATCH and MULTI/EXEC, but in
at most three round trips (read, candidates' signatures, write) instead of
one per command; no lock.

Keys (all under the deployment's prefix):
  story:article:<article id>  -> "<story id> <similarity>"   (exact_ttl: an article is decided once)
  story:content:<hash>        -> story id                    (exact_ttl)
  story:band:<i>:<hash>       -> story id                    (window: near copies within the window)
  story:<id>                  -> hash of url, signature      (window)
  story:<id>:articles         -> set of article ids          (window: seen_count)
  story:<id>:also             -> newest-first list of other URLs, at most ALSO_SEEN (window)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from worker.clients.redis import Pipeline, Redis
from worker.config.models import DedupSettings
from worker.dedup.signature import Fingerprint, Signature, band_keys, decode, encode, fingerprint, similarity
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
        self._check_and_set = store.script(_CHECK_AND_SET)

    def assign(self, article: Article) -> Assignment:
        print_ = fingerprint(article.title, article.text)
        while True:
            read = self.read(article, print_)
            if isinstance(read, Assignment):  # decided before: a batch read again, or another replica
                return read
            found = self.decide(article, print_, read)
            if self.write(article, print_, read, found):
                return found

    def read(self, article: Article, print_: Fingerprint) -> Read | Assignment:
        """In one round trip: the article's assignment if it has one, else what its candidate keys hold."""
        bands = [self._key("band", b) for b in band_keys(print_.signature, self.settings.threshold)]
        content = self._key("content", print_.content)
        with self.store.pipeline() as pipe:
            pipe.get(self._key("article", article.id))
            pipe.get(content)
            pipe.mget(bands)
            known, story, claimed = pipe.execute()
        if known:
            story, sim = str(known).split(" ")
            return Assignment(story, float(sim), "first" if story == article.id else "same")
        return Read(content, str(story or ""), bands, [str(c or "") for c in claimed])

    def decide(self, article: Article, print_: Fingerprint, read: Read) -> Assignment:
        """The story the keys as read put the article in: an exact copy's, a near copy's or its own."""
        return settle(article.id, read.story, lambda: self._near(print_, read.claimed))

    def write(self, article: Article, print_: Fingerprint, read: Read, found: Assignment) -> bool:
        """Record the assignment unless a key was written since `read`; False: read again."""
        keys = [self._key("article", article.id), read.content, self._key(found.story),
                self._key(found.story, "articles"), self._key(found.story, "also"), *read.bands]
        args = [len(read.bands), read.story, *read.claimed, found.story, found.similarity, found.kind,
                article.url, encode(print_.signature), article.id, int(self.settings.exact_ttl),
                int(self.settings.window), ALSO_SEEN]
        return self._check_and_set.flag(keys, args)

    def describe(self, pipe: Pipeline, story: str) -> None:
        """Queue the story's first URL and its article count on `pipe`: two results, in that order."""
        pipe.hget(self._key(story), "url")
        pipe.scard(self._key(story, "articles"))

    def also_seen(self, story: str) -> list[str]:
        return self.store.lrange(self._key(story, "also"))

    def _near(self, print_: Fingerprint, claimed: list[str]) -> Assignment | None:
        """The most similar candidate story at or above the threshold, verified by its signature."""
        candidates = [story for story in dict.fromkeys(claimed) if story]
        if not candidates:
            return None
        with self.store.pipeline() as pipe:
            for story in candidates:
                pipe.hget(self._key(story), "sig")
            stored = pipe.execute()
        return nearest(print_.signature, ((story, decode(str(sig))) for story, sig in
                                          zip(candidates, stored, strict=True) if sig),  # none: expired
                       self.settings.threshold)

    def _key(self, *parts: str) -> str:
        return self.store.keys.story(*parts)


def settle(article_id: str, exact: str, near: Callable[[], Assignment | None]) -> Assignment:
    """The story of an article: `exact`'s (the story of an identical copy, "" for none), else the nearest
    copy's (asked only then), else its own; also its own when that is the story found (another replica
    assigned this very article). The backtest's in-memory stories decide with it too."""
    found = Assignment(exact, 1.0, "exact") if exact else near()
    if found is None or found.story == article_id:
        found = Assignment(article_id, 1.0, "first")
    return found


def nearest(signature: Signature, candidates: Iterable[tuple[str, Signature]],
            threshold: float) -> Assignment | None:
    """The most similar of the candidate stories (each with its first article's signature) at or above
    `threshold`."""
    best: Assignment | None = None
    for story, stored in candidates:
        sim = similarity(signature, stored)
        if sim >= threshold and (best is None or sim > best.similarity):
            best = Assignment(story, sim, "near")
    return best


@dataclass(frozen=True)
class Read:
    """The candidate keys of an article's assignment and what they held ("" for nothing)."""

    content: str
    story: str  # the story the content key names
    bands: list[str]
    claimed: list[str]  # the story each band names


# KEYS: article, content, story, story:articles, story:also, bands...
# ARGV: band count, content as read, each band as read, story, similarity, kind, url, signature,
#       article id, exact ttl, window, also-seen length
_CHECK_AND_SET = """
local n = tonumber(ARGV[1])
if (redis.call('get', KEYS[2]) or '') ~= ARGV[2] then return 0 end
for i = 1, n do
  if (redis.call('get', KEYS[5 + i]) or '') ~= ARGV[2 + i] then return 0 end
end
local story, sim, kind, url = ARGV[n + 3], ARGV[n + 4], ARGV[n + 5], ARGV[n + 6]
local sig, id, ttl, window = ARGV[n + 7], ARGV[n + 8], ARGV[n + 9], ARGV[n + 10]
local also = tonumber(ARGV[n + 11])
redis.call('set', KEYS[1], story .. ' ' .. sim, 'EX', ttl)
redis.call('set', KEYS[2], story, 'EX', ttl, 'NX')
for i = 1, n do redis.call('set', KEYS[5 + i], story, 'EX', window, 'NX') end
if kind == 'first' then
  redis.call('hset', KEYS[3], 'url', url, 'sig', sig)
  redis.call('expire', KEYS[3], window)
else
  redis.call('lpush', KEYS[5], url)
  redis.call('ltrim', KEYS[5], 0, also - 1)
  redis.call('expire', KEYS[5], window)
end
redis.call('sadd', KEYS[4], id)
redis.call('expire', KEYS[4], window)
return 1
"""
