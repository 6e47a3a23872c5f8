"""One stored article under two configs: the routes each would alert, and why they differ. No I/O.

A route "would alert" when the matcher fires it and no mute of that config
holds it back; dedup (one alert per story) comes later, over all articles
(stories.py, report.py). Mutes are judged at the article's own time, so a
backtest says what the config would have done had it been live then, and the
same span always gives the same answer. Run-time mutes (`newswatch mute`, in
Redis) belong to neither config and are left out.

For a route that alerts on one side only, `Difference` says why, from the
two results: the entities, event types and keywords one side found and the
other did not, the rule that held the route back on the other side (its
failed clauses, or the mute), and the mention that decides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from worker.folding import Folded
from worker.match.matcher import Matcher
from worker.match.mutes import Muting, config_mutes, held_back
from worker.match.result import MatchResult
from worker.records import Article, EntityHit, EventHit, KeywordHit, Mute

Direction = Literal["added", "removed"]


@dataclass(frozen=True, slots=True)
class Verdict:
    """One config's view of an article: its match result and the routes that would alert (config order)."""

    result: MatchResult
    alerting: tuple[str, ...]
    held: dict[str, Mute]


class Side:
    """One config, compiled once: the matcher and the config's mutes."""

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher
        self.mutes = config_mutes(matcher.config)
        self.route_ids = frozenset(route.id for route in matcher.config.routes)

    def judge(self, article: Article, at: datetime, found: MatchResult | None = None,
              folds: Sequence[Folded] = ()) -> Verdict:
        """The article's verdict; `found`, another config's result that this one's matcher would find
        alike (see `worker.backtest.change`), is judged by this config's routes instead of matching again.
        `folds`: the article's title and text folded already (`fold_texts`)."""
        result = self.matcher.match(article, folds=folds) if found is None \
            else found.under(self.matcher.routes)
        held = held_back(result.routes, result.found, self.matcher.routes, Muting.at(at, self.mutes)) \
            if self.mutes and result.routes else {}
        return Verdict(result, tuple(r for r in result.routes if r not in held), held)


@dataclass(frozen=True, slots=True)
class Difference:
    """Why `route` alerts on this article under one config only (`direction`: added under the new one)."""

    route: str
    direction: Direction
    entities: tuple[str, ...]  # names of the entities only the alerting side found
    events: tuple[str, ...]
    keywords: tuple[str, ...]
    rule: str  # why the other side did not alert: its failed clauses, its mute, or "no such route"
    mention: str  # the words that decide it, as written
    snippet: str  # the words around them


def differences(old: Verdict, new: Verdict, before: Side, after: Side) -> list[Difference]:
    """A `Difference` for each route that alerts under one side only."""
    out = [_difference(route, "added", new, old, before) for route in new.alerting
           if route not in old.alerting]
    out += [_difference(route, "removed", old, new, after) for route in old.alerting
            if route not in new.alerting]
    return out


def _difference(route: str, direction: Direction, alerting: Verdict, other: Verdict,
                other_side: Side) -> Difference:
    a, b = alerting.result, other.result
    entities = [e for e in a.entities if e.id not in b.found.scores]
    events = [e for e in a.events if e.id not in set(b.event_ids)]
    keywords = [k for k in a.keywords if k.keyword not in {x.keyword for x in b.keywords}]
    mention, snippet = _deciding(a, entities, events, keywords)
    return Difference(route, direction, tuple(e.name for e in entities), tuple(e.name for e in events),
                      tuple(k.keyword for k in keywords), _rule(route, other, other_side), mention, snippet)


def _deciding(result: MatchResult, entities: list[EntityHit], events: list[EventHit],
              keywords: list[KeywordHit]) -> tuple[str, str]:
    """The mention that decides it, with its context: of an entity only this side found, else its event's
    trigger, else its keyword; when both sides found the same (a route's rule changed), the article's
    first entity, event or keyword."""
    for found in ((entities, events, keywords), (result.entities, result.events, result.keywords)):
        named, happened, words = found
        if named and named[0].mentions:
            return named[0].mentions[0].text, named[0].mentions[0].snippet
        if happened:
            return happened[0].trigger, happened[0].evidence
        if words:
            return words[0].keyword, ""
    return "", ""


def _rule(route: str, other: Verdict, side: Side) -> str:
    """Why the other config did not alert `route` on this article."""
    if route not in side.route_ids:
        return "no such route"
    if route in other.held:
        return other.held[route].describe()
    outcome = next(o for o in other.result.outcomes if o.route == route)
    return "; ".join(outcome.failures) or "route disabled"
