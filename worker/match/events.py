"""Event types: the inflected forms of their triggers, and which triggers count in an article.

Ops write a trigger once ("capture", "take control of", "data breach") and
the matcher looks for its inflections too. lemminflect gives the forms of a
word; a phrase is inflected at its head:

- a phrase whose second word is a particle or preposition is a verb phrase:
  its first word takes the verb forms ("fall to": fell to, fallen to, falls to);
- otherwise its last word takes the noun forms ("data breach": data breaches),
  and when its first word is a verb, that word takes the verb forms too
  ("take control of": took control of; "cut jobs": cutting jobs). A noun
  compound whose first word happens to be a verb ("tear gas") gains forms such
  as "tore gas" that news text does not contain; they cost nothing.

A word lemminflect does not know ("airstrike", "exfiltrate") takes the
regular noun and verb forms; a gerund ("shelling") takes its plural only,
never its verb's other forms ("shell" is also a company).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lemminflect import getAllInflections, getAllInflectionsOOV, getAllLemmas

from worker.folding import phrase_key
from worker.match.sentences import context, ends_between, sentence_at
from worker.records import Field_

PARTICLES = frozenset(
    "about across after against along around as at away back by down for from in into of off on "
    "onto out over through to towards under up upon with".split())
EVIDENCE_CHARS = 320


def inflections(trigger: str) -> set[str]:
    """The trigger's folded forms, itself included: "capture" gives captured, captures, capturing..."""
    words = phrase_key(trigger).split()
    if not words:
        return set()
    if len(words) == 1:
        return _forms(words[0], ("NOUN", "VERB"))
    forms = {" ".join(words)}
    first, rest = words[0], words[1:]
    forms |= {" ".join((form, *rest)) for form in _forms(first, ("VERB",), guess=False)}
    head, last = words[:-1], words[-1]
    if words[1] not in PARTICLES and last not in PARTICLES:
        forms |= {" ".join((*head, form)) for form in _forms(last, ("NOUN",))}
    return forms


def _forms(word: str, parts_of_speech: Iterable[str], guess: bool = True) -> set[str]:
    """`word` and its inflections as the given parts of speech, guessed for unknown words if asked."""
    forms = {word}
    known = getAllLemmas(word)
    for upos in parts_of_speech:
        table = getAllInflections(word, upos=upos)
        if not table and not known and guess:
            table = getAllInflectionsOOV(word, upos=upos)
        forms.update(form for group in table.values() for form in group)
    if word.endswith("ing") and "VERB" in known and "NOUN" in parts_of_speech:
        forms.update(getAllInflectionsOOV(word, upos="NOUN").get("NNS", ()))
    return {form.lower() for form in forms}


@dataclass(frozen=True, slots=True)
class EventRule:
    id: str
    name: str
    same_sentence: bool


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A trigger found in the original text of one field, outside every entity mention."""

    rule: int
    field: Field_
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class LoneTrigger:
    """A `same_sentence` trigger with no watched entity in its sentence: explained, not counted."""

    event: str
    trigger: str
    field: Field_
    start: int
    end: int


def sentence(field: Field_, text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence holding a trigger; the title is one sentence."""
    return (0, len(text)) if field == "title" else sentence_at(text, start, end)


def evidence(field: Field_, text: str, start: int, end: int, mark: tuple[str, str] | None = None) -> str:
    """The sentence that holds the trigger at `text[start:end]`, trimmed around it when it is long."""
    first, last = sentence(field, text, start, end)
    return context(text, start, end, EVIDENCE_CHARS, first, last, mark)


def count(rules: Sequence[EventRule], triggers: Iterable[TriggerHit], texts: dict[Field_, str],
          mentions: dict[Field_, list[tuple[int, int]]],
          lone: list[LoneTrigger] | None = None) -> list[TriggerHit]:
    """The first counted trigger of each event type, title before body.

    `mentions` holds the sorted spans of the kept entity mentions of each field.
    A `same_sentence` trigger counts when no sentence ends between it and the
    nearest mention before or after it; the title is one sentence.
    """
    found: dict[int, TriggerHit] = {}
    for hit in sorted(triggers, key=lambda t: (t.field != "title", t.start)):
        if hit.rule in found:
            continue
        rule = rules[hit.rule]
        if not rule.same_sentence or _beside(hit, texts[hit.field], mentions[hit.field]):
            found[hit.rule] = hit
        elif lone is not None:
            text = texts[hit.field]
            lone.append(LoneTrigger(rule.id, text[hit.start:hit.end], hit.field, hit.start, hit.end))
    return list(found.values())


def _beside(hit: TriggerHit, text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether a mention stands in the trigger's sentence."""
    if not spans or hit.field == "title":
        return bool(spans)
    index = bisect.bisect_left(spans, (hit.start,))
    if index > 0:
        end = spans[index - 1][1]
        if end > hit.start or not ends_between(text, end, hit.start):
            return True
    if index < len(spans):
        start, end = spans[index]
        return start < hit.end or not ends_between(text, hit.end, start)
    return False
