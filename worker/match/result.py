"""What matching one article found: decided at once, written out as records only when asked.

Deciding needs little: which entities stand and their scores, which event
types and keywords, which routes fire. Records need more: a snippet per
mention, an evidence sentence per event. Most articles fire no route and
are never written to the matches topic, so `MatchResult` builds its records
the first time `entities`, `events` or `keywords` is read, and keeps them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from pydantic import TypeAdapter

from worker.config.models import MatchSettings
from worker.folding import Folded
from worker.match.automaton import Refusal
from worker.match.entities import Dropped, WatchedEntity
from worker.match.events import EventRule, LoneTrigger, TriggerHit, evidence
from worker.match.routes import Found, RouteOutcome, RouteSet
from worker.match.scripts import script
from worker.match.sentences import context
from worker.records import Block, BlockKind, EntityHit, EventHit, Field_, KeywordHit, UncountedMention

# One validation call per list is several times faster than building records one by one.
_ENTITIES = TypeAdapter(list[EntityHit])
_EVENTS = TypeAdapter(list[EventHit])
_KEYWORDS = TypeAdapter(list[KeywordHit])
_UNCOUNTED = TypeAdapter(list[UncountedMention])


class Located(NamedTuple):
    """A kept mention, placed in the original text of its field."""

    field: Field_
    start: int
    end: int
    entity: int
    alias: str
    block: BlockKind | None  # the kind of body block it stands in; None in the title or a text without blocks
    rule: str  # how the automaton found it when not as a whole token ("Han sequence"), else ""


class Uncounted(NamedTuple):
    """A mention in a boilerplate block of the body: explained, never counted."""

    start: int
    end: int
    entity: int
    block: Block


@dataclass(frozen=True, slots=True)
class Explanation:
    """What the matcher considered and turned down; collected only when explaining."""

    refused: list[tuple[Field_, Refusal]] = field(default_factory=list)  # case-sensitive, wrong case
    dropped: list[tuple[Field_, Dropped]] = field(default_factory=list)  # excluded or overlapped
    lone_triggers: list[LoneTrigger] = field(default_factory=list)  # same_sentence, no entity there
    folded: dict[Field_, Folded] = field(default_factory=dict)  # to place the hits above


@dataclass(frozen=True, slots=True)
class Tables:
    """The matcher's tables a result needs to write its records."""

    entities: Sequence[WatchedEntity]
    rules: Sequence[EventRule]
    keywords: Sequence[str]
    settings: MatchSettings


class MatchResult:
    """The entities, events, keywords, score and route outcomes of one article."""

    def __init__(self, texts: dict[Field_, str], tables: Tables, located: list[Located],
                 scores: dict[int, float], triggers: list[TriggerHit],
                 keyword_hits: dict[int, tuple[Field_, int, int]], found: Found, routes: RouteSet,
                 explanation: Explanation | None = None, uncounted: Sequence[Uncounted] = ()) -> None:
        self._texts = texts
        self._tables = tables
        self._located = located
        self._scores = scores
        self._triggers = triggers
        self._keyword_hits = keyword_hits
        self.found = found  # as routes saw it: mutes judge the routes again without muted entities
        self._routes = routes
        self.uncounted_spans = uncounted
        self.score = round(sum(scores.values()), 6)  # the sum of the entities' scores
        self.routes = routes.fired(found)  # the ids of the routes that fire
        self.explanation = explanation

    def under(self, routes: RouteSet) -> MatchResult:
        """The same findings as another config's routes judge them: a backtest's new config, when its
        change cannot alter what the matcher finds in the article (see `worker.backtest.change`)."""
        return MatchResult(self._texts, self._tables, self._located, self._scores, self._triggers,
                           self._keyword_hits, self.found, routes, self.explanation, self.uncounted_spans)

    @cached_property
    def outcomes(self) -> list[RouteOutcome]:
        """Every configured route, fired or not, with the clauses that failed: for explanations."""
        return self._routes.outcomes(self.found)

    @property
    def entity_ids(self) -> list[str]:
        """The ids of `entities`, in the same order, without building the records."""
        return [self._tables.entities[i].id for i in self._ranked]

    @property
    def event_ids(self) -> list[str]:
        return [self._tables.rules[hit.rule].id for hit in self._triggers]

    @cached_property
    def entities(self) -> list[EntityHit]:
        """Every entity mentioned, highest score first, each with its mentions and their snippets."""
        width = self._tables.settings.snippet_chars
        mentions: dict[int, list[dict[str, Any]]] = {index: [] for index in self._scores}
        texts = self._texts
        for name, start, end, entity, alias, block, how in self._located:
            text = texts[name]
            written = text[start:end]
            mentions[entity].append({
                "text": written, "alias": alias, "field": name, "start": start, "end": end, "block": block,
                "snippet": context(text, start, end, width),
                # the common case of `rule`, without the call: ASCII words as the alias has them
                "rule": None if not how and (written == alias or written.isascii() and alias.isascii())
                else rule(alias, written, how)})
        entities = self._tables.entities
        return _ENTITIES.validate_python([{
            "id": entities[i].id, "name": entities[i].name, "kind": entities[i].kind,
            "watchlist": entities[i].watchlist, "score": round(self._scores[i], 6),
            "mentions": mentions[i]} for i in self._ranked])

    @cached_property
    def uncounted(self) -> list[UncountedMention]:
        """The mentions that stand in boilerplate blocks, in text order."""
        text, width = self._texts["body"], self._tables.settings.snippet_chars
        entities = self._tables.entities
        return _UNCOUNTED.validate_python([{
            "entity": entities[u.entity].id, "text": text[u.start:u.end], "start": u.start, "end": u.end,
            "block": u.block.kind, "role": u.block.role, "snippet": context(text, u.start, u.end, width)}
            for u in self.uncounted_spans])

    @cached_property
    def _ranked(self) -> list[int]:
        """Entity numbers, highest score first; among equals, the first mentioned first."""
        return sorted(self._scores, key=lambda i: -self._scores[i])

    @cached_property
    def events(self) -> list[EventHit]:
        """Each event type found, with its first counted trigger and the sentence that holds it."""
        rules = self._tables.rules
        events = []
        for hit in self._triggers:
            text = self._texts[hit.field]
            events.append({"id": rules[hit.rule].id, "name": rules[hit.rule].name,
                           "trigger": text[hit.start:hit.end], "field": hit.field, "start": hit.start,
                           "end": hit.end, "evidence": evidence(hit.field, text, hit.start, hit.end)})
        return _EVENTS.validate_python(events)

    @cached_property
    def keywords(self) -> list[KeywordHit]:
        """Each route keyword found, at its first occurrence."""
        return _KEYWORDS.validate_python([
            {"keyword": self._tables.keywords[index], "field": name, "start": start, "end": end}
            for index, (name, start, end) in self._keyword_hits.items()])


def rule(alias: str, written: str, how: str) -> str | None:
    """How a mention was found, in words, when not as its alias is written (case aside); see Mention.rule.

    `how` is the automaton's rule for the span ("Russian inflection", "Han
    sequence"); folding is told apart from it by comparing the words as written
    with the alias: Arabic and Hebrew vowel marks and letter variants, or Latin accents."""
    if how.startswith("regex") or how.endswith(("inflection", "contraction")) or written == alias or (
            written.isascii() and alias.isascii()):
        return how or None  # ASCII words that fold to an ASCII alias differ from it in case or punctuation
    rules = [how] if how else []
    if _letters(written) != _letters(alias):
        scripts = sorted({"Arabic", "Hebrew"}.intersection(script(char) for char in written + alias))
        rules.append(f"{scripts[0]} folding" if scripts else "accent folding")
    return ", ".join(rules) or None


def _letters(text: str) -> str:
    """The letters, marks and digits of `text`, case aside: what tells folding from punctuation."""
    return "".join(char for char in unicodedata.normalize("NFC", text).casefold()
                   if unicodedata.category(char)[0] in "LMN")
