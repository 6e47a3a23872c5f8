"""The case endings and postpositions that Indian and Nepali languages write on the end of a name.

Nepali, Marathi, Bengali and Assamese write their case markers as part of
the word (काठमाडौंमा "in Kathmandu", नेपालको "of Nepal", मुंबईला, ঢাকার,
তৃণমূলের); Hindi mostly writes them apart (भारत में) but also attached
(भारतमें), and takes honorifics (गांधीजी). A name there stands before
nothing, or before these endings up to the end of the word: बारा stands in
बारामा, not in बाराती. Lists are per language, since one language's ending
is another's word (Marathi locative त makes Hindi बारात "wedding
procession" of बारा); an article of unknown language takes every list of
the script, one of another language none.

Entries chain (नेपालसँगको: with + of; ভারতেরই: of + emphatic), up to three.
Written as the folded text has them: NFKC splits the nukta of য় and ড়.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

_NEPALI = ("को", "का", "की", "कै", "ले", "लाई", "मा", "मै", "बाट", "बाटै", "देखि", "सम्म", "तिर", "तर्फ",
           "भन्दा", "सँग", "संग", "सित", "द्वारा", "माथि", "भित्र", "बाहिर", "लागि", "निम्ति", "पछि", "अघि",
           "जस्तो", "जस्तै", "लगायत", "सहित", "विरुद्ध", "प्रति", "बारे", "हरू", "हरु", "नै", "ज्यू", "जी")
_HINDI = ("का", "के", "की", "को", "में", "से", "ने", "पर", "तक", "जी", "ही", "भी", "वाला", "वाले", "वाली")
# Marathi: a stem ending in a consonant takes ा before the ending (भारताचा, भारतात).
_MARATHI = tuple(f"{oblique}{ending}" for oblique in ("", "ा") for ending in (
    "ला", "ने", "नी", "ची", "चा", "चे", "च्या", "त", "शी", "हून", "साठी", "पासून", "पर्यंत", "कडे", "वर",
    "मध्ये", "तून", "मधून", "सह", "विरुद्ध", "बरोबर")) + ("च", "ही", "जी")
# Bengali and Assamese take one case ending, then at most the emphatic ই or "also" ও (ভারতেরই);
# chaining their one-letter endings would make other words of names (জুনি + য় + র: জুনিয়র).
_BENGALI = ("র", "ের", "য়ের", "এর", "ে", "তে", "য়", "য়ে", "এ", "কে", "রা", "েরা", "দের", "সহ")
_ASSAMESE = ("ৰ", "ক", "লৈ", "ত", "তে", "ে", "এ", "য়ে", "ৰে", "সহ")
_EMPHATIC = ("ই", "ও")
# A language's endings, how many of them may chain, and what may close them.
_Endings = tuple[tuple[str, ...], int, tuple[str, ...]]
_LISTS: dict[str, dict[str, _Endings]] = {
    "Devanagari": {"ne": (_NEPALI, 3, ()), "hi": (_HINDI, 3, ()), "mr": (_MARATHI, 3, ())},
    "Bengali": {"bn": (_BENGALI, 1, _EMPHATIC), "as": (_ASSAMESE, 1, _EMPHATIC)},
}
SCRIPTS = frozenset(_LISTS)


def _pattern(lists: list[_Endings]) -> re.Pattern[str]:
    def either(words: tuple[str, ...]) -> str:
        forms = sorted({unicodedata.normalize("NFKC", w) for w in words}, key=len, reverse=True)
        return "|".join(map(re.escape, forms))
    return re.compile("|".join(f"(?:{either(words)}){{1,{chain}}}(?:{either(closing)})?" if closing
                               else f"(?:{either(words)}){{1,{chain}}}" for words, chain, closing in lists)
                      + "".join(f"|(?:{either(closing)})" for _, _, closing in lists if closing))


@cache
def endings(script: str, language: str | None) -> re.Pattern[str] | None:
    """What may follow a name of `script` to the end of its word in an article of `language`; None
    when nothing may (a language of another script, or one whose endings are not listed)."""
    lists = _LISTS[script]
    if language is None:
        return _pattern(list(lists.values()))
    return _pattern([lists[language]]) if language in lists else None
