"""Which articles a config change cannot alter: the current config's findings then serve the new one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from worker.backtest.change import Change
from worker.config.models import (
    Config,
    ConsoleDestination,
    Entity,
    EventType,
    Pattern,
    Route,
    Terms,
    Watchlist,
    When,
)
from worker.match.matcher import Matcher, fold_texts
from worker.records import Article

TEXTS = {
    "name": "Harbour Cranes Ltd said its quay at Portvale was idle after the strike.",
    "alias": "Dock workers call the firm HCL; the quay at Portvale stayed idle.",
    "other": "The Portvale council met on Tuesday and voted for new street lights.",
    "nothing": "The library opened a reading room for the exam season.",
}


def config(cranes: Entity, events: list[EventType] | None = None) -> Config:
    return Config(watchlists=[Watchlist(id="firms", name="Firms", entities=[
                      cranes, Entity(id="portvale", name="Portvale", kind="place")])],
                  event_types=events or [EventType(id="strike", name="Strike", triggers=["strike"])],
                  routes=[Route(id="cranes", to=["console"], when=When(entities=Terms(any=["cranes"]))),
                          Route(id="port", to=["console"], when=When(entities=Terms(any=["portvale"]))),
                          Route(id="strikes", to=["console"], when=When(event_types=Terms(any=["strike"])))],
                  destinations=[ConsoleDestination(id="console", type="console")])


def cranes(**rules: object) -> Entity:
    return Entity(id="cranes", name="Harbour Cranes Ltd", **rules)


def article(text: str, language: str | None = "en") -> Article:
    return Article(id="a", feed_id="f", url="https://news.example/a", link="https://news.example/a",
                   title=text.split(";")[0][:40], text=text, source="page", language=language,
                   first_seen=datetime(2026, 12, 1, tzinfo=UTC))


def matchers(before: Config, after: Config) -> tuple[Matcher, Matcher]:
    return Matcher.build(before), Matcher.build(after)


def spares(change: Change, item: Article) -> bool:
    return change.spares(item, fold_texts(item))


def test_an_added_alias_leaves_the_articles_without_either_entitys_phrases_to_one_match() -> None:
    old, new = matchers(config(cranes()), config(cranes(case_sensitive_aliases=["HCL"])))
    change = Change.of(old, new)
    assert change is not None and change.entities == {"cranes"}
    spared = {name for name, text in TEXTS.items() if spares(change, article(text))}
    assert spared == {"other", "nothing"}


def test_a_spared_article_is_found_and_routed_as_the_new_matcher_would() -> None:
    changed = cranes(aliases=["Cranes"], exclusions=["Harbour Cranes Ltd said"], weight=2.0)
    old, new = matchers(config(cranes()), config(changed))
    change = Change.of(old, new)
    assert change is not None
    for text in TEXTS.values():
        item = article(text)
        if not spares(change, item):
            continue
        reused, matched = old.match(item).under(new.routes), new.match(item)
        assert (reused.routes, reused.score, reused.entities, reused.events) == \
            (matched.routes, matched.score, matched.entities, matched.events)


def test_an_article_in_a_language_that_inflects_names_is_matched_by_both() -> None:
    change = Change.of(*matchers(config(cranes()), config(cranes(aliases=["Kranwerk"]))))
    assert change is not None
    assert spares(change, article(TEXTS["other"], "en"))
    assert not spares(change, article(TEXTS["other"], "de"))


def test_a_route_change_alone_spares_every_article() -> None:
    before = config(cranes())
    after = before.model_copy(update={"routes": before.routes[:1]})
    change = Change.of(*matchers(before, after))
    assert change is not None and not change.entities
    assert all(spares(change, article(text, "de")) for text in TEXTS.values())


@pytest.mark.parametrize("after", [
    config(cranes(aliases=[Pattern(regex=r"\bHCL\b")])),
    config(cranes(), [EventType(id="strike", name="Strike", triggers=["strike", "walkout"])]),
    config(cranes()).model_copy(update={"watchlists": [Watchlist(id="firms", name="Firms", entities=[
        Entity(id="portvale", name="Portvale", kind="place"), cranes()])]}),
], ids=["a regex alias", "an event type's triggers", "the entities' order"])
def test_any_other_change_matches_every_article_by_both(after: Config) -> None:
    assert Change.of(*matchers(config(cranes()), after)) is None


def test_the_routes_it_most_likely_alters_name_a_changed_entity_or_weigh_every_one() -> None:
    before = config(cranes())
    every = Route(id="busy", to=["console"], when=When(min_score=3.0))
    widened = config(cranes(aliases=["HCL"]))
    after = widened.model_copy(update={"routes": [*widened.routes, every]})
    change = Change.of(*matchers(before.model_copy(update={"routes": [*before.routes, every]}), after))
    assert change is not None and change.routes == {"cranes", "busy"} and change.alike
    change = Change.of(*matchers(before, after))
    assert change is not None and change.routes == {"cranes", "busy"} and not change.alike, "busy is new"


def test_a_changed_mute_may_alter_every_route() -> None:
    muted = cranes(muted_until=datetime(2026, 12, 24, tzinfo=UTC))
    change = Change.of(*matchers(config(cranes()), config(muted)))
    assert change is not None and change.routes == {"cranes", "port", "strikes"} and not change.alike
