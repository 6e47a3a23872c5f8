"""Where a name may begin and end in running text, by the script it is written in.

Latin, Cyrillic, Greek and most scripts put spaces between words, so a name
matches whole tokens only: "Iran" is not in "Irani". Others do not, and the
token rule would make their names unfindable:

- Han, Kana, Thai, Lao, Khmer and Myanmar are written without spaces: a name
  is a run of characters inside a longer run (北京 in 我在北京工作). Guards
  keep it from firing inside another word where the script lets one tell: a
  Katakana name does not continue a Katakana word (ハマス is not in ハマスター);
  a Thai, Lao, Khmer or Myanmar name does not end before a combining vowel or
  tone mark of its last syllable, nor start after a vowel written before its
  consonant; a one-character Han name stands beside no other Han character,
  since one character inside a word is nearly always part of that word; a
  Han name followed by the character for a mountain, ocean, lake or river
  with which it makes a word of Chinese or Japanese (wordfreq's lists) names
  that feature: 太平山 is a mountain, not the town 太平; 印度洋 an ocean and
  亚马逊河 a river, not India or Amazon; 中国山东 stays China, since 中国山 is
  no word.
- Korean spaces its words but attaches particles: 서울 stands in 서울에서 and
  서울의, and before the nouns that still name it (서울시는, 북한군이), not in 서울대
  (a university). Nepali, Hindi, Marathi, Bengali and
  Assamese attach case endings and postpositions (नेपालको, বীরভূমের), in the
  article's language (`worker.match.postpositions`).
- Arabic and Hebrew attach conjunctions, prepositions and the article: دمشق
  stands in ودمشق and بدمشق, ירושלים in בירושלים. In an article known to be in
  another language of the script (Persian, Urdu, Yiddish) the prefixes are
  not Arabic's or Hebrew's, and the name must stand alone.

Each side of a name takes the rule of the script of its end character, so a
mixed name ("G20峰会") needs a space before "G" and nothing after "会". A
Latin or Cyrillic name that touches an unspaced script (据CNN报道) stands
as a whole token where those characters are taken for spaces (`spaced_view`). A side
that needs a token boundary is a space in the automaton's key, which is free;
the other rules are checked per hit by `Boundary.holds`, for hits of keys of
those scripts only.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import cache

from worker.match import postpositions

_RANGES = (  # (first, last, script), sorted: the scripts whose names do not end at spaces
    (0x0590, 0x05FF, "Hebrew"), (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"),
    (0x08A0, 0x08FF, "Arabic"), (0x0900, 0x097F, "Devanagari"), (0x0980, 0x09FF, "Bengali"),
    (0x0E00, 0x0E7F, "Thai"), (0x0E80, 0x0EFF, "Lao"),
    (0x1000, 0x109F, "Myanmar"), (0x1100, 0x11FF, "Hangul"), (0x1780, 0x17FF, "Khmer"),
    (0x19E0, 0x19FF, "Khmer"), (0x2E80, 0x2FDF, "Han"), (0x3005, 0x3007, "Han"), (0x3021, 0x3029, "Han"),
    (0x3038, 0x303B, "Han"), (0x3041, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"),
    (0x3130, 0x318F, "Hangul"), (0x31F0, 0x31FF, "Katakana"), (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"), (0xA8E0, 0xA8FF, "Devanagari"), (0xA9E0, 0xA9FF, "Myanmar"),
    (0xAA60, 0xAA7F, "Myanmar"),
    (0xAC00, 0xD7AF, "Hangul"), (0xF900, 0xFAFF, "Han"), (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"), (0xFE70, 0xFEFF, "Arabic"), (0x20000, 0x3134F, "Han"),
)
_FIRSTS = [first for first, _, _ in _RANGES]
_FIRST_RULED = chr(_FIRSTS[0])  # below it, no script of _RANGES
UNSPACED = frozenset({"Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar"})
_SYLLABIC = frozenset({"Thai", "Lao", "Khmer", "Myanmar"})
_FEATURES = frozenset("山峰岭嶺洋湖河江川")  # mountain, peak, ridge, ocean, lake, river
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
_TRAILING_VOWELS = frozenset("\u0e30\u0e32\u0e33\u0e45\u0eb0\u0eb2\u0eb3")
# The prefixes each script attaches to a word, as folded (أ is ا): conjunction, preposition, article.
_PREFIXES = {
    "Arabic": re.compile("[\u0648\u0641]?(?:[\u0628\u0643\u0644]?\u0627\u0644|\u0644\u0644|"
                         "[\u0628\u0643\u0644])?"),
    "Hebrew": re.compile("[\u05d5\u05d4\u05d1\u05dc\u05de\u05e9\u05db]{1,3}"),
}
# The languages whose prefixes those are; in an article of unknown language they are allowed too.
_PREFIX_LANGUAGES = {"Arabic": frozenset({"ar"}), "Hebrew": frozenset({"he", "iw"})}
_KOREAN_PARTICLES = re.compile(
    "(?:\uc5d0\uc11c|\uc5d0\uac8c|\uaed8\uc11c|\ud55c\ud14c|\uc73c\ub85c|\uae4c\uc9c0|\ubd80\ud130|"
    "\ubcf4\ub2e4|\ucc98\ub7fc|\uc774\ub098|\uc774\ub791|\ud558\uace0|\ub9c8\ub2e4|\uc870\ucc28|"
    "\ubc16\uc5d0|\uc785\ub2c8\ub2e4|\uc774\uc5c8\ub2e4|\uc600\ub2e4|\uc774\ub2e4|\uc774\uba70|"
    "\uc774\uace0|\uc774\ub77c\ub294|\ub77c\ub294|\uc774\ub77c\uace0|\ub77c\uace0|\uc758|\uc5d0|\ub85c|"
    "\uc640|\uacfc|\uc774|\uac00|\uc740|\ub294|\uc744|\ub97c|\ub3c4|\ub9cc|\ub098|\ub791|\uaed8|\ubfd0|"
    # the nouns news attaches to a place or a country and that still name it: 시 (city: 서울시는),
    # 측 (side), 정부 (government), 당국 (authorities), 군 (army, county: 북한군이)
    "\uc2dc|\uce21|\uc815\ubd80|\ub2f9\uad6d|\uad70){1,3}")


_UNSPACED_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last, name in _RANGES if name in UNSPACED)
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED_CLASS}]")
_FIRST_UNSPACED = chr(min(first for first, _, name in _RANGES if name in UNSPACED))
_ABUTTING = re.compile(f"[{_UNSPACED_CLASS}][^ {_UNSPACED_CLASS}]|[^ {_UNSPACED_CLASS}][{_UNSPACED_CLASS}]")


def spaced_view(text: str, chars: frozenset[str]) -> str | None:
    """`text` (folded, its non-ASCII characters `chars`) with its Han, Kana, Thai... characters made
    spaces, when a word of another script touches one (据CNN报道, 米Appleは); None when none does.

    Chinese and Japanese write Latin names and acronyms without spaces around them, so their whole-token
    keys find them only in this view; it has the same length, so spans are the same. A text without such
    characters costs a look at its distinct characters."""
    if not any(script(char) in UNSPACED for char in chars if char >= _FIRST_UNSPACED) or (
            _ABUTTING.search(text) is None):
        return None
    return _UNSPACED_CHAR.sub(" ", text)


def script(char: str) -> str | None:
    """The script of `char` when it is one whose names do not simply end at spaces, else None."""
    code = ord(char)
    index = bisect.bisect_right(_FIRSTS, code) - 1
    if index >= 0 and code <= _RANGES[index][1]:
        return _RANGES[index][2]
    return None


class Edge(IntEnum):
    TOKEN = 0  # a space (or the text's end) must be there: a space in the key
    SEQUENCE = 1  # unspaced scripts: any character, bar the guards
    PREFIX = 2  # before an Arabic or Hebrew name: nothing, or the script's attached prefixes
    PARTICLE = 3  # after a Korean name: nothing, or particles to the end of the word
    ARTICLE_L = 4  # before an Arabic name without its article: the "ل" of "لل" (للقاهرة)
    SUFFIX = 5  # after a Devanagari or Bengali name: nothing, or the language's endings to the word's end


@dataclass(frozen=True, slots=True)
class Boundary:
    """How one side or both sides of a key other than whole tokens are checked."""

    left: Edge
    right: Edge
    first: str | None  # the scripts of the key's first and last characters
    last: str | None
    single: bool  # one character long: one Han character stands only apart from other Han

    def holds(self, text: str, start: int, end: int, language: str | None) -> str | None:
        """How the name at `text[start:end]` (folded, padded) stands as a word of its script, in words
        for explanations ("Han sequence", "Arabic prefix"; "" as a whole token), or None if it does not."""
        if not (self._left(text, start, language) and self._right(text, start, end, language)):
            return None
        if self.left is Edge.SEQUENCE or self.right is Edge.SEQUENCE:
            return f"{self.first if self.left is Edge.SEQUENCE else self.last} sequence"
        if self.left is not Edge.TOKEN and text[start - 1] != " ":
            return f"{self.first} prefix"
        if self.right is Edge.PARTICLE and text[end] != " ":
            return "Korean particle"
        if self.right is Edge.SUFFIX and text[end] != " ":
            return f"{self.last} postposition"
        return ""

    def _left(self, text: str, start: int, language: str | None) -> bool:
        if self.left is Edge.TOKEN:
            return True
        before = text[start - 1]
        if self.left is Edge.SEQUENCE:
            return _may_follow(before, self.first, self.single)
        if before == " " and self.left is Edge.PREFIX:
            return True
        assert self.first is not None  # noqa: S101 - PREFIX and ARTICLE_L are Arabic or Hebrew edges
        if language is not None and language not in _PREFIX_LANGUAGES[self.first]:
            return False
        prefix = text[text.rfind(" ", 0, start) + 1:start]
        if self.left is Edge.ARTICLE_L:
            return prefix in ("\u0644", "\u0648\u0644", "\u0641\u0644")
        return _PREFIXES[self.first].fullmatch(prefix) is not None

    def _right(self, text: str, start: int, end: int, language: str | None) -> bool:
        if self.right is Edge.TOKEN:
            return True
        after = text[end]
        if self.right is Edge.SEQUENCE:
            if self.last == "Han" and after in _FEATURES and text[start:end] + after in _feature_names():
                return False
            return _may_precede(after, self.last, self.single)
        if after == " ":
            return True
        word_end = text.find(" ", end)
        if self.right is Edge.SUFFIX:
            assert self.last is not None  # noqa: S101 - SUFFIX is a Devanagari or Bengali edge
            allowed = postpositions.endings(self.last, language)
            return allowed is not None and allowed.fullmatch(text, end, word_end) is not None
        return _KOREAN_PARTICLES.fullmatch(text, end, word_end) is not None


def _may_follow(before: str, first: str | None, single: bool) -> bool:
    """Whether an unspaced name starting in script `first` may start right after `before`."""
    if first == "Katakana":
        return script(before) != "Katakana"
    if first in ("Thai", "Lao"):
        return before not in _LEADING_VOWELS
    return not (single and script(before) == "Han")


def _may_precede(after: str, last: str | None, single: bool) -> bool:
    """Whether an unspaced name ending in script `last` may end right before `after`."""
    if last == "Katakana":
        return script(after) != "Katakana"
    if last in _SYLLABIC:
        return not (unicodedata.category(after)[0] == "M" or after in _TRAILING_VOWELS)
    return not (single and script(after) == "Han")


@cache
def _feature_names() -> frozenset[str]:
    """The words of Chinese and Japanese (wordfreq's lists, shipped) of three or more characters that
    end in the character for a mountain, ocean, lake or river: about 2,300, read on first need."""
    from wordfreq import available_languages, read_cBpack

    lists = available_languages("large")
    return frozenset(word for lang in ("zh", "ja") for bucket in read_cBpack(lists[lang])
                     for word in bucket if len(word) > 2 and word[-1] in _FEATURES)


def boundary(form: str) -> Boundary | None:
    """How a folded phrase's ends are matched; None when both are whole-token ends."""
    if form[0] < _FIRST_RULED and form[-1] < _FIRST_RULED:  # Latin, Greek, Cyrillic...: most phrases, at once
        return None
    first, last = script(form[0]), script(form[-1])
    left = Edge.SEQUENCE if first in UNSPACED else Edge.PREFIX if first in _PREFIXES else Edge.TOKEN
    right = (Edge.SEQUENCE if last in UNSPACED else Edge.PARTICLE if last == "Hangul"
             else Edge.SUFFIX if last in postpositions.SCRIPTS else Edge.TOKEN)
    if left is Edge.TOKEN and right is Edge.TOKEN:
        return None
    return Boundary(left, right, first, last, len(form) == 1)


def keys(form: str) -> list[tuple[str, Boundary | None]]:
    """The automaton keys of a folded phrase with how each is checked: a space where a side needs one.

    An Arabic name with the article (القاهرة) also gets the key that finds it after the
    preposition ل, which swallows the article's alef (للقاهرة)."""
    rule = boundary(form)
    if rule is None:
        return [(f" {form} ", None)]
    key = ("" if rule.left is not Edge.TOKEN else " ") + form + (" " if rule.right is Edge.TOKEN else "")
    found: list[tuple[str, Boundary | None]] = [(key, rule)]
    if rule.first == "Arabic" and form.startswith("\u0627\u0644") and len(form) > 3:
        article = Boundary(Edge.ARTICLE_L, rule.right, rule.first, rule.last, False)
        found.append((key[1:], article))
    return found
