"""Routes: all / any / none of entities, watchlists, event types and keywords, and min_score."""

from __future__ import annotations

from typing import Any

import pytest

from tests.match.conftest import article, small_config
from worker.config.models import Route
from worker.match.matcher import Matcher
from worker.match.routes import Found, RouteSet

ENTITIES = [{"id": "putin", "name": "Putin"}, {"id": "assad", "name": "Assad"},
            {"id": "aleppo", "name": "Aleppo"}]
EVENTS = [{"id": "capture", "name": "Capture", "triggers": ["capture"]},
          {"id": "attack", "name": "Attack", "triggers": ["attack"]}]


def matcher_with(**when: Any) -> Matcher:
    return Matcher.build(small_config(ENTITIES, EVENTS, [{"id": "r", "to": ["console"], "when": when}],
                                      title_weight=3, lead_weight=2, body_weight=1, lead_chars=30))


def fires(matcher: Matcher, text: str, title: str = "") -> bool:
    return matcher.match(article(title, text)).routes == ["r"]


def test_all_needs_every_id() -> None:
    matcher = matcher_with(entities={"all": ["putin", "assad"]})
    assert fires(matcher, "Putin met Assad.")
    assert not fires(matcher, "Putin met nobody.")


def test_any_needs_one() -> None:
    matcher = matcher_with(event_types={"any": ["capture", "attack"]})
    assert fires(matcher, "They attacked.")
    assert not fires(matcher, "They talked.")


def test_none_vetoes() -> None:
    matcher = matcher_with(entities={"any": ["aleppo"]}, keywords={"none": ["Opinion"]})
    assert fires(matcher, "News from Aleppo.")
    assert not fires(matcher, "OPINION: Aleppo deserves better.")


def test_keywords_are_folded_phrases_on_token_boundaries() -> None:
    matcher = matcher_with(keywords={"all": ["ground troops"]})
    assert fires(matcher, "Talk of GROUND-TROOPS grew.")
    assert not fires(matcher, "Talk of ground troopships grew.")
    [keyword] = matcher.match(article(text="Talk of Ground Troops grew.")).keywords
    assert (keyword.keyword, keyword.start, keyword.end) == ("ground troops", 8, 21)


def test_every_clause_must_hold() -> None:
    matcher = matcher_with(entities={"any": ["aleppo"]}, event_types={"all": ["capture"]},
                           watchlists={"all": ["test"]})
    assert fires(matcher, "Rebels captured Aleppo.")
    assert not fires(matcher, "Rebels left Aleppo.")


def test_min_score_counts_the_route_s_own_entities() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, min_score=3)
    assert fires(matcher, "x", title="Putin speaks")  # a title mention weighs 3
    assert not fires(matcher, "Putin speaks, and Assad and Aleppo are named too.")  # lead: 2
    assert fires(matcher, "Putin speaks. " + "Later " * 10 + "Putin again.")  # lead 2 + body 1


def test_min_score_alone_counts_every_entity() -> None:
    matcher = matcher_with(min_score=3)
    assert fires(matcher, "Assad and Putin: a long sentence here. Aleppo.")


def test_outcomes_say_which_clause_failed() -> None:
    matcher = matcher_with(entities={"all": ["putin", "assad"]}, event_types={"any": ["capture", "attack"]},
                           keywords={"none": ["opinion"]}, min_score=5)
    result = matcher.match(article(text="Opinion: Putin is here."))
    [outcome] = result.outcomes
    assert not outcome.fired
    assert outcome.failures == ("entities.all: assad not matched",
                                "event_types.any: none of capture, attack matched",
                                "keywords.none: opinion matched", "min_score: 2 < 5")


def test_a_disabled_route_never_fires() -> None:
    matcher = Matcher.build(small_config(ENTITIES, routes=[
        {"id": "r", "to": ["console"], "enabled": False, "when": {"entities": {"any": ["putin"]}}}]))
    result = matcher.match(article(text="Putin"))
    assert result.routes == []
    assert result.outcomes[0].failures == ("disabled (enabled: false)",)


@pytest.mark.parametrize("present", [{"putin"}, {"assad"}, {"putin", "assad"}, set()])
def test_the_index_agrees_with_checking_every_route(present: set[str]) -> None:
    routes = [Route(id=f"r{n}", to=["console"], when=when) for n, when in enumerate([
        {"entities": {"any": ["putin", "assad"]}}, {"entities": {"all": ["putin", "assad"]}},
        {"entities": {"none": ["putin"]}, "min_score": 0.5}, {"event_types": {"none": ["attack"]},
                                                              "entities": {"all": ["assad"]}},
    ])]
    found = Found.of({e: 1.0 for e in present}, {e: "test" for e in present}, frozenset(), frozenset())
    route_set = RouteSet(routes)
    assert route_set.fired(found) == [o.route for o in route_set.outcomes(found) if o.fired]
