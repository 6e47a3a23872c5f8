"""Which fired routes a mute holds back, judged at a given moment. No I/O.

A muted entity (or every entity of a muted watchlist) does not count: the
routes are judged again without it, and a route that fired only because of
it is held back. A muted route does not fire; a muted story holds back every
route of its articles (near copies and follow-ups share the story id dedup
gives them). Held back is not lost: the match record keeps every mention and
the route's decision says "muted", with the mute.

The moment is an input, not read here: the match stage passes the time it
decides (a mute holds for what is decided while it lasts, whenever the article
was published); a replay of old articles passes the time it replays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from worker.config.models import Config, Route
from worker.match.routes import Found, RouteSet
from worker.records import Mute, MuteKind, RouteDecision


def config_mutes(config: Config) -> list[Mute]:
    """Every mute the config writes, held or expired (which one holds depends on the moment)."""
    return list(_config_mutes(config))


def _config_mutes(config: Config) -> Iterator[Mute]:
    for watchlist in config.watchlists:
        if watchlist.muted_until:
            yield Mute(kind="watchlist", id=watchlist.id, until=watchlist.muted_until,
                       reason=watchlist.mute_reason)
        for entity in watchlist.entities:
            if entity.muted_until:
                yield Mute(kind="entity", id=entity.id, until=entity.muted_until, reason=entity.mute_reason)
    for route in config.routes:
        if route.muted_until:
            yield Mute(kind="route", id=route.id, until=route.muted_until, reason=route.mute_reason)


@dataclass(frozen=True, slots=True)
class Muting:
    """The mutes that hold at one moment, by what they silence; the longest when two name one thing."""

    by_kind: Mapping[MuteKind, Mapping[str, Mute]]

    @classmethod
    def at(cls, now: datetime, mutes: Iterable[Mute]) -> Muting:
        by_kind: dict[MuteKind, dict[str, Mute]] = {}
        for mute in mutes:
            if mute.holds(now):
                held = by_kind.setdefault(mute.kind, {})
                if mute.id not in held or held[mute.id].until < mute.until:
                    held[mute.id] = mute
        return cls(by_kind)

    def of(self, kind: MuteKind, mute_id: str) -> Mute | None:
        return self.by_kind.get(kind, {}).get(mute_id)

    def __bool__(self) -> bool:
        return any(self.by_kind.values())


NOTHING_MUTED = Muting({})


def held_back(fired: list[str], found: Found, routes: RouteSet, muting: Muting) -> dict[str, Mute]:
    """The fired routes a route, entity or watchlist mute holds back, each with the mute that does."""
    if not (fired and muting):
        return {}
    held = {r: m for r in fired if (m := muting.of("route", r)) is not None}
    silenced = {e: m for e in found.scores if (m := _entity_mute(e, found, muting)) is not None}
    if silenced:
        still = set(routes.fired(_without(found, silenced)))
        ranked = sorted(silenced, key=lambda e: -found.scores[e])
        for route in fired:
            if route not in held and route not in still:
                held[route] = silenced[ranked[0]]
    return held


def decisions(fired: list[str], decided: Iterable[RouteDecision], held: Mapping[str, Mute],
              route: Mapping[str, Route], story: str) -> list[RouteDecision]:
    """The fired routes' decisions in config order: dedup's for those not held back, "muted" for the rest."""
    by_route = {d.route: d for d in decided}
    return [by_route[r] if r not in held else muted(route[r], story, held[r]) for r in fired]


def muted(route: Route, story: str, mute: Mute) -> RouteDecision:
    return RouteDecision.of(route, story, "muted").model_copy(update={"mute": mute})


def _entity_mute(entity: str, found: Found, muting: Muting) -> Mute | None:
    return muting.of("entity", entity) or muting.of("watchlist", found.watchlist_of[entity])


def _without(found: Found, entities: Mapping[str, Mute]) -> Found:
    """What the article matched as routes see it, with the muted entities taken out."""
    scores = {e: s for e, s in found.scores.items() if e not in entities}
    present = {**found.present, "entities": frozenset(scores),
               "watchlists": frozenset(found.watchlist_of[e] for e in scores)}
    return replace(found, scores=scores, present=present)
