"""Where the configured names and triggers stand inflected in an article; the rules: `inflection`.

A token stands for an alias when the alias's first word is one of its forms
(the later words of a phrase are then compared in turn, each as written or
inflected, at least one inflected), when the token starts with that word
less its last two letters (at least two of them: "москв" for Москва, "pols"
for Polska; case endings and the stem alternations they bring, Polsce,
Helsingissä, Praze, Києві, sit at a word's end), and when it is at most two
letters shorter and five longer (Praha/Praze, Venäjä/Venäjältäkin).

At 100k entities nearly every token of an article starts as some alias does,
so testing each such alias with stemmer and lemmatiser calls cost more than
the rest of the matcher. Instead the aliases are indexed by their first word
(as written; by its stem key too, for each stem rule when a language first
needs it), a token finds its candidates through the words and keys its
language's rule names (`worker.match.inflection.token_keys`), and what a
distinct token reaches, tested, is kept for its language: a token costs a
dictionary look-up however long the watchlist. The tokens that start as no
alias does are skipped by an automaton over those starts, in native code.
What is found is what testing every alias sharing the token's start finds,
in the same order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import NamedTuple

import daachorse

from worker.folding import Folded, case_key, phrase_key
from worker.match.automaton import Hit, Hits, Kind, Target
from worker.match.inflection import (
    LANGUAGE_NAMES,
    NAME_RULES,
    TRIGGER_RULES,
    form_start,
    inflects,
    stem_keys,
    stem_rule,
    token_keys,
)
from worker.match.languages import agree, distinguished
from worker.match.scripts import script

# How much shorter or longer than its alias an inflected word can be: Praha/Praze, Helsinki/Helsingissä,
# Magyarország/Magyarországról, Venäjä/Venäjältäkin.
_SHORTER, _LONGER = 2, 5


class _Candidate(NamedTuple):
    """An inflectable phrase: as configured, its words folded and as written (lower-cased), what it stands
    for, the start its first token must have, the first two letters of its second word ("" for one word),
    and where its hits stand among one token's: by the length of that start, one-word phrases first,
    those of every language before those of the article's, then as configured (mentions of one span keep
    that order, `worker.match.entities.keep`)."""

    phrase: str
    plain: tuple[str, ...]
    written: tuple[str, ...]
    target: Target
    start: str
    following: str
    order: tuple[int, bool, bool, int]


def _candidate(index: int, phrase: str, target: Target) -> _Candidate | None:
    """The `index`-th phrase as a candidate, or None when it does not inflect here."""
    if target.cased is not None or target.kind is Kind.KEYWORD:
        return None
    plain = tuple(phrase_key(phrase).split())
    if not plain or (not phrase.isascii() and any(script(word[0]) or script(word[-1]) for word in plain)):
        return None  # unspaced scripts, Korean, Arabic and Hebrew have their own rules
    written = tuple(case_key(phrase).lower().split())
    if len(written) != len(plain):
        return None  # its words cannot be compared one by one
    start = form_start(plain[0])
    following = plain[1][:2] if len(plain) > 1 else ""
    return _Candidate(phrase, plain, written, target, start, following,
                      (len(start), bool(following), target.languages is not None, index))


class _Index:
    """The candidates by their first word as written (lower-cased), the multi-word ones also by that word
    folded (it may stand as written while a later word inflects); and the first words by their stem key,
    for each stem rule (a Snowball stemmer, Latvian declensions) when a language first needs it."""

    def __init__(self, candidates: list[_Candidate]) -> None:
        self.candidates = candidates
        self.by_word: dict[str, list[_Candidate]] = {}
        self.by_first: dict[str, list[_Candidate]] = {}
        # the `_starts` of the candidates of every language, all of them (True) or the triggers (False)
        self._starts: dict[bool, dict[str, tuple[int, int]]] = {True: {}, False: {}}
        self._gated: dict[str, list[_Candidate]] = {}  # the candidates of some languages, by language
        for candidate in candidates:
            self.by_word.setdefault(candidate.written[0], []).append(candidate)
            if len(candidate.plain) > 1:
                self.by_first.setdefault(candidate.plain[0], []).append(candidate)
            target = candidate.target
            if target.languages is None:
                _widen(self._starts[True], candidate)
                if target.kind is Kind.TRIGGER:
                    _widen(self._starts[False], candidate)
            for language in target.languages or ():
                self._gated.setdefault(language, []).append(candidate)
        self._stems: dict[tuple[str, bool], dict[str, list[str]]] = {}
        self._building = threading.Lock()

    def starts(self, language: str, names: bool) -> dict[str, tuple[int, int]]:
        """What the first token of a candidate in `language` starts with, and the fewest and most letters
        it has then; `names`: those of names too, not only of triggers."""
        starts = dict(self._starts[names])
        for candidate in self._gated.get(language, ()):
            if names or candidate.target.kind is Kind.TRIGGER:
                _widen(starts, candidate)
        return starts

    def stems(self, language: str) -> dict[str, list[str]]:
        """The first words that `language`'s stem rule applies to, by their stem key (`stem_keys`)."""
        rule = stem_rule(language)
        with self._building:
            if rule not in self._stems:
                words = [word for word, candidates in self.by_word.items()
                         if rule[1] or any(c.target.kind is Kind.TRIGGER for c in candidates)]
                by_key: dict[str, list[str]] = {}
                for word, key in stem_keys(language, words).items():
                    by_key.setdefault(key, []).append(word)
                self._stems[rule] = by_key
            return self._stems[rule]


_Entry = tuple[_Candidate, bool]  # a candidate whose first word a token is, and whether as written
_Found = dict[str, tuple[_Entry, ...]]  # a token's entries by the first two letters of the next token
_NOTHING: _Found = {}
_TOKENS = 50_000  # distinct tokens whose entries a language keeps (about 10 MB); past that it starts afresh
_EXACT, _INFLECTED = 1, 2
_NO_SIZE = (1, 0)
_UNSEEN = ((" ", _NOTHING),)  # no token is written " "


class Inflections:
    """The inflectable aliases and triggers; see the module. Thread-safe, like the matcher.

    The index (about a second at 100k entities) is built when an article of a language that inflects
    first comes: a backtest of English articles never pays for it, and a process forked before that
    builds its own. The match stage builds it with each matcher (`prepare`), off its batches."""

    def __init__(self, phrases: Iterable[tuple[str, Target]]) -> None:
        self._phrases = list(phrases)
        self._built: _Index | None = None
        self._languages: dict[str, _Language] = {}
        self._lock = threading.Lock()

    def scan(self, folded: Folded, language: str | None, hits: Hits) -> None:
        """Add to `hits` the inflected forms in a text of `language`, keeping each list in end order."""
        if language not in TRIGGER_RULES or not self._phrases:
            return
        reader = self._reader(language)
        if reader.tokens is None:
            return
        rule = f"{LANGUAGE_NAMES[language]} inflection"
        text = folded.text
        added = set()
        for space, _, _ in reader.tokens.find(text):
            start = space + 1
            end = text.find(" ", start)
            found = reader.found(folded, start, end)
            if not found:
                continue
            for candidate, exact in _entries(found, text[end + 1:end + 3]):
                last = end if len(candidate.plain) == 1 else _rest(folded, end, candidate, reader, exact)
                if last:
                    _add(hits[candidate.target.kind], Hit(start, last, candidate.target, rule))
                    added.add(candidate.target.kind)
        for kind in added:
            hits[kind].sort(key=_end)

    def prepare(self, languages: Iterable[str] = ()) -> None:
        """Build the index now, and the readers of `languages`, not for the first article that needs them:
        the match stage does, with each config's matcher and off its batches, so no batch waits for it."""
        with self._lock:
            self._index()
        for language in languages:
            if language in TRIGGER_RULES and self._phrases:
                self._reader(language)

    def met(self) -> list[str]:
        """The languages whose articles this index has read so far."""
        return list(self._languages)

    def _reader(self, language: str) -> _Language:
        reader = self._languages.get(language)
        if reader is None:
            with self._lock:
                reader = self._languages.get(language) or _Language(self._index(), language)
                self._languages[language] = reader
        return reader

    def _index(self) -> _Index:
        """The index, built on the first call; the caller holds the lock."""
        if self._built is None:
            self._built = _Index([candidate for index, (phrase, target) in enumerate(self._phrases)
                                  if (candidate := _candidate(index, phrase, target)) is not None])
        return self._built


class _Language:
    """The candidates as articles of one language see them: those that stand in it, what their first
    token starts with, and for each distinct token met, the candidates it is the first word of (by the
    token as written), worked out once and kept."""

    def __init__(self, index: _Index, language: str) -> None:
        self.language = language
        self.letters = distinguished(language)
        self._names = language in NAME_RULES
        self._index = index
        self._stems = index.stems(language)
        self._starts = index.starts(language, self._names)
        self._lengths = sorted({len(start) for start in self._starts})
        # finds, in native code, the tokens that start as some candidate's first token must: one hit each
        self.tokens = daachorse.CharwiseDoubleArrayAhoCorasick([" " + start for start in self._starts]) if (
            self._starts) else None
        # for each token met (folded), its entries by how it is written (lower-cased); None: it cannot be
        # a candidate's first word
        self._forms: dict[str, tuple[tuple[str, _Found], ...] | None] = {}

    def found(self, folded: Folded, start: int, end: int) -> _Found:
        """The entries of the token at `[start, end)` of the folded text."""
        token = folded.text[start:end]
        forms = self._forms.get(token, _UNSEEN)
        if forms is _UNSEEN:
            if len(self._forms) >= _TOKENS:
                self._forms.clear()
            forms = self._forms[token] = () if self._possible(token) else None
        if forms is None:
            return _NOTHING
        if folded.anchors:
            written = _as_written(folded, start, end)
        else:
            written = folded.original[start - 1:end - 1].lower()
        for form, found in forms:
            if form == written:
                return found
        found = self._reach(token, written)
        self._forms[token] = (*forms, (token if written == token else written, found))
        return found

    def _possible(self, token: str) -> bool:
        """Whether some candidate's first word is as long as the token (folded) and starts as it does."""
        size, starts = len(token), self._starts
        return any(fewest <= size <= most for fewest, most in (
            starts.get(token[:length], _NO_SIZE) for length in self._lengths if length <= size))

    def _reach(self, token: str, written: str) -> _Found:
        """The entries of a token (folded; `written` as the text has it, lower-cased), by the first two
        letters the next token must have for them ("" for one-word phrases)."""
        index = self._index
        words, keys = token_keys(self.language, written)
        words.update(word for key in keys for word in self._stems.get(key, ()))
        reached = [candidate for word in words for candidate in index.by_word.get(word, ())]
        reached += index.by_first.get(token, ())
        entries: dict[str, list[_Entry]] = {}
        for candidate in sorted(set(reached), key=_order_of):
            form = self._first(token, written, candidate)
            if form == _INFLECTED or (form == _EXACT and len(candidate.plain) > 1):
                entries.setdefault(candidate.following, []).append((candidate, form == _EXACT))
        return {following: tuple(found) for following, found in entries.items()} or _NOTHING

    def _stands(self, candidate: _Candidate) -> bool:
        """Whether the candidate is looked for in this language: a trigger, or a name where names
        inflect; of every language, or of this one."""
        target = candidate.target
        return (self._names or target.kind is Kind.TRIGGER) and (
            target.languages is None or self.language in target.languages)

    def _first(self, token: str, written: str, candidate: _Candidate) -> int:
        """`_form` of the token as the candidate's first word, 0 where the candidate cannot stand."""
        size = len(candidate.plain[0])
        if not (self._stands(candidate) and token.startswith(candidate.start)
                and size - _SHORTER <= len(token) <= size + _LONGER):
            return 0
        return _form(token, written, 0, candidate, self)


def _widen(starts: dict[str, tuple[int, int]], candidate: _Candidate) -> None:
    """Let the candidate's first token start as it does, with the letters it may have."""
    size = len(candidate.plain[0])
    fewest, most = starts.get(candidate.start, (size, size))
    starts[candidate.start] = (min(fewest, size - _SHORTER), max(most, size + _LONGER))


def _entries(found: _Found, following: str) -> tuple[_Entry, ...]:
    """A token's entries where the next token starts with `following` ("" after the text's last)."""
    entries = found.get("", ())
    more = found.get(following) if following else None
    if not more:
        return entries
    return tuple(sorted(entries + more, key=_order)) if entries else more


def _order(entry: _Entry) -> tuple[int, bool, bool, int]:
    return entry[0].order


def _order_of(candidate: _Candidate) -> tuple[int, bool, bool, int]:
    return candidate.order


def _end(hit: Hit) -> int:
    return hit.end


def _add(hits: list[Hit], hit: Hit) -> None:
    """Add an inflected form's hit, in place of the automaton's hit of the same target at the same span
    (an alias typed without accents finds Latvian Askā as written too, see `worker.match.languages`):
    a mention stands once, by the rule that tells most."""
    owner = hit.target.owner
    same = next((i for i, h in enumerate(hits) if h.start == hit.start and h.end == hit.end
                 and h.target.owner == owner), None)
    if same is None:
        hits.append(hit)
    else:
        hits[same] = hit


def _form(token: str, written: str, number: int, candidate: _Candidate, reader: _Language) -> int:
    """Whether the token (folded; `written` as the text has it, lower-cased) is the candidate's
    `number`-th word as written (`_EXACT`: folded alike and agreeing on the language's letters, see
    `worker.match.languages`), `_INFLECTED`, or neither (0). Latvian Askā folds to Aska, yet is a case
    of it."""
    if token == candidate.plain[number] and (reader.letters is None or agree(
            written, candidate.written[number], reader.letters)):
        return _EXACT
    name = candidate.target.kind is not Kind.TRIGGER
    return _INFLECTED if inflects(reader.language, written, candidate.written[number], name) else 0


def _rest(folded: Folded, position: int, candidate: _Candidate, reader: _Language, exact: bool) -> int:
    """The end of the candidate's phrase whose first word ends at `position` (`exact`: as written), or 0
    when its later words are not there, as written or inflected, or none of its words is inflected."""
    text = folded.text
    for number in range(1, len(candidate.plain)):
        position += 1  # the words of a phrase stand one space or punctuation mark apart
        if position == len(text) or text[position] == " ":  # the text ends, or two marks stand there
            return 0
        end = text.find(" ", position)
        token = text[position:end]
        if token != candidate.plain[number] or reader.letters is not None:
            form = _form(token, _as_written(folded, position, end), number, candidate, reader)
            if not form:
                return 0
            exact = exact and form == _EXACT
        position = end
    return 0 if exact else position


def _as_written(folded: Folded, start: int, end: int) -> str:
    """The token at `[start, end)` of the folded text, as the original writes it, lower-cased."""
    first, last = folded.original_span(start, end)
    return folded.original[first:last].lower()
