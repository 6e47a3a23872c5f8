"""Checks that span sections: unique ids, and routes that name things which exist."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from worker.config.models import Config, Terms
from worker.config.yamlsource import Path_

Problem = tuple[Path_, str]
_SINGULAR = {"entities": "entity", "watchlists": "watchlist", "event_types": "event type"}


def check_references(config: Config) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique("feeds", ((i, f.id) for i, f in enumerate(config.feeds)))
    problems += _unique_urls(config)
    problems += _unique("watchlists", ((i, w.id) for i, w in enumerate(config.watchlists)))
    problems += _unique_entities(config)
    problems += _unique("event_types", ((i, e.id) for i, e in enumerate(config.event_types)))
    problems += _unique("routes", ((i, r.id) for i, r in enumerate(config.routes)))
    problems += _unique("destinations", ((i, d.id) for i, d in enumerate(config.destinations)))
    problems += list(_phrases(config))
    problems += list(_routes(config))
    problems += list(_feed_health(config))
    return problems


def _unique(section: str, ids: Iterable[tuple[int, str]]) -> list[Problem]:
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for index, item_id in ids:
        if item_id in first:
            problems.append(((section, index, "id"),
                             f"duplicate id {item_id!r}, also {section}[{first[item_id]}]; "
                             f"ids must be unique"))
        else:
            first[item_id] = index
    return problems


def _unique_urls(config: Config) -> list[Problem]:
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for index, feed in enumerate(config.feeds):
        if feed.url in first:
            problems.append((("feeds", index, "url"),
                             f"same URL as feed {first[feed.url]!r}; poll each feed once"))
        first.setdefault(feed.url, feed.id)
    return problems


def _unique_entities(config: Config) -> list[Problem]:
    first: dict[str, str] = {}
    problems: list[Problem] = []
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            if entity.id in first:
                problems.append((("watchlists", wi, "entities", ei, "id"),
                                 f"duplicate entity id {entity.id!r} (also in watchlist "
                                 f"{first[entity.id]!r}); routes name entities by id, so ids must be unique"))
            first.setdefault(entity.id, watchlist.id)
    return problems


def _phrases(config: Config) -> Iterator[Problem]:
    """A phrase without a letter or digit can never match a token; it is a typo."""
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            for key in ("aliases", "case_sensitive_aliases", "exclusions"):
                for ai, phrase in enumerate(getattr(entity, key)):
                    if not any(ch.isalnum() for ch in phrase):
                        yield (("watchlists", wi, "entities", ei, key, ai),
                               f"{phrase!r} has no letter or digit and can never match; remove it")
    for ti, event in enumerate(config.event_types):
        if not (event.triggers or event.exact_triggers):
            yield (("event_types", ti, "triggers"), "no triggers; add the words that signal this event")


def _no_destination(dest: str, destinations: set[str]) -> str:
    return (f"no destination {dest!r}; define it under destinations or fix the id "
            f"(known: {', '.join(sorted(destinations)) or 'none'})")


def _feed_health(config: Config) -> Iterator[Problem]:
    destinations = {d.id for d in config.destinations}
    for di, dest in enumerate(config.settings.feed_health.to):
        if dest not in destinations:
            yield ("settings", "feed_health", "to", di), _no_destination(dest, destinations)


def _routes(config: Config) -> Iterator[Problem]:
    known = {
        "entities": {e.id for w in config.watchlists for e in w.entities},
        "watchlists": {w.id for w in config.watchlists},
        "event_types": {e.id for e in config.event_types},
    }
    destinations = {d.id for d in config.destinations}
    for ri, route in enumerate(config.routes):
        for di, dest in enumerate(route.to):
            if dest not in destinations:
                yield ("routes", ri, "to", di), _no_destination(dest, destinations)
        positive = route.when.min_score > 0
        for kind in ("entities", "watchlists", "event_types", "keywords"):
            terms: Terms = getattr(route.when, kind)
            positive = positive or bool(terms.all or terms.any)
            if kind in known:
                yield from _unknown_terms(ri, kind, terms, known[kind])
        if not positive:
            yield (("routes", ri, "when"),
                   "no all/any condition, so it would alert on every article; "
                   "add entities, watchlists, event_types or keywords")


def _unknown_terms(ri: int, kind: str, terms: Terms, known: set[str]) -> Iterator[Problem]:
    for clause in ("all", "any", "none"):
        for ti, term in enumerate(getattr(terms, clause)):
            if term not in known:
                yield (("routes", ri, "when", kind, clause, ti),
                       f"no {_SINGULAR[kind]} {term!r}; use one of the defined ids")
