"""Checks that span sections: unique ids, phrases that can match, and routes that name things which exist.

A phrase is checked with the matcher's own folding (`phrase_keys`), so a phrase the
matcher would refuse at `run` or on a reload ("--", "") is refused here first, at its
file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from worker.config.messages import did_you_mean
from worker.config.models import Config, Entity, Feed, Feeds, Route, Terms, When
from worker.config.yamlsource import Path_
from worker.folding import phrase_keys

Problem = tuple[Path_, str]
_SINGULAR = {"entities": "entity", "watchlists": "watchlist", "event_types": "event type", "feeds": "feed",
             "feed_tags": "feed tag"}
_FIX = {"feed_tags": "tag a feed with it or use a tag feeds have"}
_CONTENT = ("entities", "watchlists", "event_types", "keywords")
_SOURCES = ("feeds", "feed_tags", "domains", "authors")


def check_references(config: Config, *, with_routes: bool = True) -> list[Problem]:
    """Every cross-section problem; `with_routes=False` skips what routes name (see the loader)."""
    problems: list[Problem] = []
    problems += _unique("feeds", ((i, f.id) for i, f in enumerate(config.feeds)))
    problems += _unique_urls(config)
    problems += _unique("watchlists", ((i, w.id) for i, w in enumerate(config.watchlists)))
    problems += _unique_entities(config)
    problems += _unique("event_types", ((i, e.id) for i, e in enumerate(config.event_types)))
    problems += _unique("routes", ((i, r.id) for i, r in enumerate(config.routes)))
    problems += _unique("destinations", ((i, d.id) for i, d in enumerate(config.destinations)))
    problems += list(_phrases(config))
    if with_routes:
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


def _unmatchable(owner: str, phrase: str) -> str | None:
    if phrase_keys(phrase):
        return None
    return (f"{owner}: {phrase!r} has no letter or digit left once folded for matching, so it can never "
            f"match; remove it or write it out in letters")


def every_phrase(config: Config) -> Iterator[tuple[Path_, str, str]]:
    """(path, owner, phrase) of every phrase the matcher looks for: names, aliases, exclusions,
    triggers, route keywords; the owner reads "entity 'apple'", "event type 'layoffs'", "route 'x'"."""
    for wi, watchlist in enumerate(config.watchlists):
        for ei, entity in enumerate(watchlist.entities):
            yield from _entity_phrases(entity, ("watchlists", wi, "entities", ei))
    for ti, event in enumerate(config.event_types):
        for key in ("triggers", "exact_triggers"):
            for pi, phrase in enumerate(getattr(event, key)):
                yield ("event_types", ti, key, pi), f"event type {event.id!r}", phrase
    yield from _route_keywords(config)


def _entity_phrases(entity: Entity, at: Path_) -> Iterator[tuple[Path_, str, str]]:
    owner = f"entity {entity.id!r}"
    yield at + ("name",), owner, entity.name
    for key in ("aliases", "case_sensitive_aliases", "exclusions"):
        for ai, phrase in enumerate(getattr(entity, key)):
            if isinstance(phrase, str):  # a regex rule is checked when it is read (models.Pattern)
                yield at + (key, ai), owner, phrase
    for lang, phrases in entity.aliases_by_language.items():
        for ai, phrase in enumerate(phrases):
            yield at + ("aliases_by_language", lang, ai), owner, phrase


def _route_keywords(config: Config) -> Iterator[tuple[Path_, str, str]]:
    for ri, route in enumerate(config.routes):
        for clause in ("all", "any", "none"):
            for ki, phrase in enumerate(getattr(route.when.keywords, clause)):
                if isinstance(phrase, str):
                    yield ("routes", ri, "when", "keywords", clause, ki), f"route {route.id!r}", phrase


def _phrases(config: Config) -> Iterator[Problem]:
    """A phrase that folds to nothing can never match a token; it is a typo."""
    for path, owner, phrase in every_phrase(config):
        if problem := _unmatchable(owner, phrase):
            yield path, problem
    for ti, event in enumerate(config.event_types):
        if not (event.triggers or event.exact_triggers):
            yield (("event_types", ti, "triggers"), "no triggers; add the words that signal this event")


def _no_destination(dest: str, destinations: set[str]) -> str:
    return (f"no destination {dest!r}{did_you_mean(dest, destinations)}; define it under destinations "
            f"or fix the id (known: {', '.join(sorted(destinations)) or 'none'})")


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
        "feeds": {f.id for f in config.feeds},
        "feed_tags": {t for f in config.feeds for t in f.tags},
    }
    destinations = {d.id for d in config.destinations}
    for ri, route in enumerate(config.routes):
        for di, dest in enumerate(route.to):
            if dest not in destinations:
                yield ("routes", ri, "to", di), f"route {route.id!r}: {_no_destination(dest, destinations)}"
        for kind in _CONTENT + _SOURCES:
            if kind in known:
                yield from _unknown_terms(ri, route.id, kind, getattr(route.when, kind), known[kind])
        yield from _alerts_on_everything(config, ri, route)


def _positive(terms: object) -> bool:
    return bool(getattr(terms, "all", None) or getattr(terms, "any", None))


def _alerts_on_everything(config: Config, ri: int, route: Route) -> Iterator[Problem]:
    """A route must narrow what it alerts on: by what an article says (entities, event types,
    keywords, a score) or by where it comes from (feeds, feed tags, domains, authors: "every article of
    the regulator's feed" is a route ops mean). `none` and `languages` alone leave nearly everything in,
    and feed filters that admit every feed of the config narrow nothing."""
    when = route.when
    if when.min_score > 0 or any(_positive(getattr(when, kind)) for kind in _CONTENT):
        return
    if not any(_positive(getattr(when, kind)) for kind in _SOURCES):
        yield (("routes", ri, "when"),
               f"route {route.id!r}: no all/any condition, so it would alert on every article; add "
               "entities, watchlists, event_types or keywords, or name its sources (feeds, feed_tags, "
               "domains, authors)")
    elif not (_positive(when.domains) or _positive(when.authors)) and len(config.feeds) > 1 \
            and all(_admits(when, feed) for feed in config.feeds):
        yield (("routes", ri, "when"),
               f"route {route.id!r}: its feeds and feed_tags admit every feed of the config "
               f"({', '.join(f.id for f in config.feeds)}), so it would alert on every article; "
               "name fewer feeds or tags, or add entities, watchlists, event_types or keywords")


def _admits(when: When, feed: Feed) -> bool:
    tags = set(feed.tags)
    return ((not when.feeds.any or feed.id in when.feeds.any) and feed.id not in when.feeds.none
            and set(when.feed_tags.all) <= tags and tags.isdisjoint(when.feed_tags.none)
            and (not when.feed_tags.any or not tags.isdisjoint(when.feed_tags.any)))


def _unknown_terms(ri: int, route: str, kind: str, terms: Terms | Feeds,
                   known: set[str]) -> Iterator[Problem]:
    for clause in ("all", "any", "none"):
        for ti, term in enumerate(getattr(terms, clause, [])):
            if term not in known:
                listed = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
                yield (("routes", ri, "when", kind, clause, ti),
                       f"route {route!r}: no {_SINGULAR[kind]} {term!r}{did_you_mean(term, known)}; "
                       f"{_FIX.get(kind, 'use a defined id')} (known: {listed or 'none'})")
