"""Mutes in the config, judged at a given moment: they hold before their time and are gone after it."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.match.conftest import article, small_config
from worker.config.lint import expired_mutes
from worker.explain import explain_source
from worker.match.matcher import Matcher
from worker.match.mutes import Muting, config_mutes, decisions, held_back
from worker.records import Match, Mute, alert_id

UNTIL = datetime(2026, 5, 1, 18, 0, tzinfo=UTC)
BEFORE, AFTER = UNTIL - timedelta(seconds=1), UNTIL + timedelta(seconds=1)
TEXT = "Acme Corp and Globex both said on Monday that the merger talks had ended."


def _matcher(acme: dict[str, Any] | None = None, route: dict[str, Any] | None = None) -> Matcher:
    entities = [{"id": "acme", "name": "Acme Corp", **(acme or {})}, {"id": "globex", "name": "Globex"}]
    routes = [{"id": "acme-news", "when": {"entities": {"any": ["acme"]}}, "to": ["console"],
               **(route or {})},
              {"id": "either", "when": {"entities": {"any": ["acme", "globex"]}}, "to": ["console"]}]
    return Matcher.build(small_config(entities, routes=routes))


def _held(matcher: Matcher, now: datetime, runtime: list[Mute] | None = None) -> dict[str, Mute]:
    result = matcher.match(article("Merger talks end", TEXT))
    muting = Muting.at(now, [*config_mutes(matcher.config), *(runtime or [])])
    return held_back(result.routes, result.found, matcher.routes, muting)


def test_a_muted_entity_does_not_count_before_its_time_and_counts_again_after_it() -> None:
    matcher = _matcher(acme={"muted_until": UNTIL, "mute_reason": "earnings week"})
    held = _held(matcher, BEFORE)
    assert set(held) == {"acme-news"}  # "either" still fires on Globex
    assert held["acme-news"].describe() == ("muted until 2026-05-01 18:00:00 UTC: earnings week "
                                            "(entity acme, in the config)")
    assert _held(matcher, UNTIL) == {} and _held(matcher, AFTER) == {}


def test_a_muted_route_does_not_fire_before_its_time_only() -> None:
    matcher = _matcher(route={"muted_until": UNTIL})
    assert set(_held(matcher, BEFORE)) == {"acme-news"}
    assert _held(matcher, AFTER) == {}


def test_a_muted_watchlist_mutes_every_entity_in_it() -> None:
    config = small_config([{"id": "acme", "name": "Acme Corp"}, {"id": "globex", "name": "Globex"}],
                          routes=[{"id": "either", "when": {"entities": {"any": ["acme", "globex"]}},
                                   "to": ["console"]}])
    watchlist = config.watchlists[0].model_copy(update={"muted_until": UNTIL})
    matcher = Matcher.build(config.model_copy(update={"watchlists": [watchlist]}))
    assert _held(matcher, BEFORE)["either"].kind == "watchlist"
    assert _held(matcher, AFTER) == {}


def test_a_run_time_route_mute_and_the_longer_of_two_mutes() -> None:
    matcher = _matcher(route={"muted_until": UNTIL})
    later = Mute(kind="route", id="acme-news", until=UNTIL + timedelta(hours=1), reason="incident",
                 by="alice")
    assert _held(matcher, AFTER, [later])["acme-news"] == later
    assert _held(matcher, BEFORE, [later])["acme-news"] == later


def test_muted_decisions_keep_config_order_and_say_which_mute() -> None:
    matcher = _matcher(acme={"muted_until": UNTIL, "mute_reason": "earnings week"})
    result = matcher.match(article("Merger talks end", TEXT))
    held = _held(matcher, BEFORE)
    alerts = [d for d in matcher.alerts(result, "story") if d.route not in held]
    routes = {r.id: r for r in matcher.config.routes}
    out = decisions(result.routes, alerts, held, routes, "story")
    assert [(d.route, d.status) for d in out] == [("acme-news", "muted"), ("either", "alert")]
    assert out[0].mute is not None and (out[0].mute.kind, out[0].mute.id) == ("entity", "acme")
    assert out[0].mute.reason == "earnings week"
    assert out[0].alert_id == alert_id("acme-news", "story")  # the id an alert after the mute will carry


def test_expired_mutes_are_warned_about_after_their_time_only() -> None:
    matcher = _matcher(acme={"muted_until": UNTIL, "mute_reason": "earnings week"},
                       route={"muted_until": UNTIL})
    assert list(expired_mutes(matcher.config, BEFORE)) == []
    warned = dict(expired_mutes(matcher.config, AFTER))
    assert set(warned) == {("watchlists", 0, "entities", 0, "muted_until"), ("routes", 0, "muted_until")}
    assert "remove muted_until and mute_reason" in warned[("watchlists", 0, "entities", 0, "muted_until")]


def test_newswatch_match_shows_what_a_mute_held_back(tmp_path: Path) -> None:
    matcher = _matcher(acme={"muted_until": datetime(2999, 1, 1, tzinfo=UTC), "mute_reason": "earnings week"})
    source = tmp_path / "article.txt"
    source.write_text(f"Merger talks end\n{TEXT}\n")
    out = io.StringIO()
    assert explain_source(matcher.config, str(source), out=out, matcher=matcher) == 0
    lines = out.getvalue().splitlines()
    assert ("  MUTED    acme-news  muted until 2999-01-01 00:00:00 UTC: earnings week (entity acme, in the "
            "config); recorded, not sent") in lines
    assert any(line.startswith("  FIRED    either") for line in lines)
    out = io.StringIO()
    explain_source(matcher.config, str(source), as_json=True, out=out, matcher=matcher)
    record = Match.model_validate_json(out.getvalue())
    assert [(d.route, d.status) for d in record.routes] == [("acme-news", "muted"), ("either", "alert")]
    assert record.version == 2 and [e.id for e in record.entities] == ["acme", "globex"]
