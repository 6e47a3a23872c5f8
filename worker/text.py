"""Text from strangers made valid, once, where it enters: `clean` is the only gate.

Feeds and pages carry whatever their authors' tools emit: control characters
(U+0001 in a title is enough to make lxml refuse the string), lone surrogates
(from `&#xD800;`; no UTF-8 encoder accepts them, so JSON serialisation raises),
noncharacters, and bidirectional overrides that make a title display reversed.
The feed reader and the extractor pass every string through `clean` before a
record holds it, and the records refuse a string `clean` would have changed
(`refuse_unclean`), so no later stage has to think about it.

What `clean` does, and why:

- lone surrogates (U+D800-U+DFFF) and noncharacters (U+FDD0-U+FDEF, U+xFFFE,
  U+xFFFF) become U+FFFD: they are not text, and no encoder or XML parser takes
  them; the replacement keeps a visible trace. A surrogate pair left unpaired
  by a decoder is joined back into the character it encodes first.
- CR and CR LF become LF, U+2028/U+2029 become LF: one line break, which JSON
  in every receiver reads the same.
- C0 and C1 controls other than tab and LF are dropped, NUL included: they are
  invisible and, to Slack, lxml and terminals, meaningful.
- bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069) and the deprecated format controls U+206A-U+206F are dropped:
  they reorder what a reader sees (a title that displays reversed, a link
  text that hides its end). Marks that only attach direction to a character
  (U+200E, U+200F, U+061C) and joiners (U+200C, U+200D, needed by Persian,
  Indic scripts and emoji) stay.
- U+FEFF inside text (a byte-order mark glued on by concatenation) is dropped.
- the result is cut to the field's cap at a word, with "…".

Caps, in characters, per field (the feed's or the page's):

    title 1,000 · summary 4,000 · content (HTML) 200,000 · article text 100,000
    author, site, feed-given names 300 · guid 1,000 · language 35 · links 2,048 (worker.links)

They keep one record far under Kafka's 1 MB message limit whatever the item
holds (200,000 characters of 4-byte UTF-8 are 800 kB), and no headline,
byline or id is longer in real feeds; destinations cut further for display.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

TITLE = 1_000
SUMMARY = 4_000
CONTENT = 200_000
BODY = 100_000
NAME = 300
GUID = 1_000
LANGUAGE = 35
ELLIPSIS = "…"

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane | 0xFFFE) + chr(plane | 0xFFFF)
                                        for plane in range(0, 0x110000, 0x10000))
_SURROGATE = re.compile("[\ud800-\udfff]")
_NONCHARACTER = re.compile(f"[{_NONCHARACTERS}]")
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_DROPPED = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u206f\ufeff"
_DROP = re.compile(f"[{_DROPPED}]")
# The test for "anything to do" is split: a class of BMP characters only is one table lookup per
# character, while one holding astral noncharacters is a walk of its ranges (14 times slower on an
# article). The astral ones are looked for only in text that holds an astral character (emoji, CJK).
_BMP_WORK = re.compile(f"[{_DROPPED}\r\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def clean(text: str, limit: int | None = None) -> str:
    """`text` as valid, visible-as-written text, at most `limit` characters (cut at a word, with "…")."""
    if _BMP_WORK.search(text) or (not text.isascii() and _astral(text) and _NONCHARACTER.search(text)):
        text = _NONCHARACTER.sub("\ufffd", scalar_values(text))
        text = _DROP.sub("", _BREAKS.sub("\n", text))
    return text if limit is None else shorten(text, limit)


def _astral(text: str) -> bool:
    """Whether `text` holds a character beyond U+FFFF: the only ones UTF-16 writes in four bytes. Encoding
    is a copy; a regular expression's search for them walks the text 50 times slower."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


def scalar_values(text: str) -> str:
    """`text` as Unicode scalar values, which every encoder takes: pairs a decoder left split are one
    character again, lone surrogate halves U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def shorten(text: str, limit: int, size: Callable[[str], int] = len) -> str:
    """`text` cut to `size(result) <= limit` at a word boundary, ending in "…"; unchanged when it fits.

    `size` measures the result as its destination will (Slack counts escaped
    characters, for instance). A cut never splits a character from the
    combining marks or joiners that follow it; when no word boundary lies in
    the last third, the cut falls mid-word (a URL, a long compound, CJK text).
    """
    if size(text) <= limit:
        return text
    budget = limit - size(ELLIPSIS)
    if budget <= 0:
        return ""
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits: size is monotonic in the prefix length
        mid = (low + high + 1) // 2
        if size(text[:mid]) <= budget:
            low = mid
        else:
            high = mid - 1
    cut = low
    space = max(text.rfind(" ", 0, cut + 1), text.rfind("\n", 0, cut + 1))
    if space >= cut * 2 // 3:
        cut = space
    while 0 < cut < len(text) and _attaches(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def _attaches(char: str) -> bool:
    """A character that belongs to the one before it: a combining mark, a joiner, a variation selector."""
    return unicodedata.category(char)[0] == "M" or char in "\u200c\u200d" or "\ufe00" <= char <= "\ufe0f"


def refuse_unclean(limit: int | None) -> Callable[[str], str]:
    """A pydantic validator: the string as it is when `clean` would leave it so, else an error saying why."""

    def check(value: str) -> str:
        if clean(value, limit) != value:
            too_long = f" or is over {limit} characters" if limit is not None and len(value) > limit else ""
            raise ValueError(f"text holds controls, bidirectional overrides or invalid code points"
                             f"{too_long}; the stage that took it from a feed or page must pass it "
                             "through worker.text.clean")
        return value

    return check


# A Han, kana or Hangul character carries about what three Latin letters do: an English word is some
# 5.7 characters with its space, a Chinese word 1.5 to 2 characters, a Japanese one a little more.
WIDE_WEIGHT = 3


def text_size(text: str) -> int:
    """The length of `text` in Latin-letter equivalents, for thresholds written in characters: 250
    characters of Japanese say as much as some 700 of English, so a length floor must not refuse them."""
    wide = sum(1 for char in text if char >= "\u1100" and unicodedata.east_asian_width(char) in "WF")
    return len(text) + (WIDE_WEIGHT - 1) * wide
