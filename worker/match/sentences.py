"""Sentences and snippets of article text, found around one position at a time.

The matcher needs a sentence only where an event trigger stands (for its
evidence, and for `same_sentence` event types) and a snippet only around a
kept mention, so nothing here splits a whole article: each lookup scans
outwards from the span with C-speed searches. A sentence ends at `.`, `!`,
`?` or `…` (with any closing quotes) before whitespace, or at a line break;
a period after a single letter ("J. Smith"), a dotted abbreviation ("U.S.")
or a common title or abbreviation ("Gen.", "Inc.") does not end one. The
full stops of scripts that write none of those, or no space after them, end
one wherever they stand: Chinese and Japanese 。！？, the Devanagari and
Bengali danda ।, Urdu ۔, the Arabic question mark ؟, Burmese ။.
"""

from __future__ import annotations

import re

_STOPS = "\u3002\uff01\uff1f\u0964\u0965\u06d4\u061f\u104b"  # 。！？ । ॥ ۔ ؟ ။
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*(?=\s|$)|"
                  rf"[{_STOPS}]+[\"'\u201d\u2019\u300d\u300f\uff09)]*|\n")
_MARKS = ".!?\u2026" + _STOPS  # what a run of sentence-ending marks is made of
_LAST_ENDER = re.compile(rf"(?s:.*)([{_MARKS}\n])")  # greedy: backs up from the end to the last one
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt maj adm cmdr rep sen gov pres st jr sr no vs etc "
    "inc corp ltd co bros dept est approx fig jan feb mar apr jun jul aug sep sept oct nov dec".split())
# What may stand between a sentence's end (or a line's start) and its first word: spaces, opening
# quotes, brackets and dashes, Spanish opening marks.
_OPENING = " \t\u00a0\"'\u00ab\u201c\u201e\u2018\u201a\u2039([{\u00bf\u00a1\u2014\u2013-"
_BEFORE_START = frozenset(".!?:;\u2026\n")
_LONGEST = 1000  # a "sentence" longer than this is cut there: evidence stays readable
ELLIPSIS = "\u2026"


def sentence_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding `text[start:end]`, without leading or trailing space."""
    first = _previous_end(text, start)
    last = _next_end(text, end)
    while first < last and text[first].isspace():
        first += 1
    while last > first and text[last - 1].isspace():
        last -= 1
    return first, last


def context(text: str, start: int, end: int, width: int, lo: int = 0, hi: int | None = None,
            mark: tuple[str, str] | None = None) -> str:
    """About `width` characters of `text[lo:hi]` around the span, cut at spaces, on one line.

    An ellipsis marks each side where text was left out; `mark` wraps the span
    itself (explanations highlight it).
    """
    hi = len(text) if hi is None else hi
    half = max(0, width - (end - start)) // 2
    first, last = start - half, end + half
    if first < lo:
        first, last = lo, min(hi, last + lo - first)
    if last > hi:
        first, last = max(lo, first - last + hi), hi
    if first > lo and (cut := text.find(" ", first, start)) >= 0:
        first = cut + 1
    if last < hi and (cut := text.rfind(" ", end, last)) >= 0:
        last = cut
    words = text[first:last]
    if mark:
        words = f"{text[first:start]}{mark[0]}{text[start:end]}{mark[1]}{text[end:last]}"
    if not words.isprintable() or "  " in words:
        words = " ".join(words.split())
    return f"{ELLIPSIS if first > lo else ''}{words.strip()}{ELLIPSIS if last < hi else ''}"


def sentence_start(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of its sentence, line or text (where a capital proves
    nothing)."""
    at = start - 1
    while at >= 0 and text[at] in _OPENING:
        at -= 1
    return at < 0 or text[at] in _BEFORE_START


def ends_between(text: str, start: int, end: int) -> bool:
    """Whether a sentence ends within `text[start:end]` (or the gap is longer than any sentence)."""
    if end - start > _LONGEST:
        return True
    return any(not _abbreviation(text, match.start()) for match in _END.finditer(text, start, end))


def _previous_end(text: str, position: int) -> int:
    """Where the sentence holding `position` starts: just after the previous sentence's end."""
    floor = max(0, position - _LONGEST)
    cursor = position
    while cursor > floor:
        last = _LAST_ENDER.match(text, floor, cursor)  # the last one before the cursor, in one C scan
        if last is None:
            break
        found = last.start(1)
        match = _END.match(text, _run_start(text, found, floor))
        if match and match.end() <= position and not _abbreviation(text, match.start()):
            return match.end()
        cursor = found
    return floor


def _next_end(text: str, position: int) -> int:
    ceiling = min(len(text), position + _LONGEST)
    for match in _END.finditer(text, position, ceiling):
        if not _abbreviation(text, match.start()):
            return match.end()
    return ceiling


def _run_start(text: str, found: int, floor: int) -> int:
    """The first of a run of sentence-ending marks ("?!", "...") that ends at `found`."""
    while found > floor and text[found - 1] in _MARKS:
        found -= 1
    return found


def _abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot]
    return len(word) == 1 or "." in word or word.lower() in _ABBREVIATIONS
