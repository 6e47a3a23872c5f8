"""Fixtures of the matcher tests: the example config, its matcher, the Palmyra article, small configs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from worker.config import Config, load_config
from worker.config.models import Entity, EventType, Route, Watchlist
from worker.explain import article_from_text
from worker.match.matcher import Matcher
from worker.records import Article

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def example_config() -> Config:
    return load_config(ROOT / "config")


@pytest.fixture(scope="session")
def matcher(example_config: Config) -> Matcher:
    return Matcher.build(example_config)


@pytest.fixture(scope="session")
def palmyra() -> Article:
    """Our own article on the scenario of the issue: IS takes Palmyra, the US weighs sending troops."""
    path = DATA / "palmyra.txt"
    return article_from_text(path.read_text(encoding="utf-8"), path.as_uri())


def article(title: str = "", text: str = "") -> Article:
    return Article(id="test", feed_id="test", url="https://example.test/a", link="https://example.test/a",
                   title=title, text=text, source="page", first_seen=datetime.now(UTC))


def small_config(entities: list[dict[str, Any]], event_types: list[dict[str, Any]] | None = None,
                 routes: list[dict[str, Any]] | None = None, **settings: Any) -> Config:
    """A config built in code: one watchlist "test" of `entities`; settings.match from keywords."""
    return Config.model_validate({
        "settings": {"match": settings},
        "watchlists": [Watchlist(id="test", name="Test", entities=[Entity(**e) for e in entities])],
        "event_types": [EventType(**e) for e in event_types or []],
        "routes": [Route(**r) for r in routes or []],
        "destinations": [{"id": "console", "type": "console"}],
    })


def mentions(matcher: Matcher, title: str = "", text: str = "") -> dict[str, list[str]]:
    """Entity id -> the words of each of its mentions, as written."""
    result = matcher.match(article(title, text))
    return {e.id: [m.text for m in e.mentions] for e in result.entities}
