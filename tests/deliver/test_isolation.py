"""A match whose delivery fails for its own sake is rejected alone, and what was sent is not sent again."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from tests.deliver.conftest import FAST, config, match
from tests.kit.http import LocalServer
from tests.kit.running import running_stages
from tests.kit.topics import publish
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import KafkaSettings, Route, Settings, Terms, When
from worker.deliver.slack import SlackSender
from worker.records import Alert, Payload

pytestmark = pytest.mark.integration


def rejected() -> float:
    return REGISTRY.get_sample_value("newswatch_records_rejected_total", {"stage": "deliver"}) or 0.0


def test_a_match_that_breaks_one_destination_is_rejected_and_no_alert_goes_out_twice(
        http_server: LocalServer, redis_store: Redis, kafka_settings: KafkaSettings,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The webhook takes all three alerts in the batch's first attempt; Slack's formatting breaks on the
    second match. Handled again one match at a time, the ledger skips what went out, the broken match is
    rejected, the third reaches Slack: each alert reaches each receiver once."""
    settings = Settings(redis=redis_store.settings, kafka=kafka_settings,
                        deliver=FAST.model_copy(update={"slack_min_interval": 0.05}))
    base = config(settings, hook_url=http_server.set("/hook", status=200),
                  slack_url=http_server.set("/slack", status=200, body=b"ok"))
    route = Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=["hook", "slack"])
    cfg = base.model_copy(update={"routes": [route]})
    matches = [match(title=f"Isolated story {n}", destinations=("hook", "slack")) for n in range(3)]
    send = SlackSender.send

    def breaks_on_the_second(sender: SlackSender, payload: Payload) -> None:
        if isinstance(payload, Alert) and payload.article_id == matches[1].id:
            raise KeyError("a field the Slack layout expects")
        send(sender, payload)

    monkeypatch.setattr(SlackSender, "send", breaks_on_the_second)
    kafka = Kafka(kafka_settings)
    kafka.ensure_topics()
    publish(kafka, "matches", matches, key="one-partition")
    before = rejected()
    try:
        with running_stages(cfg, Clients(kafka, redis_store), "deliver"):
            assert wait_until(lambda: posts(http_server, "/slack") == [1, 0, 1] and rejected() == before + 1,
                              timeout=120), (posts(http_server, "/hook"), posts(http_server, "/slack"))
    finally:
        kafka.delete_topics()
    assert posts(http_server, "/hook") == [1, 1, 1]
    assert posts(http_server, "/slack") == [1, 0, 1]
    assert rejected() == before + 1
    assert any("one record at a time" in r.getMessage() for r in caplog.records)


def posts(http_server: LocalServer, path: str) -> list[int]:
    """How many POSTs to `path` name each of the three stories."""
    bodies = [r.body for r in http_server.received(path, "POST")]
    return [sum(f"Isolated story {n}".encode() in body for body in bodies) for n in range(3)]
