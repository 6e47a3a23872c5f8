"""The backtest's in-memory stories decide as the dedup stage's stories in Redis do, on the same articles."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from worker.backtest.stories import MemoryStories, Print
from worker.clients.redis import Redis
from worker.config.models import DedupSettings
from worker.dedup.signature import fingerprint
from worker.dedup.stories import Stories
from worker.match.matcher import fold_texts
from worker.records import Article

WORDS = ("harbour council budget grain ferry strike bridge river minister court drought vote tariff "
         "factory mayor storm school rail clinic power").split()


def articles() -> list[Article]:
    """Stories, each with an identical copy, a near copy (two words changed) and a rewrite (half changed)."""
    rng = random.Random(7)
    out = []
    for n in range(6):
        words = [rng.choice(WORDS) for _ in range(80)]
        near, rewrite = list(words), list(words)
        for i in rng.sample(range(80), 2):
            near[i] = rng.choice(WORDS)
        for i in range(0, 80, 2):
            rewrite[i] = rng.choice(WORDS)
        for kind, text in (("first", words), ("copy", words), ("near", near), ("rewrite", rewrite)):
            out.append(Article(id=f"{n}-{kind}", feed_id="f", url=f"https://x.example/{n}/{kind}", link="x",
                               title=f"Story {n}", text=" ".join(text), source="page",
                               first_seen=datetime(2026, 11, 2, tzinfo=UTC)))
    rng.shuffle(out)
    return out


def test_in_memory_stories_are_the_stories_of_redis(redis_store: Redis) -> None:
    settings = DedupSettings()
    live, memory = Stories(redis_store, settings), MemoryStories(settings)
    for at, article in enumerate(articles()):
        folds = fold_texts(article)
        kept, print_ = Print.of(folds, settings.threshold), fingerprint(folds)
        assert memory.assign(article.id, at * 1000, kept) == live.assign(article, print_).story, article.id
        assert memory.assign(article.id, at * 1000, kept) == live.assign(article, print_).story, "again"


def test_a_story_lapses_after_the_window() -> None:
    settings = DedupSettings(window=60.0, exact_ttl=60.0)
    memory = MemoryStories(settings)
    first, *_ = [a for a in articles() if a.id.endswith("first")]
    kept = Print.of(fold_texts(first), settings.threshold)
    assert memory.assign("a", 0, kept) == "a"
    assert memory.assign("b", 59_000, kept) == "a"
    assert memory.assign("c", 61_000, kept) == "c"
