"""Routes that name their sources: accepted when they narrow what is alerted on, refused when not."""

from __future__ import annotations

from typing import Any

import pytest

from worker.config.models import Config
from worker.config.references import check_references

FEEDS = [{"id": "energy-news", "url": "https://a.example/rss", "tags": ["energy", "europe"]},
         {"id": "grid-watch", "url": "https://b.example/rss", "tags": ["energy"]},
         {"id": "wire", "url": "https://c.example/rss", "tags": ["world"]}]


def route_problems(when: dict[str, Any]) -> list[str]:
    config = Config.model_validate({"feeds": FEEDS, "destinations": [{"id": "console", "type": "console"}],
                                    "routes": [{"id": "r", "when": when, "to": ["console"]}]})
    return [message for _, message in check_references(config)]


@pytest.mark.parametrize("when", [
    {"feeds": {"any": ["grid-watch"]}},  # every article of one feed: a route ops mean
    {"feed_tags": {"any": ["energy"]}},
    {"feed_tags": {"all": ["energy", "europe"]}},
    {"feeds": {"none": ["wire"]}, "feed_tags": {"any": ["energy"]}},
    {"domains": {"any": ["reuters.com"]}},
    {"authors": {"any": ["Jane Doe"]}},
])
def test_a_route_may_stand_on_its_sources_alone(when: dict[str, Any]) -> None:
    assert route_problems(when) == []


@pytest.mark.parametrize("when", [
    {"feeds": {"none": ["wire"]}},
    {"domains": {"none": ["reuters.com"]}},
    {"authors": {"none": ["Jane Doe"]}},
    {"languages": {"any": ["en"]}},
])
def test_exclusions_alone_still_alert_on_every_article(when: dict[str, Any]) -> None:
    [problem] = route_problems(when)
    assert problem.startswith("route 'r': no all/any condition, so it would alert on every article")


@pytest.mark.parametrize("when", [
    {"feeds": {"any": ["energy-news", "grid-watch", "wire"]}},
    {"feed_tags": {"any": ["energy", "world"]}},
    {"feed_tags": {"any": ["energy", "world"], "none": ["nothing-like-it"]}},
])
def test_feed_filters_that_admit_every_feed_are_refused(when: dict[str, Any]) -> None:
    problems = route_problems(when)
    assert problems[-1] == (
        "route 'r': its feeds and feed_tags admit every feed of the config (energy-news, grid-watch, wire), "
        "so it would alert on every article; name fewer feeds or tags, or add entities, watchlists, "
        "event_types or keywords")


def test_feed_filters_over_every_feed_may_narrow_by_content() -> None:
    assert route_problems({"feed_tags": {"any": ["energy", "world"]}, "keywords": {"any": ["outage"]}}) == []
