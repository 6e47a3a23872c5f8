"""`newswatch alerts` against the real Kafka and Redis: alerts the deliver stage delivered, parked, dead-
lettered and sent in a digest, each listed with where it went and why it matched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.deliver.conftest import FAST, config, match
from tests.kit.config import write_config
from tests.kit.http import LocalServer
from tests.kit.running import running_stages
from tests.kit.topics import delete_before, publish
from tests.kit.waiting import wait_until
from worker.cli import main
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.kafka_span import plan_span
from worker.clients.redis import Redis
from worker.config.models import Config, RetrySchedule, Route, Settings, Terms, WebhookDestination, When
from worker.deliver.alerts import build_alert
from worker.deliver.history import History, Selection, history, print_history

HOUR = 3600.0


def _config(kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> Config:
    """`hook` takes alerts, `flaky` answers 503 (parked: the next try is an hour away), `gone` 410."""
    deliver = FAST.model_copy(update={"retry": RetrySchedule(delays=[HOUR], open_after=100)})
    base = config(Settings(kafka=kafka.settings, redis=redis_store.settings, deliver=deliver),
                  hook_url=http_server.set("/hook", status=200))
    others = [WebhookDestination(id="flaky", type="webhook", url=http_server.set("/flaky", status=503),
                                 unsigned=True),
              WebhookDestination(id="gone", type="webhook", url=http_server.set("/gone", status=410),
                                 unsigned=True)]
    routes = [Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=["hook", "flaky", "gone"]),
              Route(id="brief", when=When(keywords=Terms(any=["y"])), to=["hook"], digest=1.0)]
    return base.model_copy(update={"destinations": [*base.destinations, *others], "routes": routes})


def _went(found: History) -> dict[tuple[str, str], str]:
    return {(s.alert.route, s.destination): s.fate.went for s in found.alerts}


def test_lists_what_was_delivered_parked_dead_lettered_and_sent_in_a_digest(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(kafka, redis_store, http_server)
    alerted = match("Fighters seize the harbour", destinations=("hook", "flaky", "gone"))
    briefed = match("Ceasefire talks resume", routes=("brief",), digest=1.0)
    publish(kafka, "matches", [alerted, briefed], key="one-partition")
    expected = {("conflict", "hook"): "delivered", ("conflict", "flaky"): "parked",
                ("conflict", "gone"): "dead-lettered", ("brief", "hook"): "delivered"}
    with running_stages(cfg, Clients(kafka, redis_store), "deliver"):
        assert wait_until(lambda: _went(history(cfg, Selection(since=HOUR))) == expected, timeout=120), \
            _went(history(cfg, Selection(since=HOUR)))

    found = history(cfg, Selection(since=HOUR))
    assert found.deleted_before is None
    rows = {(s.alert.route, s.destination): s for s in found.alerts}
    delivered, parked = rows[("conflict", "hook")].fate, rows[("conflict", "flaky")].fate
    assert delivered.digest is None and delivered.at
    assert parked.attempts == 1 and "503" in (parked.reason or "") and parked.next_attempt
    assert "410" in (rows[("conflict", "gone")].fate.reason or "")
    assert rows[("brief", "hook")].fate.digest  # delivered inside the route's digest
    assert {s.alert.article_id for s in found.alerts} == {alerted.id, briefed.id}

    # the filters
    assert _went(history(cfg, Selection(since=HOUR, destination="gone"))) == {
        ("conflict", "gone"): "dead-lettered"}
    assert len(history(cfg, Selection(since=HOUR, route="brief")).alerts) == 1
    assert len(history(cfg, Selection(since=HOUR, entity="islamic state")).alerts) == 4
    assert history(cfg, Selection(since=HOUR, entity="acme")).alerts == []

    # one line each on a terminal
    print_history(found)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["MATCHED", "ALERT", "ROUTE"]
    assert len(lines) == 1 + 4 + 1
    gone = next(line for line in lines if " gone " in line)
    assert "dead-lettered" in gone and "Islamic State, Armed conflict" in gone and "410" in gone
    assert "4 alert(s)" in lines[-1] and "1 parked" in lines[-1] and "2 delivered" in lines[-1]

    # the command, as a script reads it: one JSON document
    folder = write_config(tmp_path / "config", cfg)
    assert main(["alerts", "--config", str(folder), "--since", "1h", "--json", "--destination", "flaky"]) \
        == 0
    [document] = json.loads(capsys.readouterr().out)
    assert document["went"] == "parked" and document["alert_id"] == alerted.routes[0].alert_id
    assert document["why"]["entities"][0]["name"] == "Islamic State"
    assert document["why"]["events"][0]["trigger"] == "captured"
    assert document["url"] == alerted.article.url


def test_nothing_in_the_span_says_so(kafka: Kafka, redis_store: Redis, http_server: LocalServer,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(kafka, redis_store, http_server)
    print_history(history(cfg, Selection(since=HOUR)))
    assert capsys.readouterr().out.startswith("no alerts since ")


def test_a_selection_takes_an_entity_by_id_or_name_in_any_case() -> None:
    alert = build_alert(alerted := match(), alerted.routes[0], "hook")
    assert Selection(entity="Islamic-State").wants(alert, "hook")
    assert Selection(entity="ISLAMIC STATE", route="conflict", destination="hook").wants(alert, "hook")
    assert not Selection(entity="islamic").wants(alert, "hook")
    assert not Selection(destination="slack").wants(alert, "hook")
    assert not Selection(route="brief").wants(alert, "hook")


def test_a_span_that_retention_cut_says_from_when_and_lists_what_is_left(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer,
        capsys: pytest.CaptureFixture[str]) -> None:
    cfg = _config(kafka, redis_store, http_server)
    older, newer = match("Older story"), match("Newer story")
    publish(kafka, "matches", [older, newer], key="one-partition")
    [held] = [s for s in plan_span(kafka, "matches", 0, 2**62) if s.records]
    delete_before(kafka, "matches", held.partition.partition, held.start + 1)  # as retention would

    found = history(cfg, Selection(since=HOUR))
    assert [s.alert.article_id for s in found.alerts] == [newer.id]
    assert found.alerts[0].fate.went == "unknown"  # no deliver stage ran
    assert found.deleted_before is not None and found.since < found.deleted_before <= found.until
    print_history(found)
    assert "retention deleted the matches before" in capsys.readouterr().err
