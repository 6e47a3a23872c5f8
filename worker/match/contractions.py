"""Names that start with a definite article, in the forms the Romance languages fuse it into.

French writes "Le Caire" but "au Caire" and "du Caire"; Spanish "El Cairo" but
"al Cairo"; Italian "La Spezia" but "alla Spezia" and "L'Aquila" but
"dell'Aquila"; Portuguese "O Porto" but "do Porto". News names such places
after a preposition more often than not, so a name configured with its
article is also looked for in each form its article takes after one, in
articles of that language only (elsewhere "du" or "al" is no article of it).

A fused form stands only where the words after the article are written as
configured, with a capital where the name has one: "alla stampa" (to the
press) is not the newspaper "La Stampa", "alla Stampa" is. The article itself
may be capitalised, at a sentence's start ("Au Caire, ..."). A name in
capitals throughout a headline is left to its unfused form.
"""

from __future__ import annotations

from collections.abc import Iterator

RULE = "article contraction"
# By language, each definite article (lower-cased) and the forms it takes fused with a preposition.
FUSED: dict[str, dict[str, tuple[str, ...]]] = {
    "fr": {"le": ("du", "au"), "les": ("des", "aux")},
    "es": {"el": ("del", "al")},
    "ca": {"el": ("del", "al", "pel"), "els": ("dels", "als", "pels")},
    "it": {"il": ("del", "al", "dal", "nel", "sul"), "lo": ("dello", "allo", "dallo", "nello", "sullo"),
           "la": ("della", "alla", "dalla", "nella", "sulla"),
           "l'": ("dell'", "all'", "dall'", "nell'", "sull'"),
           "i": ("dei", "ai", "dai", "nei", "sui"), "gli": ("degli", "agli", "dagli", "negli", "sugli"),
           "le": ("delle", "alle", "dalle", "nelle", "sulle")},
    "pt": {"o": ("do", "ao", "no", "pelo"), "a": ("da", "à", "na", "pela"),
           "os": ("dos", "aos", "nos", "pelos"), "as": ("das", "às", "nas", "pelas")},
}
_APOSTROPHES = "'\u2019"


def fused(phrase: str) -> Iterator[tuple[str, str]]:
    """Each form of `phrase` with its article fused, and the language it is one of; nothing for a
    phrase that does not start with an article followed by a word."""
    article, rest = _split(phrase)
    if not rest:
        return
    for language, articles in FUSED.items():
        for form in articles.get(article, ()):
            for written in (form, form[0].upper() + form[1:]):
                yield f"{written}{rest}" if written.endswith("'") else f"{written} {rest}", language


def _split(phrase: str) -> tuple[str, str]:
    """The phrase's first word, lower-cased, if it is an article ("l'" elided), and the words after it."""
    first, _, rest = phrase.partition(" ")
    if len(first) > 2 and first[1] in _APOSTROPHES and first[0] in "lL":
        return "l'", phrase[2:]
    return first.lower(), rest.strip()
