"""Names that are an ordinary word of the article's language stand only where written as a name.

A watchlist for the whole world holds names that are ordinary words of other
languages: the German "Uno" (the UN) is the Spanish "uno", "Onu" the Turkish
"onu" ("him"), "Podemos" the Spanish "we can". `config check` warns of them
(`worker.config.collisions`), and its first advice, a case-sensitive alias,
still leaves the sentence that starts with the word ("«Uno lo hace…»"), since
a capital there proves nothing. So in an article in the language the word is
ordinary in, a mention of such an alias (one matched in every language)
stands only where it is written with a capital inside a sentence, or at a
sentence's start when the article also writes it so inside one: a name shown
once to be one is the name at a sentence's start too. Aliases scoped to the
article's language by `aliases_by_language` are the user's word that the
name is one there, and are not judged. English is not judged either: its
headlines capitalise every word, and `config check` has its own dictionary
of English words for names such as Apple or Shell (case-sensitive aliases).

Every language with capitals, English included, gives one more sign, for
every name: one written wholly in lower case, in a text that writes capitals,
is not the name. "A china plate", "chile con carne", "the guinea pig", "a nice
day" name no country or city, whatever the watchlist holds. A phrase the user
configured in lower case is not judged so, nor a name written as part of a
host name, a handle or a tag (pic.twitter.com, @nasa, #china), which are in
lower case by custom.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from worker.config.collisions import OTHER_MIN_ZIPF, ordinary_in
from worker.config.common_words import zipf
from worker.folding import Folded, phrase_key
from worker.match.automaton import Hit, Refusal, shouted
from worker.match.sentences import sentence_start

_UNJUDGED = frozenset({"en"})
_TAGGED = frozenset("#@./")  # before a name in lower case: a tag, a handle, a host name or a path


class OrdinaryWords:
    """The watched phrases matched in every language, and which of them are ordinary words in each
    article language met so far (found on the first article of a language, then kept)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = frozenset(phrases)
        self._keys: dict[str, str] | None = None
        self._by_language: dict[str, dict[str, str]] = {}

    def of(self, language: str | None) -> dict[str, str]:
        """The phrases that are ordinary words of `language`, each with what word it is."""
        if language is None or language in _UNJUDGED:
            return {}
        found = self._by_language.get(language)
        if found is None:  # two threads may both compute it: the same answer, kept once
            if self._keys is None:
                self._keys = {phrase: phrase_key(phrase) for phrase in self._phrases}
            found = {p: why for p, key in self._keys.items()
                     if zipf(key, language) >= OTHER_MIN_ZIPF and (why := ordinary_in(p, language))}
            self._by_language[language] = found
        return found

    def prepare(self, languages: Iterable[str]) -> None:
        """Work out now which phrases are ordinary words of each of `languages` (see `Matcher.prepare`)."""
        for language in languages:
            self.of(language)

    def met(self) -> list[str]:
        """The languages whose ordinary words have been worked out so far."""
        return list(self._by_language)


def judge(fields: Sequence[tuple[Folded, list[Hit]]], ordinary: Mapping[str, str],
          refused: Sequence[list[Refusal] | None]) -> list[list[Hit]]:
    """Each field's mentions without those of ordinary words not written as names (see the module
    docstring); the evidence that one is a name counts across the fields (title and body)."""
    if not ordinary:
        return [hits for _, hits in fields]
    written: dict[Hit, bool | None] = {}
    for folded, hits in fields:
        for hit in hits:
            if hit.target.languages is None and hit.target.phrase in ordinary:
                written[hit] = as_name(folded.original, *folded.original_span(hit.start, hit.end))
    if not written:
        return [hits for _, hits in fields]
    shown = {hit.target.phrase for hit, name in written.items() if name}
    def stands(hit: Hit) -> bool:
        name = written.get(hit, True)
        return name is True or name is None and hit.target.phrase in shown

    kept: list[list[Hit]] = []
    for (_, hits), turned_down in zip(fields, refused, strict=True):
        kept.append([hit for hit in hits if stands(hit)])
        if turned_down is not None:
            turned_down.extend(Refusal(hit, _why(hit, ordinary, written[hit])) for hit in hits
                               if not stands(hit))
    return kept


def _why(hit: Hit, ordinary: Mapping[str, str], name: bool | None) -> str:
    how = "starts a sentence, where a capital proves nothing" if name is None else "is in lower case"
    return (f"{hit.target.phrase!r} {ordinary[hit.target.phrase]}, and here it {how}; it stands where "
            f"the article writes it with a capital inside a sentence")


def as_name(text: str, start: int, end: int) -> bool | None:
    """How the words at `text[start:end]` are written: True as a name (a capital inside a sentence),
    None with a capital that proves nothing (a sentence's first word, text in capitals), False in
    lower case."""
    written = text[start:end]
    if not written[:1].isupper():
        return not written[:1].islower()  # a script without capitals has nothing to judge by
    if sentence_start(text, start) or (written.isupper() and len(written) > 1 and shouted(text, start, end)):
        return None
    return True


def lowered(text: str, first: int, last: int, phrase: str, how: str) -> bool:
    """Whether the name `phrase`, found at `text[first:last]` (by the automaton's rule `how`), is
    written there in lower case where it would be written with capitals: not the name (see the module
    docstring). The caller has seen that the first letter is. A regex says itself in which case it
    matches."""
    if not text[first:last].islower() or phrase.islower() or how.startswith("regex") or text.islower():
        return False
    before = text[first - 1] if first else ""
    after = text[last:last + 2]
    return before not in _TAGGED and not (after[:1] == "." and after[1:].isalnum())


def lowered_reason(phrase: str, written: str) -> str:
    """Why `lowered` turned a mention down, for explanations."""
    return (f"written {written!r}, in lower case in a text that writes names with capitals: an ordinary "
            f"word, not the name {phrase!r}")
