"""`newswatch dlq replay` against the real Kafka and Redis."""

from __future__ import annotations

from tests.deliver.conftest import FAST, config, match
from tests.kit.http import LocalServer
from tests.kit.topics import publish, read_topic
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Settings
from worker.deliver.alerts import build_alert
from worker.deliver.replay import payload_id, replay
from worker.records import DeadLetter


def dead_letters(kafka: Kafka, count: int) -> list[DeadLetter]:
    letters = []
    for _ in range(count):
        m = match()
        letters.append(DeadLetter(alert=build_alert(m, m.routes[0]), destination="hook", reason="HTTP 503",
                                  attempts=3))
    publish(kafka, "deadletter", letters, key=payload_id)
    return letters


def test_replay_delivers_each_once_and_keeps_what_fails_again(kafka: Kafka, redis_store: Redis,
                                                              http_server: LocalServer) -> None:
    settings = Settings(kafka=kafka.settings, redis=redis_store.settings, deliver=FAST)
    letters = dead_letters(kafka, 3)
    down = config(settings, hook_url=http_server.set("/hook", status=503))
    assert replay(down) == {"replayed": 3, "delivered": 0, "failed_again": 3, "already_sent": 0,
                            "left": 0}
    # the re-produced ones, attempts counted
    again = [d for d in read_topic(kafka, "deadletter", DeadLetter) if d.attempts > 3]
    assert sorted(d.alert.id for d in again if d.alert) == sorted(d.alert.id for d in letters if d.alert)
    assert all(d.attempts == 3 + 1 for d in again)  # one attempt per replay
    up = config(settings, hook_url=http_server.set("/hook", status=200))
    assert replay(up) == {"replayed": 3, "delivered": 3, "failed_again": 0, "already_sent": 0,
                          "left": 0}
    assert replay(up)["replayed"] == 0
    assert len(http_server.received("/hook", "POST")) == 3 + 3


def test_replay_of_an_empty_topic_returns(kafka: Kafka, redis_store: Redis) -> None:
    settings = Settings(kafka=kafka.settings, redis=redis_store.settings, deliver=FAST)
    assert replay(config(settings))["replayed"] == 0
