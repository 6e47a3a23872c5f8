"""One Aho-Corasick automaton over every phrase the matcher looks for, with typed payloads.

Entity aliases, exclusions, event triggers and route keywords are all keys of
the same automaton, so an article is scanned once, in native code, however
long the watchlists grow. The automaton is daachorse's character-wise
double-array Aho-Corasick, which hands back every key found as one list of
(start, end, key number): at 100k entities it walks an article in half the
time pyahocorasick's iterator takes (`make bench-match`, the automaton column),
and each key's payload is looked up by its number in a plain list.

Keys are folded phrases padded as " phrase " and the text is folded and padded
the same way (see `worker.folding`), so every hit starts and
ends on a token boundary: "ISISx" never holds "ISIS". A phrase whose end is in
a script that does not end words with spaces (Chinese, Japanese, Thai, Korean
particles, Arabic and Hebrew prefixes: see `worker.match.scripts`) has no space
on that side, and its hits are checked by its `Boundary`; the key's payload
carries it, so the hits of whole-token keys pay one comparison for it.

A key's payload lists every `Target` it stands for: the same words can be one
entity's alias, another's exclusion and a keyword at once, and many entities'
acronym at once in a large watchlist. Case-sensitive
targets ("IS", "US") are matched case-insensitively like the rest and then
checked against the original text at the span, which is rare enough to cost
little; an all-capitals alias is also refused where the words around it are
in capitals too ("WHAT IS NEXT", "US FORCES ENTER"), since case says nothing
there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple

import daachorse

from worker.config.common_words import zipf
from worker.folding import Folded, case_key, phrase_key, phrase_keys
from worker.match.languages import agree, distinguished, unaccented
from worker.match.scripts import Boundary, keys, spaced_view
from worker.match.sentences import sentence_start

# zipf: a word this common that opens a sentence is the word, not a name typed without accents (über
# 6.4, são 6.4; Erdoğan 5.2, Zürich 4.7, Malmö 5.3)
_OPENING_WORD = 6.0
_CAPS_WINDOW = 40  # characters each side that tell whether an acronym stands in capitalised text
_BREAK = re.compile(r"[.!?:;]\s|\n")


class Kind(IntEnum):
    ENTITY = 0
    EXCLUSION = 1
    TRIGGER = 2
    KEYWORD = 3


class Target(NamedTuple):
    """What a phrase stands for: an entity's alias, an exclusion, a trigger or a keyword."""

    kind: Kind
    owner: int  # the entity, event type or keyword: its index in the matcher's tables
    phrase: str  # as configured
    cased: str | None = None  # the case_key the original text must equal, for case-sensitive phrases
    languages: frozenset[str] | None = None  # the languages of the articles it is matched in; None: all
    rule: str = ""  # how a hit of it stands, when its key is not the phrase itself ("article contraction")

    @classmethod
    def of(cls, kind: Kind, owner: int, phrase: str, *, case_sensitive: bool = False,
           languages: frozenset[str] | None = None) -> Target:
        return cls(kind, owner, phrase, case_key(phrase) if case_sensitive else None, languages)


class Hit(NamedTuple):
    """A target found at `[start, end)` of a `Folded` text (map it back with `original_span`)."""

    start: int
    end: int
    target: Target
    rule: str = ""  # how it stands when not as a whole token: "Han sequence", "Arabic prefix"...


class Hits(NamedTuple):
    """One text's hits by kind, each list in order of where its hits end."""

    entities: list[Hit]
    exclusions: list[Hit]
    triggers: list[Hit]
    keywords: list[Hit]


# A key's targets, grouped by the case the original must have (None: any), the languages they are
# matched in (None: all) and their rule, so one check serves all; first, whether the group has either
# to check, and its case when that is all it checks (refused at once for a plain word in another case).
Groups = tuple[tuple[bool, str | None, str | None, frozenset[str] | None, tuple[Target, ...]], ...]
# How far a hit starts after the key's start and ends before its end (its padding spaces), the key's
# boundary check, its targets, and whether a target is in more than one of its groups (an entity's
# "Acme" and case-sensitive "ACME", its "Mexico" and Spanish "México"): it stands once at a span.
Payload = tuple[int, int, Boundary | None, Groups, bool]


class Refusal(NamedTuple):
    """A case-sensitive target the automaton found but the original text does not bear out."""

    hit: Hit
    reason: str


class PhraseAutomaton:
    """Build with `build`, then `scan` any number of texts from any number of threads."""

    def __init__(self, keys: dict[str, Payload]) -> None:
        self._automaton: daachorse.CharwiseDoubleArrayAhoCorasick | None = None
        self._payloads = list(keys.values())  # by key number, the order the automaton numbers its keys
        self.size = len(keys)
        if keys:
            self._automaton = daachorse.CharwiseDoubleArrayAhoCorasick(list(keys))

    @classmethod
    def build(cls, phrases: Iterable[tuple[str, Target]]) -> tuple[PhraseAutomaton, list[tuple[str, Target]]]:
        """The automaton, and the phrases that fold to nothing (which the caller reports)."""
        found: dict[str, _Grouped] = {}
        rules: dict[str, Boundary | None] = {}
        empty: list[tuple[str, Target]] = []
        for phrase, target in phrases:
            forms = phrase_keys(phrase)
            if not forms:
                empty.append((phrase, target))
            for key, rule in (k for form in forms for k in keys(form)):
                rules[key] = rule
                group = (target.cased, target.languages, target.rule)
                by_group = found.setdefault(key, {}).setdefault(group, {})
                by_group.setdefault((target.kind, target.owner), target)
        payloads = {key: _payload(key, rules[key], groups) for key, groups in found.items()}
        return cls(payloads), empty

    def finds(self, folded: Folded) -> bool:
        """Whether any key stands anywhere in the text, before any boundary, case or language check."""
        return self._automaton is not None and bool(self._automaton.find_overlapping(_walked(folded)))

    def walk(self, folded: Folded) -> int:
        """Only walk the automaton over the text and count the keys found: the benchmark's floor."""
        return len(self._automaton.find_overlapping(folded.text)) if self._automaton else 0

    # the checks of a hit are inline: a call for each would cost per hit, in every article
    def scan(self, folded: Folded, refused: list[Refusal] | None = None,  # noqa: C901
             language: str | None = None) -> Hits:
        """Every target in the text, by kind; case-sensitive ones verified against the original.

        `language` is the article's (ISO 639-1, None when unknown), which some
        scripts' boundaries depend on. Pass `refused` to learn which
        case-sensitive hits were turned down, and why.
        """
        hits = Hits([], [], [], [])
        if self._automaton is None:
            return hits
        new = tuple.__new__  # a NamedTuple's own constructor costs twice as much, per hit
        text = folded.text
        letters = distinguished(language)
        size = len(text)
        payloads = self._payloads
        # Most case-sensitive hits are a plain word in another case ("his" for "HIS"): refused by one
        # comparison here, without a call, unless explaining or the spans need anchors to map back.
        original = folded.original if refused is None and not folded.anchors else None
        for first, last, number in self._automaton.find_overlapping(_walked(folded)):
            lead, trail, rule, groups, shared = payloads[number]
            start = first + lead
            end = last - trail
            how = ""
            if rule is not None or last > size:
                placed = _placed(text, start, end, rule, language)
                if placed is None:
                    continue
                start, end, how = placed
            seen: set[tuple[Kind, int]] | None = set() if shared else None
            for bound, quick, cased, languages, targets in groups:
                stands = how
                if bound:
                    if original is not None and quick is not None and (
                            (written := original[start - 1:end - 1]) != quick and written.isascii()
                            and written.isalnum()):
                        continue
                    targets, stands = _bound(folded, start, end, cased, languages, language, letters,
                                             refused, targets, how)
                elif letters is not None:
                    targets = _accents(folded, start, end, targets, language, letters, refused, how)
                if seen is not None:  # a target of several groups stands once, by the first that holds
                    targets = tuple(t for t in targets if (t.kind, t.owner) not in seen)
                    seen.update((t.kind, t.owner) for t in targets)
                for target in targets:
                    hits[target.kind].append(new(Hit, (start, end, target, stands)))
        return hits


_Grouped = dict[tuple[str | None, frozenset[str] | None, str], dict[tuple[Kind, int], Target]]


def _payload(key: str, rule: Boundary | None, groups: _Grouped) -> Payload:
    """A key's payload: a hit leaves out the key's padding spaces, at either end."""
    grouped = tuple((cased is not None or languages is not None, cased if languages is None else None, cased,
                     languages, tuple(t.values()))
                    for (cased, languages, _), t in groups.items())
    owners = [owner for by_group in groups.values() for owner in by_group]
    return int(key[0] == " "), int(key[-1] == " "), rule, grouped, len(owners) > len(set(owners))


def _walked(folded: Folded) -> str:
    """What the automaton walks: the folded text, and after it its spaced view when it has one
    (`worker.match.scripts.spaced_view`); a hit past the text's end is in the view."""
    beside = spaced_view(folded.text, folded.chars) if folded.chars else None
    return folded.text + beside if beside else folded.text


def _placed(text: str, start: int, end: int, rule: Boundary | None,
            language: str | None) -> tuple[int, int, str] | None:
    """Where a hit that is not a plain whole-token one stands, and by which rule; None if it does not.

    A hit past the text's end is in its spaced view, and stands only for a whole-token key right beside
    a Han (...) character: the others are found in the text itself, or span the seam between the two."""
    size = len(text)
    if start >= size:
        start, end = start - size, end - size
        if rule is not None or (text[start - 1] == " " and text[end] == " "):
            return None
    elif end > size:
        return None
    how = "" if rule is None else rule.holds(text, start, end, language)
    return None if how is None else (start, end, how)


def _bound(folded: Folded, start: int, end: int, cased: str | None, languages: frozenset[str] | None,
           language: str | None, letters: frozenset[str] | None, refused: list[Refusal] | None,
           targets: tuple[Target, ...], how: str) -> tuple[tuple[Target, ...], str]:
    """The targets of a group of language-bound or case-sensitive ones that stand at the span, and how
    they stand (a group's targets share their rule): those of a language agree with the article's
    accents (`_accents`) too; a case-sensitive one is as written."""
    if not _stands(folded, start, end, cased, languages, language, refused, targets, how):
        return (), how
    how = targets[0].rule or how
    if letters is not None and cased is None:
        return _accents(folded, start, end, targets, language, letters, refused, how), how
    return targets, how


def _stands(folded: Folded, start: int, end: int, cased: str | None, languages: frozenset[str] | None,
            language: str | None, refused: list[Refusal] | None, targets: tuple[Target, ...],
            how: str) -> bool:
    """Whether a group of language-bound or case-sensitive targets stands at the span; if not, and
    `refused` is given, why."""
    if languages is not None and language not in languages:
        if refused is not None:
            reason = (f"an alias of articles in {', '.join(sorted(languages))}; this one is in "
                      f"{language or 'no known language'}")
            refused.extend(Refusal(Hit(start, end, t, how), reason) for t in targets)
        return False
    if cased is not None and not _borne_out(folded, start, end, cased):
        if refused is not None:
            reason = _why_not(folded, start, end, cased)
            refused.extend(Refusal(Hit(start, end, t, how), reason) for t in targets)
        return False
    return True


def _accents(folded: Folded, start: int, end: int, targets: tuple[Target, ...], language: str | None,
             letters: frozenset[str], refused: list[Refusal] | None, how: str) -> tuple[Target, ...]:
    """The targets whose phrase the words at the span are in the article's language (`language`, whose
    letters with diacritics are `letters`), or that were typed without its accents where the words are
    written as a name (see `worker.match.languages`); the others are refused."""
    first, last = folded.original_span(start, end)
    written = folded.original[first:last]
    if written.isascii() and all(t.phrase.isascii() for t in targets):
        return targets
    kept = tuple(t for t in targets if agree(written, t.phrase, letters))
    if len(kept) < len(targets) and written[:1].isupper() and (
            not sentence_start(folded.original, first)
            or language is not None and zipf(phrase_key(written), language) < _OPENING_WORD):
        kept = tuple(t for t in targets if t in kept or unaccented(t.phrase, letters))  # written as a name
    if refused is not None:
        refused.extend(Refusal(Hit(start, end, t, how), f"written {written!r}: in this article's language "
                               f"that is another word than {t.phrase!r}") for t in targets if t not in kept)
    return kept


def _borne_out(folded: Folded, start: int, end: int, cased: str) -> bool:
    """Whether the original text at the span is the case-sensitive phrase, as written.

    Most refusals are a plain word in another case ("is" for "IS"), settled by
    one comparison; accents and punctuation need the phrase's case key.
    """
    first, last = folded.original_span(start, end)
    written = folded.original[first:last]
    if written != cased and (written.isascii() and written.isalnum() or case_key(written) != cased):
        return False
    return not (cased.isupper() and shouted(folded.original, first, last))


def _why_not(folded: Folded, start: int, end: int, cased: str) -> str:
    """What `_borne_out` refused, in words, for explanations."""
    first, last = folded.original_span(start, end)
    written = folded.original[first:last]
    if written == cased or case_key(written) == cased:
        return "the words around it are in capitals too, so its case proves nothing"
    return f"written {written!r}; it matches only as {cased!r}"


def shouted(original: str, first: int, last: int) -> bool:
    """Whether the two words each side of a span, within its sentence, are all in capitals."""
    before = _BREAK.split(original[max(0, first - _CAPS_WINDOW):first])[-1].split()[-2:]
    after = _BREAK.split(original[last:last + _CAPS_WINDOW])[0].split()[:2]
    return "".join(before + after).isupper()
