"""The letters with diacritics that a language tells apart, so that folding them does not make collisions.

Folding accents finds "Erdogan" for "Erdoğan" and "Sao Paulo" for "São Paulo",
which is what an English reader expects. A French reader would never take
"gris chiné" for China (Chine), nor a Portuguese one "irá" ("will go") for Iran
(Irã): in an article in their language, é and ã are letters of their own. So
in an article whose language is known, an alias and the words it matches must
agree on every letter with a diacritic that the article's language writes;
letters foreign to it still fold ("Erdogan" in a French article is
Erdoğan, as French writes it). An alias with none of those letters (typed
without accents) is the exception: where the words are written as a name it
finds them with their accents (see `unaccented`). English has no such letters;
an article of unknown language folds everything, as before.

The letters are read from CLDR (through Babel, which ships it): the letters
with diacritics in at least two of the language's own names of months, days,
date fields, units and languages, which are words of the language itself
(English: none; French: à ç è é î ï; Turkish: ç ö ü ğ ı ş). Letters that
writers drop or type another way as a rule are left out: Russian ё (written
е), Arabic hamza on alef (اسرائيل for إسرائيل), ta marbuta and alef maqsura
(ه, ي in their place), the Persian and Urdu kaf, yeh and heh (typed with the
Arabic keyboard's ك and ي), and Thai sara am (typed as two characters). Text
in capitals is not judged: French and Greek drop accents on capitals.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from babel import Locale, UnknownLocaleError

from worker.folding import accent_key

_SOURCES = ("months", "days", "date_fields", "unit_display_names", "languages")
_OPTIONAL = frozenset("ёأإآةىکیہำ")  # letters writers drop or type another way: never judged
_WORDS = 2  # distinct words a letter must be seen in: one could be a borrowed name (English "Volapük")


@cache
def distinguished(language: str | None) -> frozenset[str] | None:
    """The letters with diacritics `language` writes and tells apart; None when there are none."""
    if language is None:
        return None
    try:
        data = Locale.parse(language)._data  # noqa: SLF001 - Babel exposes these tables only there
    except (UnknownLocaleError, ValueError):
        return None
    words = {word for source in _SOURCES for text in _strings(data[source] if source in data else {})
             for word in text.lower().split()}
    seen = Counter(char for word in words for char in set(word)
                   if char.isalpha() and accent_key(char) != char)
    letters = {char for char, times in seen.items() if times >= _WORDS} - _OPTIONAL
    return frozenset(letters) or None


def _strings(table: object) -> list[str]:
    """Every string in a nested CLDR table."""
    if isinstance(table, str):
        return [table]
    if hasattr(table, "values"):
        return [s for value in table.values() for s in _strings(value)]
    if isinstance(table, list | tuple):
        return [s for value in table for s in _strings(value)]
    return []


def agree(written: str, alias: str, letters: frozenset[str]) -> bool:
    """Whether the words as written and the alias agree on the language's letters with diacritics."""
    if written.isupper():
        return True
    return accent_key(written, letters) == accent_key(alias, letters)


def unaccented(alias: str, letters: frozenset[str]) -> bool:
    """Whether the alias has none of the language's letters: typed without accents, as a team that writes
    English often types "Erdogan", "Zurich", "Sao Paulo". Written as a name, with a capital, the words
    the language writes with them are that name (Erdoğan, Zürich, São Paulo); in lower case, or as a
    very common word opening a sentence, they are other words ("chiné" is not Chine, "Über" not Uber:
    see `worker.match.automaton`)."""
    return accent_key(alias, letters) == accent_key(alias)
