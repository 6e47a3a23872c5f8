"""`newswatch destinations status` against the real Redis: what a failing destination looks like."""

from __future__ import annotations

import json
import time

import pytest
from prometheus_client import REGISTRY

from tests.deliver.conftest import FAST, config, match
from tests.deliver.test_delivery import Harness
from tests.kit.http import LocalServer
from worker.clients.redis import Redis
from worker.config.models import Settings
from worker.deliver.alerts import build_alert
from worker.deliver.breaker import Breakers
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger
from worker.deliver.parked import ParkedAlerts
from worker.deliver.status import destination_status, print_status


def _state_metric(destination: str) -> str:
    [current] = [sample.labels["state"] for metric in REGISTRY.collect()
                 if metric.name == "newswatch_destination_state" for sample in metric.samples
                 if sample.labels["destination"] == destination and sample.value == 1]
    return current


def test_status_shows_each_destination_state_waiting_alerts_and_the_last_error(
        redis_store: Redis, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = config(Settings(redis=redis_store.settings, deliver=FAST))
    parked = ParkedAlerts(redis_store, Ledger(redis_store, 60))
    for _ in range(3):
        m = match()
        parked.park(Job(payload=build_alert(m, m.routes[0]), destination="hook", attempts=1,
                        parked_at=time.time() - 90), due=time.time() + 60)
    breakers = Breakers(redis_store)
    for _ in range(FAST.retry.open_after):
        breakers.failed("hook", FAST.retry, "HTTP 503: down for maintenance")
    breakers.failed("slack", FAST.retry, "HTTP 429: slow down")

    rows = {r["destination"]: r for r in destination_status(cfg)}
    assert rows["hook"]["state"] == "open" and rows["hook"]["breaker"] == "open"
    assert rows["hook"]["waiting"] == 3 and float(str(rows["hook"]["oldest_waiting_seconds"])) >= 90
    assert rows["hook"]["last_error"] == "HTTP 503: down for maintenance" and rows["hook"]["next_probe"]
    assert rows["slack"]["state"] == "retrying" and rows["slack"]["failures"] == 1
    assert rows["console"]["state"] == "ok" and rows["console"]["waiting"] == 0

    print_status(cfg, as_json=False)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["DESTINATION", "TYPE", "STATE", "BREAKER", "WAITING", "OLDEST", "FAILED",
                                "LAST", "DELIVERED", "NEXT", "PROBE", "LAST", "ERROR"]
    hook = next(line for line in lines if line.startswith("hook"))
    assert hook.split()[:5] == ["hook", "webhook", "open", "open", "3"] and "HTTP 503" in hook
    print_status(cfg, as_json=True)
    assert {r["destination"] for r in json.loads(capsys.readouterr().out)} == {"console", "hook", "slack"}


def test_a_destination_that_refuses_every_alert_is_failing_with_its_last_error_until_it_takes_one(
        http_server: LocalServer, redis_store: Redis, capsys: pytest.CaptureFixture[str]) -> None:
    gone = http_server.set("/gone", status=410, body=b"gone")
    cfg = config(Settings(redis=redis_store.settings, deliver=FAST), hook_url=gone)
    h = Harness(cfg, redis_store)
    try:
        assert len(h.handle(match())) == 1  # refused: a dead letter at once, the breaker stays closed
        assert len(h.handle(match())) == 1  # and again (as a replay that fails again)
        [row] = [r for r in destination_status(cfg) if r["destination"] == "hook"]
        assert (row["state"], row["breaker"], row["failed_since_delivered"]) == ("failing", "closed", 2)
        assert "410" in str(row["last_error"]) and row["last_error_at"] and row["last_delivered_at"] is None
        print_status(cfg, as_json=False)
        [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("hook")]
        assert line.split()[:3] == ["hook", "webhook", "failing"] and "ago: HTTP 410" in line
        h.redelivery.tick(lambda out: None)  # what every deliver replica exports, as dashboards see it
        assert _state_metric("hook") == "failing"

        http_server.set("/gone", status=200)  # the receiver is fixed: the next alert goes through
        assert h.handle(match()) == []
        [row] = [r for r in destination_status(cfg) if r["destination"] == "hook"]
        assert (row["state"], row["failed_since_delivered"]) == ("ok", 0) and row["last_delivered_at"]
        h.redelivery.tick(lambda out: None)
        assert _state_metric("hook") == "ok"
        assert "410" in str(row["last_error"])  # the last error stays, with when, for the operator
    finally:
        h.deliverer.close()
