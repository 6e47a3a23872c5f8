"""The dedup stage's stories, kept in memory: which story each article alerts for, as live dedup decides.

Live, `worker.dedup.stories` keeps stories in Redis; the backtest must write
nothing there, so it keeps the same keys in dictionaries, with the same
lifetimes measured on the articles' own timestamps: an article's story and
the content key for `exact_ttl`, LSH bands and a story's signature for
`window`. The decision itself is the dedup stage's (`settle`, `nearest`) on
the same fingerprints (`worker.dedup.signature`), so a near copy joins the
story it would join live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from worker.config.models import DedupSettings
from worker.dedup.signature import Signature, band_keys, fingerprint
from worker.dedup.stories import nearest, settle
from worker.folding import Folded


@dataclass(frozen=True, slots=True)
class Print:
    """What the stories need of an article: its content hash, band keys and MinHash signature (bytes)."""

    content: str
    bands: str  # the band keys, space-separated: a third of the memory of a tuple of strings
    signature: bytes

    @classmethod
    def of(cls, folds: Sequence[Folded], threshold: float) -> Print:
        """The dedup fingerprint of an article whose title and text are `folds` (`fold_texts`), as the dedup
        stage computes it (`threshold` sets the bands)."""
        print_ = fingerprint(folds)
        bands = " ".join(band_keys(print_.signature, threshold))
        return cls(print_.content, bands, print_.signature.tobytes())


class _Expiring:
    """A dictionary whose entries lapse `ttl_ms` after they were set, as Redis keys with EX do."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_ms = int(ttl_s * 1000)
        self.held: dict[str, tuple[str, int]] = {}

    def get(self, key: str, at_ms: int) -> str:
        value, until = self.held.get(key, ("", 0))
        return value if at_ms < until else ""

    def set(self, key: str, value: str, at_ms: int, only_new: bool = False) -> None:
        if not (only_new and self.get(key, at_ms)):
            self.held[key] = (value, at_ms + self.ttl_ms)


class MemoryStories:
    """Stories over articles fed in time order; `assign` returns an article's story id."""

    def __init__(self, settings: DedupSettings) -> None:
        self.threshold = settings.threshold
        self._articles = _Expiring(settings.exact_ttl)
        self._contents = _Expiring(settings.exact_ttl)
        self._bands = _Expiring(settings.window)
        self._founded = _Expiring(settings.window)  # story -> "": when its signature lapses
        self._signatures: dict[str, Signature] = {}

    def assign(self, article: str, at_ms: int, print_: Print) -> str:
        known = self._articles.get(article, at_ms)
        if known:
            return known
        bands = print_.bands.split()
        claimed = [self._bands.get(band, at_ms) for band in bands]
        signature: Signature = np.frombuffer(print_.signature, dtype=np.uint64)
        found = settle(article, self._contents.get(print_.content, at_ms), lambda: nearest(
            signature, ((story, self._signatures[story]) for story in dict.fromkeys(claimed)
                        if story and self._founded.get(story, at_ms)), self.threshold))
        self._articles.set(article, found.story, at_ms)
        self._contents.set(print_.content, found.story, at_ms, only_new=True)
        for band, claim in zip(bands, claimed, strict=True):  # each band is in `claimed` as it stands now
            if not claim:
                self._bands.set(band, found.story, at_ms)
        if found.kind == "first":
            self._founded.set(found.story, found.story, at_ms)
            self._signatures[found.story] = signature
        return found.story
