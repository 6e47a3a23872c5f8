"""One folded form for article text and configured phrases, and the way back to the original.

Matching compares folded text: NFKC, casefolded, Latin diacritics removed
("Erdoğan" is "erdogan"), invisible format characters dropped, and every
character that is not a letter, digit, mark or "_" turned into one space, so
that quotes, dashes and punctuation of any typography separate words alike
("_" joins words in handles and hashtags: "@US_Army" does not name the US). The
folded text is padded with a space at each end, and phrases are looked up as
" phrase ": a hit can then only start and end on token boundaries.

Scripts written with optional marks fold them away on both sides, so that a
vocalised text finds an alias typed without them and back: Arabic harakat
(U+064B-U+065F, superscript alef U+0670, Quranic annotation marks) and the
tatweel that stretches a word, and Hebrew niqqud and cantillation. The
letters Arabic writers and keyboards use interchangeably fold to one form,
as Arabic search engines fold them (Lucene's ArabicNormalizer, Larkey's
light stemmer): the hamza-carrying alefs أ إ آ and alef wasla ٱ are ا
(news text drops the hamza on half its alefs); alef maqsura ى is ي, since
Egyptian typesetting writes every final ي as ى (السيسى for السيسي) -- the price
is that the preposition على folds to the name علي, which only a one-word
alias meets, and config check warns of common words; ta marbuta ة is ه, the
way informal and Egyptian text writes it (حماه and حماة are both Hama). The
Persian and Urdu letters for kaf, yeh and heh (ک ی ہ ۃ ۀ) fold to the Arabic
ones, which Persian text typed on Arabic keyboards uses. Hamza on waw and
yeh (ؤ ئ) stays: it is part of the spelling, and no keyboard habit drops it.
Digits of every script (٣, ۳, ๓) are ASCII digits. Traditional Chinese characters
fold to their simplified forms (國 is 国, 臺 and 台 are 台), as OpenCC's t2s
table has them, character for character: a team that types 美国 reads Taipei's
and Hong Kong's 美國, and one that types 臺灣 reads Beijing's 台湾; Japanese
kanji that are traditional forms (東, 發) fold alike on both sides.

Each character folds on its own and almost always to exactly one character,
so a position in the folded text is the same position in the original. The
few characters that fold to several (ß, ﬁ, Æ, ½) or to none (combining
accents, soft hyphens) are recorded as anchors, and `Folded.original_span`
maps a span back across them: spans in match records point into the text as
the article has it, for UIs to highlight.

Speed is the point of the layout: ASCII, which is most of any English
article, is folded by one `bytes.translate` over the UTF-8 encoding (which
leaves multi-byte sequences alone); the few distinct non-ASCII characters of
an article (quotes, dashes, accented letters) are found by deleting the ASCII
bytes, folded through a per-character table computed once per character,
and replaced with one `str.replace` each (one `str.translate` for the hundreds
of distinct characters of a Chinese or Japanese text). Nothing loops over
characters in Python: the characters that fold to other than one (vowel marks,
ligatures) are found by one regex scan.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import cache

# Letters that carry their "accent" in the base character, so NFD does not split it off.
_LATIN = {"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i", "ħ": "h", "þ": "th",
          "ð": "d", "ŧ": "t", "ŀ": "l", "ĸ": "k", "ſ": "s"}
# Combining marks that are accents on Latin, Greek and Cyrillic letters; the marks of other
# scripts (Devanagari vowel signs, Hebrew points) are part of their words and are kept.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Marks that vowel or cantillate a word without changing which word it is (see the module docstring).
_OPTIONAL_MARKS = re.compile("[\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
                             "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]")
# Letters written interchangeably (see the module docstring); applied after NFKC.
_VARIANTS = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
                           "\u0672": "\u0627", "\u0673": "\u0627", "\u0649": "\u064a", "\u0629": "\u0647",
                           "\u06a9": "\u0643", "\u06cc": "\u064a", "\u06c1": "\u0647", "\u06c3": "\u0647",
                           "\u06c0": "\u0647"})
_ASCII_BYTES = bytes(range(128))
# Past this many distinct characters (Chinese, Japanese) one translate beats a replace per character.
_MANY_CHARS = 100


def _ascii_table(keep_case: bool) -> bytes:
    """ASCII letters (lower-cased unless `keep_case`), digits and "_" stay; the rest is a space."""
    table = bytearray(range(256))
    for byte in range(128):
        char = chr(byte)
        if not (char.isalnum() or char == "_"):
            table[byte] = 0x20
        elif not keep_case:
            table[byte] = ord(char.lower())
    return bytes(table)


_ASCII_LOWER = _ascii_table(keep_case=False)
_ASCII_CASED = _ascii_table(keep_case=True)


def _fold_char(char: str, keep_case: bool, keep_accents: bool = False) -> str:
    """The folded form of one non-ASCII character; see the module docstring."""
    category = unicodedata.category(char)
    if _OPTIONAL_MARKS.match(char) or (
            category in ("Cf", "Mn", "Me") and not _is_script_mark(char) and not keep_accents):
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(char))
    text = unicodedata.normalize("NFKC", char).translate(_VARIANTS)
    if "\u3400" <= text <= "\u9fff":
        text = text.translate(_simplified())
    if not keep_case:
        text = text.casefold()
    if not keep_accents:
        text = _ACCENTS.sub("", unicodedata.normalize("NFD", text))
        text = "".join(_latin(c) for c in text)
    text = unicodedata.normalize("NFC", text)
    out = "".join(c if unicodedata.category(c)[0] in "LNM" or c == "_" else " " for c in text)
    # "…" is three dots after NFKC: a separator is one space, whatever it decomposes to.
    return " " if not out.strip() else out


@cache
def _simplified() -> dict[int, str]:
    """Each traditional Chinese character of the main CJK blocks that OpenCC's t2s writes as another
    single character (about 4,200), found once by converting them all (a few milliseconds)."""
    import opencc

    chars = [chr(code) for code in range(0x3400, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(char): to for char, to in zip(chars, converted, strict=True) if to != char and len(to) == 1}


def _is_script_mark(char: str) -> bool:
    return unicodedata.category(char) != "Cf" and not _ACCENTS.match(char)


def _latin(char: str) -> str:
    plain = _LATIN.get(char.lower())
    if plain is None:
        return char
    return plain.upper() if char.isupper() else plain


class _FoldTable(dict[str, str]):
    """Per-character folds, computed on first sight: there are few distinct characters."""

    def __init__(self, keep_case: bool, keep_accents: bool = False) -> None:
        super().__init__()
        self.keep_case = keep_case
        self.keep_accents = keep_accents
        self.irregular: set[str] = set()

    def __missing__(self, char: str) -> str:
        folded = _fold_char(char, self.keep_case, self.keep_accents)
        if len(folded) != 1:
            self.irregular.add(char)
        self[char] = folded
        return folded

    def run(self, chars: str) -> str:
        return "".join(map(self.__getitem__, chars))


_LOWER = _FoldTable(keep_case=False)
_CASED = _FoldTable(keep_case=True, keep_accents=True)


class Folded:
    """A text's folded form (`text`, padded with a space each end) and how to map spans back.

    `anchors` holds `(folded_position, original_position, folded_length)` for the
    characters that did not fold to exactly one character, in order; it is empty
    for nearly every article, and mapping is then a subtraction. `chars` holds
    the distinct non-ASCII characters of the original, which tell its scripts
    at the cost of a look at a few dozen characters.
    """

    __slots__ = ("anchors", "chars", "original", "text", "_starts")

    def __init__(self, original: str, text: str, anchors: tuple[tuple[int, int, int], ...] = (),
                 chars: frozenset[str] = frozenset()) -> None:
        self.original = original
        self.text = text
        self.anchors = anchors
        self.chars = chars
        self._starts = [anchor[0] for anchor in anchors]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map `[start, end)` of `text` (a span of whole tokens) to the original text."""
        if not self.anchors:
            return start - 1, end - 1
        first = self._original(start - 1)
        last = self._original(end - 2) + 1
        # an accent or soft hyphen right after the last letter belongs to the word
        while last < len(self.original) and _LOWER[self.original[last]] == "":
            last += 1
        return first, last

    def _original(self, position: int) -> int:
        index = bisect.bisect_right(self._starts, position) - 1
        if index < 0:
            return position
        folded_at, original_at, length = self.anchors[index]
        if position < folded_at + length:
            return original_at
        return original_at + 1 + position - folded_at - length


def fold(text: str) -> Folded:
    """Fold `text` for matching; see the module docstring."""
    chars = _non_ascii(text)
    folded, anchors = _fold(text, _LOWER, _ASCII_LOWER, chars)
    return Folded(text, f" {folded} ", anchors, chars)


def phrase_key(phrase: str) -> str:
    """The folded tokens of a configured phrase, one space apart: "U.S.-led" is "u s led"."""
    return " ".join(fold(phrase).text.split())


def phrase_keys(phrase: str) -> set[str]:
    """The forms an automaton looks for: the tokens one space apart, and as written.

    Article text is folded one character for one, so "Atlanta, Georgia" in an
    article is "atlanta  georgia", two spaces: the written form finds it, and
    the plain form finds "Atlanta Georgia". Empty when nothing is left.
    """
    written = fold(phrase).text.strip()
    return {written, " ".join(written.split())} - {""}


def accent_key(text: str, keep: frozenset[str] = frozenset()) -> str:
    """The folded tokens of `text`, but the letters in `keep` stay as they are (lower-cased).

    What an alias and the words it matched compare by in a language that tells those letters apart."""
    lowered = unicodedata.normalize("NFC", text.lower())
    kept = "".join(char if char in keep or char.isascii() else _LOWER[char] for char in lowered)
    return " ".join(kept.encode("utf-8").translate(_ASCII_LOWER).decode("utf-8").split())


def case_key(text: str) -> str:
    """The tokens of `text` as written, case and accents kept: what a case-sensitive alias compares.

    Accents are kept because a case-sensitive alias is matched as written:
    "AS" is not the Turkish "AŞ" (a company's suffix)."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(_fold(text, _CASED, _ASCII_CASED, _non_ascii(text))[0].split())


def _non_ascii(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of `text`, found by deleting the ASCII bytes of its UTF-8."""
    if text.isascii():
        return frozenset()
    return frozenset(text.encode("utf-8").translate(None, _ASCII_BYTES).decode("utf-8"))


def _fold(text: str, table: _FoldTable, ascii_table: bytes,
          chars: frozenset[str]) -> tuple[str, tuple[tuple[int, int, int], ...]]:
    """Fold `text`, whose non-ASCII characters are `chars`; anchors only when some fold to other than one."""
    anchors: tuple[tuple[int, int, int], ...] = ()
    if chars:
        folds = {char: table[char] for char in chars}
        irregular = table.irregular.intersection(chars)
        if irregular:
            anchors = _anchors(text, irregular, table)
        if len(folds) > _MANY_CHARS:
            text = text.translate({ord(char): folded for char, folded in folds.items()})
        else:
            for char, folded in folds.items():
                text = text.replace(char, folded)
    # on UTF-8, the table maps ASCII bytes and leaves the bytes of multi-byte characters alone
    return text.encode("utf-8").translate(ascii_table).decode("utf-8"), anchors


def _anchors(text: str, irregular: set[str], table: _FoldTable) -> tuple[tuple[int, int, int], ...]:
    """Where the characters that fold to other than one character stand, found by one regex scan.

    A vocalised Arabic or Hebrew text has hundreds of them, so they are found in C, not by a loop
    over every character."""
    anchors: list[tuple[int, int, int]] = []
    shift = 0
    pattern = re.compile("[" + "".join(sorted(map(re.escape, irregular))) + "]")
    for match in pattern.finditer(text):
        position = match.start()
        length = len(table[match.group()])
        anchors.append((position + shift, position, length))
        shift += length - 1
    return tuple(anchors)
