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
one per command; no lock. A batch's articles are assigned together, each
step one round trip for all of them: two copies in one batch are the same
race, the first written wins and the second is read again.

Keys (all under the deployment's prefix):
  story:article:<article id>  -> "<story id> <similarity>"   (exact_ttl: an article is decided once)
  story:content:<hash>        -> story id                    (exact_ttl)
  story:band:<i>:<hash>       -> story id                    (window: near copies within the window)
  story:<id>                  -> hash of url, signature      (window)
  story:<id>:articles         -> set of article ids          (window: seen_count)
  story:<id>:also             -> newest-first list of other URLs, at most ALSO_SEEN (window)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from worker.clients.redis import Pipeline, Redis
from worker.config.models import DedupSettings
from worker.dedup.signature import Fingerprint, Signature, band_keys, decode, encode, similarity
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
        self._band = store.keys.story("band", "")  # the bands' keys are this and the band's own key
        self._read = store.script(_READ)
        self._check_and_set = store.script(_CHECK_AND_SET)

    def assign(self, article: Article, print_: Fingerprint) -> Assignment:
        return self.assign_all([(article, print_)])[0]

    def assign_all(self, items: Sequence[tuple[Article, Fingerprint]]) -> list[Assignment]:
        """Each article's story, as if assigned one after another, in a few round trips for them all:
        the reads in one, the candidates' signatures in one, the writes in one (the reads and the writes
        each with one more, that makes sure the server has their script). An article whose keys an
        earlier one of the batch, or another replica, wrote since its read is refused by the script and
        read again. Each article comes with its fingerprint (`signature.fingerprint`)."""
        articles, prints = [article for article, _ in items], [print_ for _, print_ in items]
        found: dict[int, Assignment] = {}
        pending = list(range(len(articles)))
        while pending:
            reads = self.read([(articles[i], prints[i]) for i in pending])
            todo = [(i, read) for i, read in zip(pending, reads, strict=True) if isinstance(read, Read)]
            found.update((i, read) for i, read in zip(pending, reads, strict=True)
                         if isinstance(read, Assignment))  # decided before: a batch read again, or a replica
            choices = self.decide([(articles[i], prints[i], read) for i, read in todo])
            written = self.write([(articles[i], prints[i], read, choice)
                                  for (i, read), choice in zip(todo, choices, strict=True)])
            found.update((i, choice) for (i, _), choice, ok in zip(todo, choices, written, strict=True) if ok)
            pending = [i for (i, _), ok in zip(todo, written, strict=True) if not ok]
        return [found[i] for i in range(len(articles))]

    def read(self, items: Sequence[tuple[Article, Fingerprint]]) -> list[Read | Assignment]:
        """In one round trip (and one that makes sure the server has the script), for each article: its
        assignment if it has one, else what its candidate keys hold."""
        wanted = []
        with self.store.pipeline() as pipe:
            for article, print_ in items:
                bands = band_keys(print_.signature, self.settings.threshold)
                content = self._key("content", print_.content)
                # the band keys built by the script: 2 arguments to encode instead of 34 (see _READ)
                pipe.script(self._read, [self._key("article", article.id), content],
                            [self._band, " ".join(bands)])
                wanted.append((content, bands))
            replies = pipe.execute()
        found: list[Read | Assignment] = []
        for (article, _), (content, bands), reply in zip(items, wanted, replies, strict=True):
            known, story, *claimed = reply
            if known:
                story, sim = str(known).split(" ")
                found.append(Assignment(story, float(sim), "first" if story == article.id else "same"))
            else:
                found.append(Read(content, str(story or ""), bands, [str(c or "") for c in claimed]))
        return found

    def decide(self, items: Sequence[tuple[Article, Fingerprint, Read]]) -> list[Assignment]:
        """The story the keys as read put each article in: an exact copy's, a near copy's or its own
        (the candidates' signatures read in one round trip)."""
        signatures = self._signatures({story for _, _, read in items if not read.story
                                       for story in read.claimed if story})
        near = self._near
        return [settle(article.id, read.story, functools.partial(near, print_, read.claimed, signatures))
                for article, print_, read in items]

    def write(self, items: Sequence[tuple[Article, Fingerprint, Read, Assignment]]) -> list[bool]:
        """Record each assignment unless a key it read was written since (False: read again); in one
        round trip, in order, so an article of the batch sees what the ones before it wrote."""
        if not items:
            return []
        with self.store.pipeline() as pipe:
            for article, print_, read, found in items:
                keys = [self._key("article", article.id), read.content, self._key(found.story),
                        self._key(found.story, "articles"), self._key(found.story, "also")]
                # the bands and what they held, each in one argument: redis-py encodes arguments one by one
                args: list[str | int | float] = [
                    read.story, self._band, " ".join(read.bands), " ".join(read.claimed), found.story,
                    found.similarity, found.kind, article.url, encode(print_.signature), article.id,
                    int(self.settings.exact_ttl), int(self.settings.window), ALSO_SEEN]
                pipe.script(self._check_and_set, keys, args)
            return [bool(reply) for reply in pipe.execute()]

    def describe(self, pipe: Pipeline, story: str) -> None:
        """Queue the story's first URL and its article count on `pipe`: two results, in that order."""
        pipe.hget(self._key(story), "url")
        pipe.scard(self._key(story, "articles"))

    def also_seen(self, stories: Sequence[str]) -> dict[str, list[str]]:
        """Each story's other URLs, newest first, in one round trip for them all."""
        if not stories:
            return {}
        with self.store.pipeline() as pipe:
            for story in stories:
                pipe.lrange(self._key(story, "also"))
            return dict(zip(stories, pipe.execute(), strict=True))

    def _signatures(self, stories: set[str]) -> dict[str, str]:
        """The stored signature of each story that still has one, in one round trip."""
        if not stories:
            return {}
        ordered = sorted(stories)
        with self.store.pipeline() as pipe:
            for story in ordered:
                pipe.hget(self._key(story), "sig")
            stored = pipe.execute()
        return {story: str(sig) for story, sig in zip(ordered, stored, strict=True) if sig}

    def _near(self, print_: Fingerprint, claimed: list[str], signatures: dict[str, str]) -> Assignment | None:
        """The most similar candidate story at or above the threshold, verified by its signature (a story
        without one expired between its band and its record)."""
        known = (story for story in dict.fromkeys(claimed) if story in signatures)
        return nearest(print_.signature, ((story, decode(signatures[story])) for story in known),
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
    bands: list[str]  # each band's key without the prefix of them all (`band_keys`)
    claimed: list[str]  # the story each band names


# Band keys are built by the scripts from their prefix and the bands, which redis-py then sends as two
# arguments instead of 32 to encode one by one in Python: under py-spy on the pipeline benchmark,
# redis-py packing commands was a sixth of the match stage's samples, mostly these keys. Keys a
# script does not declare rule out Redis Cluster, which Newswatch does not support anyway (README).
# KEYS: article, content. ARGV: the bands' key prefix, the bands (space-separated).
# Reply: the article's assignment, the content's story, then the story each band names (false: none).
_READ = """
local found = {redis.call('get', KEYS[1]), redis.call('get', KEYS[2])}
for band in string.gmatch(ARGV[2], '%S+') do found[#found + 1] = redis.call('get', ARGV[1] .. band) end
return found
"""

# KEYS: article, content, story, story:articles, story:also
# ARGV: content as read, the bands' key prefix, the bands, the stories they named as read (both
#       space-separated, "" for none), story, similarity, kind, url, signature, article id, exact ttl,
#       window, also-seen length
_CHECK_AND_SET = """
if (redis.call('get', KEYS[2]) or '') ~= ARGV[1] then return 0 end
local bands, held = {}, {}
for band in string.gmatch(ARGV[3], '%S+') do
  bands[#bands + 1] = ARGV[2] .. band
  held[#bands] = redis.call('get', bands[#bands]) or ''
end
if table.concat(held, ' ') ~= ARGV[4] then return 0 end
local story, sim, kind, url = ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local sig, id, ttl, window = ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local also = tonumber(ARGV[13])
redis.call('set', KEYS[1], story .. ' ' .. sim, 'EX', ttl)
redis.call('set', KEYS[2], story, 'EX', ttl, 'NX')
for _, band in ipairs(bands) do redis.call('set', band, story, 'EX', window, 'NX') end
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
