"""How short an alias may be, judged by the script it is written in.

An alias matched ignoring case fires wherever its letters stand as a word, or,
in the scripts written without spaces, wherever they stand at all. How much a
character says depends on the script, so the count does too:

- alphabets and abjads (Latin, Cyrillic, Greek, Arabic, Hebrew, ...) spell
  sounds: one or two letters ("a", "us", "به") are ordinary words, so an alias
  needs three letters (an acronym goes under case_sensitive_aliases);
- Thai, Lao, Khmer and Myanmar spell sounds too, but a letter carries its vowel
  signs and tone marks: counted by letters without those marks, the same rule;
- a Han character is a syllable and usually a word: a two-character name (北京,
  中国) is normal, a single one (京, 美) sits inside countless words;
- a kana is one mora and a Hangul block one syllable: one (タ, 미) sits inside
  countless words, two (タイ, 서울) is a name.
"""

from __future__ import annotations

import unicodedata

# Scripts whose characters each carry a syllable or a word: the first word of the character's
# Unicode name, and what one character of it is called in a message.
_SYLLABIC = {"CJK": "Han character", "HIRAGANA": "kana", "KATAKANA": "kana", "HANGUL": "Hangul syllable"}


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


def _letters(alias: str) -> list[str]:
    """The letters that count: marks (vowel signs, harakat, tone marks) ride on a letter."""
    return [ch for ch in alias if unicodedata.category(ch)[0] in "LN"]


def short_alias(alias: str) -> str | None:
    """Why `alias` is too short to match ignoring case and what to do, or None."""
    letters = _letters(alias)
    if not letters:
        return None
    syllabic = [_SYLLABIC[s] for ch in letters if (s := _script(ch)) in _SYLLABIC]
    if syllabic and len(syllabic) == len(letters):
        if len(letters) == 1:
            return (f"alias {alias!r} is one {syllabic[0]}, which sits inside countless longer words "
                    f"and names; use the full name (北京, not 京)")
        return None
    stripped = alias.strip()
    # "U.S." is distinctive; "us" is not: punctuation inside keeps a short alias apart from a word
    if len(letters) <= 2 and all(unicodedata.category(ch)[0] in "LNM" for ch in stripped):
        return (f"alias {alias!r} has one or two letters and is matched ignoring case, so ordinary words "
                f"fire it (\"a\", \"us\", \"is\"); put an acronym under case_sensitive_aliases in "
                f"capitals, or remove it")
    return None
