"""How common a word is in each language, compared as the matcher compares: folded.

Word frequencies come from wordfreq, which ships its lists (nothing is
downloaded). An alias is matched ignoring case and accents, so what it fires on
in French is every French word that folds to the same key: "Chine" is also
"chiné", Portuguese "Irã" is also "irá" ("will go"), and a case-sensitive "AS"
is also Turkish "AŞ". Each language's list is read once per process, on first
need, and only its words of at least `MIN_ZIPF` (3.5: three in a million words)
are kept, folded; a rarer word cannot make an alias fire often enough to matter.
"""

from __future__ import annotations

import statistics
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from worker.folding import phrase_key

MIN_ZIPF = 3.5
# wordfreq's languages by the script they are written in: an alias can only be a word of a language
# written in its own script. The rest of wordfreq's languages are written in Latin script.
_SCRIPT_LANGUAGES = {
    "ARABIC": ("ar", "fa", "ur"), "HEBREW": ("he",), "GREEK": ("el",), "CYRILLIC": ("bg", "mk", "ru", "uk"),
    "CJK": ("ja", "zh"), "HIRAGANA": ("ja",), "KATAKANA": ("ja",), "HANGUL": ("ko",),
    "DEVANAGARI": ("hi",), "BENGALI": ("bn",), "TAMIL": ("ta",),
}


@dataclass(frozen=True)
class Word:
    """A word of a language as the list writes it, and its frequency (zipf: log10 per billion words)."""

    text: str
    zipf: float


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    from wordfreq import available_languages

    return frozenset(available_languages("small"))


def languages_of_script(alias: str) -> tuple[str, ...]:
    """The wordfreq languages written in the script of the alias's first letter."""
    letter = next((ch for ch in alias if ch.isalpha()), None)
    if letter is None:
        return ()
    script = unicodedata.name(letter, "LATIN").split(" ", 1)[0]
    if script in _SCRIPT_LANGUAGES:
        return _SCRIPT_LANGUAGES[script]
    other = {lang for langs in _SCRIPT_LANGUAGES.values() for lang in langs}
    return tuple(sorted(languages() - other)) if script == "LATIN" else ()


class _Index:
    """One language's common words by folded key: how common, and the word as written where folding
    changed it (the word to name in a warning)."""

    __slots__ = ("written", "zipf")

    def __init__(self) -> None:
        self.zipf: dict[str, float] = {}
        self.written: dict[str, str] = {}

    def add(self, key: str, text: str, zipf: float) -> None:
        if key not in self.zipf:
            self.zipf[key] = zipf
            if key != text:
                self.written[key] = text


@cache
def _index(lang: str) -> _Index:
    """Read once per process; wordfreq's own reader caches the whole list, which is ten times bigger."""
    from wordfreq import available_languages, read_cBpack

    index = _Index()
    for bucket, texts in enumerate(read_cBpack(available_languages("small")[lang])):
        zipf = round(9 - bucket / 100, 2)  # the lists are buckets of a hundredth of a zipf each
        if zipf < MIN_ZIPF:
            break
        for text in texts:
            index.add(text if text.isascii() and text.isalnum() else phrase_key(text), text, zipf)
    return index


def word(key: str, lang: str) -> Word | None:
    """The most frequent word of `lang` that folds to `key` (an alias's `phrase_key`), if common."""
    if lang not in languages():
        return None
    index = _index(lang)
    found = index.zipf.get(key)
    return Word(index.written.get(key, key), found) if found is not None else None


def zipf(key: str, lang: str) -> float:
    """How common `key` is in `lang`; 0 below `MIN_ZIPF` or where wordfreq has no list."""
    return _index(lang).zipf.get(key, 0.0) if lang in languages() else 0.0


def lead_over_others(key: str, lang: str, others: tuple[str, ...]) -> float:
    """How much more common `key` is in `lang` than in the median language of `others` (a word rarer
    than `MIN_ZIPF` counts as half a zipf below it).

    A name (Paris, Facebook, Putin) is written alike in the news of many languages
    and is about as common in each; an ordinary word ("uno", "Zeit", "duda") is
    common in its own language and rare in the others.
    """
    rest = [zipf(key, other) or MIN_ZIPF - 0.5 for other in others if other != lang]
    return zipf(key, lang) - (statistics.median(rest) if rest else 0.0)
