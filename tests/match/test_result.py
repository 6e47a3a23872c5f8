"""The records a match becomes: built on demand, valid against the published match schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from worker.config.models import Route, Terms, When
from worker.match.matcher import Matcher
from worker.records import Article, Match, RouteDecision, alert_id, parse_record, stable_id

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "worker" / "schemas" / "match.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text())


def test_the_match_record_follows_its_schema(matcher: Matcher, palmyra: Article) -> None:
    result = matcher.match(palmyra)
    record = matcher.record(palmyra, result, matcher.alerts(result, palmyra.id))
    raw = record.to_json()
    jsonschema.validate(json.loads(raw), SCHEMA)
    again = parse_record(Match, raw)
    assert again.config_version == matcher.version
    assert [e.id for e in again.entities] == [e.id for e in result.entities]
    assert again.score == result.score == sum(e.score for e in result.entities)


def test_alerts_are_stable_per_route_and_story(matcher: Matcher, palmyra: Article) -> None:
    decisions = matcher.alerts(matcher.match(palmyra), story_id="story-1")
    assert [(d.route, d.status) for d in decisions] == [("conflict-desk", "alert"), ("syria-cities", "alert")]
    assert decisions[0].alert_id == stable_id("conflict-desk", "story-1")
    assert decisions[0].destinations == ["console", "slack-ops", "siem", "teams-ops"]
    assert decisions[0] == matcher.alerts(matcher.match(palmyra), story_id="story-1")[0]


def test_an_alert_id_is_what_it_always_was() -> None:
    """Ids already in Kafka and Redis (delivered alerts, claims) must keep matching the ones computed now."""
    assert alert_id("conflict-desk", "story-1") == "f4400b9ab4671a4a1fd85dfd587a8ff3"
    route = Route(id="conflict-desk", when=When(keywords=Terms(any=["war"])), to=["console"], digest=600)
    assert RouteDecision.of(route, "story-1", "duplicate") == RouteDecision(
        route="conflict-desk", alert_id="f4400b9ab4671a4a1fd85dfd587a8ff3", status="duplicate",
        destinations=["console"], digest=600)


def test_records_are_built_once_and_kept(matcher: Matcher, palmyra: Article) -> None:
    result = matcher.match(palmyra)
    assert result.entities is result.entities
    assert result.events is result.events
    assert result.entity_ids == [e.id for e in result.entities]
    assert result.event_ids == [e.id for e in result.events]


def test_entities_come_highest_score_first(matcher: Matcher, palmyra: Article) -> None:
    scores = [e.score for e in matcher.match(palmyra).entities]
    assert scores == sorted(scores, reverse=True)
