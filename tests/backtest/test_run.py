"""`newswatch backtest` against the real Kafka: the exact alerts a change adds and removes, near copies
collapsed, live groups untouched, a span retention cut reported, and the CI exit status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.kit.config import write_config
from tests.kit.topics import commit_first, delete_before
from worker.backtest.render import render
from worker.backtest.report import Report
from worker.backtest.run import Request, Span, backtest, failed
from worker.cli import main
from worker.clients.kafka import Kafka, Outgoing
from worker.clients.kafka_span import plan_span, read_span
from worker.config.models import (
    Config,
    ConsoleDestination,
    Entity,
    Route,
    Settings,
    Terms,
    Watchlist,
    When,
)
from worker.errors import NewswatchError
from worker.records import Article

# An hour ago, to the minute: the broker's time retention (7 days by default) would delete older records.
AT = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
SPAN = Span(AT - timedelta(hours=1), AT + timedelta(hours=1))

PLAIN = ("Acme Robotics opened a second assembly plant near the river port on Tuesday. The company will hire "
         "four hundred technicians for its warehouse arm line, the regional council said. Local suppliers "
         "expect orders for steel frames and motors to double before the spring.")
NICKNAME = ("Acmebot, the warehouse arm that dock workers named after its maker, jammed a whole shift at the "
            "northern terminal. Crane crews unloaded grain by hand until engineers flew in from the coast, "
            "and the Port Authority asked for a written account of the fault by Friday.")
NICKNAME_COPY = NICKNAME.replace("by Friday", "by next Friday").replace("whole shift", "full shift")
MUSEUM = ("The Acme Robotics Museum reopened its hall of early industrial arms after a year of repairs. "
          "Visitors can again watch a restored welding arm from the first car plant in the valley, and "
          "school groups get in free on weekday mornings through the winter.")
UNRELATED = ("The city library extended its opening hours for the exam season. Students asked for quiet "
             "rooms on the upper floor, and the staff added forty desks beside the map collection.")


def acme(**rules: list[str]) -> Entity:
    return Entity(id="acme", name="Acme Robotics", **rules)


def config(kafka: Kafka, entity: Entity) -> Config:
    return Config(settings=Settings(kafka=kafka.settings),
                  watchlists=[Watchlist(id="firms", name="Firms",
                                        entities=[entity, Entity(id="ports", name="Port Authority")])],
                  routes=[Route(id="robotics", to=["console"], when=When(entities=Terms(any=["acme"]))),
                          Route(id="ports", to=["console"], when=When(entities=Terms(any=["ports"])))],
                  destinations=[ConsoleDestination(id="console", type="console")])


def store(kafka: Kafka, texts: list[tuple[str, str]]) -> list[Article]:
    """Each (outlet, text) as an article on the articles topic, a minute apart from AT."""
    articles = [Article(id=f"{outlet}-{n}", feed_id=outlet, url=f"https://{outlet}.example/{n}",
                        link=f"https://{outlet}.example/{n}", title=text.split(".")[0], text=text,
                        source="page", first_seen=AT) for n, (outlet, text) in enumerate(texts)]
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(kafka.topic("articles"), a.url, a.to_json(),
                                    int((AT + timedelta(minutes=n)).timestamp() * 1000))
                           for n, a in enumerate(articles)])
    finally:
        producer.close()
    return articles


def run(kafka: Kafka, new: Entity, workers: int = 1, route: str | None = None) -> Report:
    request = Request(config(kafka, acme()), config(kafka, new), "current", "new", SPAN, route, workers)
    return backtest(request, progress=False)


def alerts(report: Report, route: str = "robotics") -> tuple[set[str], set[str]]:
    changes = next(r for r in report.routes if r.route == route)
    return {a.url for a in changes.added}, {a.url for a in changes.removed}


@pytest.fixture
def stored(kafka: Kafka) -> list[Article]:
    return store(kafka, [("wire", PLAIN), ("daily", NICKNAME), ("herald", NICKNAME_COPY), ("weekly", MUSEUM),
                         ("gazette", UNRELATED)])


def test_an_added_alias_adds_one_alert_per_story(kafka: Kafka, stored: list[Article]) -> None:
    report = run(kafka, acme(aliases=["Acmebot"]), workers=2)
    assert report.articles == 5 and not report.deleted
    assert alerts(report) == ({stored[1].url}, set()), "the herald's near copy is the same story"
    robotics = report.routes[0]
    assert (robotics.before, robotics.after) == (2, 3)
    [added] = robotics.added
    assert added.story == stored[1].id and added.entities == ["Acme Robotics"] and added.mention == "Acmebot"
    assert "entities" in added.rule and robotics.why_added.entities == {"Acme Robotics": 1}
    assert alerts(report, "ports") == (set(), set()) and report.routes[1].before is None, "not counted"
    text = render(report)
    assert "+1" in text and "\u201cAcmebot\u201d" in text and stored[1].url in text


def test_an_added_exclusion_removes_the_alerts_it_excludes(kafka: Kafka, stored: list[Article]) -> None:
    report = run(kafka, acme(exclusions=["Acme Robotics Museum"]))
    assert alerts(report) == (set(), {stored[3].url})
    [removed] = report.routes[0].removed
    assert removed.mention == "Acme Robotics" and "Museum" in removed.snippet
    assert (report.routes[0].before, report.routes[0].after) == (2, 1)
    only = run(kafka, acme(exclusions=["Acme Robotics Museum"]), route="ports")
    assert [r.route for r in only.routes] == ["ports"] and alerts(only, "ports") == (set(), set())


def test_a_route_the_change_was_not_expected_to_alter_is_fingerprinted_in_a_second_read(
        kafka: Kafka, stored: list[Article]) -> None:
    """The new alias covers the port authority's mention, so the ports route, which names no changed
    entity, loses the nickname story's alert: its articles are fingerprinted only once that is known."""
    for workers in (1, 2):
        report = run(kafka, acme(aliases=["the port authority"]), workers=workers)
        assert alerts(report) == ({stored[1].url}, set())
        assert alerts(report, "ports") == (set(), {stored[1].url}), "the herald's near copy is that story"
        assert (report.routes[1].before, report.routes[1].after) == (1, 0)


def test_records_that_are_not_articles_are_counted_and_left_out(kafka: Kafka, stored: list[Article]) -> None:
    at, topic = int(AT.timestamp() * 1000), kafka.topic("articles")
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(topic, "junk", b"{not json", at),
                           Outgoing(topic, "entry", json.dumps({"type": "entry"}).encode(), at)])
    finally:
        producer.close()
    report = run(kafka, acme(aliases=["Acmebot"]), workers=2)
    assert (report.articles, report.unreadable) == (7, 2)
    assert alerts(report) == ({stored[1].url}, set())
    assert "2 records were not articles and are left out" in render(report)


def test_live_groups_keep_their_committed_offsets(kafka: Kafka, stored: list[Article]) -> None:
    group = kafka.settings.group_prefix + "match"
    commit_first(kafka, group, "articles", 3)
    before = kafka.progress(group, ["articles"])
    run(kafka, acme(aliases=["Acmebot"]), workers=2)
    assert kafka.progress(group, ["articles"]) == before


def test_a_span_retention_partly_deleted_is_reported(kafka: Kafka, stored: list[Article]) -> None:
    spans = plan_span(kafka, "articles", int(SPAN.start.timestamp() * 1000), int(SPAN.end.timestamp() * 1000))
    held = {m.key: m for batch in read_span(kafka, spans) for m in batch}
    nickname = held[stored[1].url]
    delete_before(kafka, "articles", nickname.partition, nickname.offset + 1)
    gone = [m for m in held.values() if m.partition == nickname.partition and m.offset <= nickname.offset]
    report = run(kafka, acme(aliases=["Acmebot"]))
    assert [gap.partition for gap in report.deleted] == [nickname.partition]
    assert report.articles == 5 - len(gone)
    assert alerts(report) == ({stored[2].url}, set()), "the near copy left raises the story's alert"
    assert f"retention already deleted the start of this span in partition {nickname.partition}" \
        in render(report)


def test_the_ci_job_fails_on_removed_alerts(kafka: Kafka, stored: list[Article], tmp_path: Path) -> None:
    current = write_config(tmp_path / "current", config(kafka, acme()))
    new = write_config(tmp_path / "new", config(kafka, acme(exclusions=["Acme Robotics Museum"])))
    span = ["--from", SPAN.start.isoformat(), "--to", SPAN.end.isoformat()]
    out = tmp_path / "report.json"
    assert main(["backtest", "--config", str(new), "--against", str(current), *span, "--json", str(out),
                 "--fail-on-removed"]) == 4
    assert json.loads(out.read_text())["routes"][0]["removed"][0]["url"] == stored[3].url
    assert main(["backtest", "--config", str(new), "--against", str(current), *span, "--fail-on-added",
                 "0"]) == 0


def test_a_span_is_since_a_duration_or_from_to() -> None:
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert Span.of(86400.0, None, None, now) == Span(now - timedelta(days=1), now)
    assert Span.of(None, None, None, now).start == now - timedelta(days=7)
    assert Span.of(None, AT, AT + timedelta(days=2), now) == Span(AT, AT + timedelta(days=2))
    with pytest.raises(NewswatchError, match="--since and --from"):
        Span.of(60.0, AT, None, now)
    with pytest.raises(NewswatchError, match="is not before --to"):
        Span.of(None, AT, AT, now)
    assert Span.parse(None, "2026-11-01", "2026-11-02T06:00Z") == Span(
        datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, 6, tzinfo=UTC))
    with pytest.raises(NewswatchError, match="--from yesterday: not an ISO time"):
        Span.parse(None, "yesterday", None)
    with pytest.raises(NewswatchError, match="--since"):
        Span.parse("a week", None, None)


def test_the_failure_options_say_what_tripped() -> None:
    report = Report(current="c", new="n", topic="t", start=AT, end=AT, deleted=[], articles=0, unreadable=0,
                    alerting=0, seconds=0.0, compile_seconds=0.0, routes=[])
    assert failed(report, True, 0) == []
