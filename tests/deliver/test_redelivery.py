"""Outages against the real Kafka, Redis and a local receiver: parked alerts, the breaker, replicas, a kill.

Each test runs the deliver stage as `newswatch run --stage deliver` does (on a
thread, or as a process of its own), feeds it match records through the real
`matches` topic, and counts at the receiver what arrived, in which order and
how often. A receiver is down until the test says it is back, so nothing here
depends on how fast the machine is; no timing is asserted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.deliver.conftest import SECRET, config, match
from tests.kit import topics
from tests.kit.config import write_config
from tests.kit.http import LocalServer
from tests.kit.process import WorkerProcess
from tests.kit.receiver import Receiver
from tests.kit.running import running_stages
from tests.kit.topics import read_topic
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import (
    Config,
    DeliverSettings,
    LoggingSettings,
    RetrySchedule,
    Settings,
    WebhookDestination,
)
from worker.deliver.ledger import Ledger
from worker.deliver.parked import ParkedAlerts
from worker.records import DeadLetter, Match

# Long enough that no alert expires while a loaded machine is slow; probes at least every 0.3 s.
PATIENT = RetrySchedule(delays=[0.1, 0.2, 0.4, 0.8, 120], open_after=3, probe_max=0.3)
SHORT = RetrySchedule(delays=[0.05, 0.1, 0.2], open_after=3, probe_max=0.3)


def settings_for(kafka: Kafka, store: Redis, schedule: RetrySchedule) -> Settings:
    return Settings(kafka=kafka.settings, redis=store.settings,
                    deliver=DeliverSettings(retry=schedule, slack_min_interval=0.2, timeout=5))


Outage = Callable[..., list[Receiver]]


@pytest.fixture
def outage(kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> Iterator[Outage]:
    """Receivers at `paths` (the first one down), and `replicas` deliver stages sending to them."""
    with ExitStack() as running:
        def start(schedule: RetrySchedule, *paths: str, replicas: int = 1) -> list[Receiver]:
            receivers = [Receiver(http_server, path) for path in paths]
            receivers[0].down.set()
            hooks = [WebhookDestination(id=r.path.strip("/"), type="webhook", url=r.url, secret=SECRET)
                     for r in receivers]
            cfg = config(settings_for(kafka, redis_store, schedule))
            cfg = cfg.model_copy(update={"destinations": [*cfg.destinations[:1], *hooks]})
            for _ in range(replicas):
                running.enter_context(running_stages(cfg, Clients(kafka, redis_store), "deliver"))
            return receivers

        yield start


def publish(kafka: Kafka, matches: list[Match], key: str | None = None) -> list[str]:
    """Send matches to the topic (one key keeps them in one partition, in order); their alert ids."""
    topics.publish(kafka, "matches", matches, key or (lambda m: m.id))
    return [m.routes[0].alert_id for m in matches]


def waiting(store: Redis, destination: str) -> int:
    return ParkedAlerts(store, Ledger(store, 60)).waiting(destination).count


def test_an_outage_longer_than_six_attempts_loses_nothing_and_keeps_order(
        kafka: Kafka, redis_store: Redis, outage: Outage) -> None:
    hook, other = outage(PATIENT, "/hook", "/other")
    expected = publish(kafka, [match(destinations=("hook", "other")) for _ in range(12)], key="one-partition")
    # the healthy destination gets everything while the other is down, and the breaker probes
    wait_until(lambda: other.delivered() == expected and len(hook.failed()) >= 10
               and waiting(redis_store, "hook") == 12, "other delivered, 10 hook failures, 12 waiting",
               timeout=120,
               show=lambda: (len(other.delivered()), len(hook.failed()), waiting(redis_store, "hook")))
    assert waiting(redis_store, "other") == 0
    hook.down.clear()
    wait_until(lambda: len(hook.delivered()) >= 12 and waiting(redis_store, "hook") == 0,
               "12 delivered to hook, none waiting", timeout=120)
    assert hook.delivered() == expected  # each once, in order
    failed = hook.failed()
    assert len(set(failed[:3])) <= 3 and set(failed[3:]) == {expected[0]}  # then only probes, of the oldest
    assert len(hook.posts()) == len(failed) + 12
    assert [d for d in read_topic(kafka, "deadletter", DeadLetter) if d.destination == "hook"] == []


def test_the_whole_schedule_exhausted_is_one_dead_letter_each(
        kafka: Kafka, redis_store: Redis, outage: Outage) -> None:
    [hook] = outage(SHORT, "/hook")
    expected = publish(kafka, [match() for _ in range(4)], key="one-partition")
    wait_until(lambda: len(read_topic(kafka, "deadletter", DeadLetter)) >= 4, "4 dead letters", timeout=120)
    wait_until(lambda: waiting(redis_store, "hook") == 0, "none waiting for hook")
    tried = len(hook.posts())
    letters = read_topic(kafka, "deadletter", DeadLetter)
    assert sorted(d.alert.id for d in letters if d.alert) == sorted(expected)  # once each
    assert all(d.destination == "hook" and "503" in d.reason for d in letters)
    assert tried < 4 * (len(SHORT.delays) + 1)  # the breaker held most attempts back
    assert hook.delivered() == []


def test_a_4xx_is_a_dead_letter_at_once_even_when_retried(
        kafka: Kafka, redis_store: Redis, outage: Outage) -> None:
    [hook] = outage(PATIENT, "/hook")  # 503 first: parked; then 410 Gone for everything
    expected = publish(kafka, [match() for _ in range(3)], key="one-partition")
    wait_until(lambda: waiting(redis_store, "hook") == 3, "3 waiting for hook", timeout=120)
    hook.down_status = 410
    wait_until(lambda: waiting(redis_store, "hook") == 0, "none waiting for hook")
    letters = read_topic(kafka, "deadletter", DeadLetter)
    assert sorted(d.alert.id for d in letters if d.alert) == sorted(expected)
    assert all(d.reason.startswith("HTTP 410") for d in letters)
    assert sum(1 for post in hook.posts() if post.status == 410) == 3  # each refused once, none retried


def test_two_replicas_share_the_parked_alerts_and_send_each_once(
        kafka: Kafka, redis_store: Redis, outage: Outage) -> None:
    [hook] = outage(PATIENT, "/hook", replicas=2)
    expected = publish(kafka, [match() for _ in range(30)])  # spread over the partitions
    wait_until(lambda: waiting(redis_store, "hook") == 30, "30 waiting for hook", timeout=120)
    hook.down.clear()
    wait_until(lambda: len(hook.delivered()) >= 30 and waiting(redis_store, "hook") == 0,
               "30 delivered to hook, none waiting", timeout=120)
    assert sorted(hook.delivered()) == sorted(expected)


def test_a_digest_waits_out_an_outage_and_is_sent_once(
        kafka: Kafka, redis_store: Redis, outage: Outage) -> None:
    [hook] = outage(PATIENT, "/hook")
    publish(kafka, [match(digest=1.0)])
    # its period closed and it waits parked, retried
    wait_until(lambda: len(hook.failed()) >= 2 and waiting(redis_store, "hook") == 1
               and redis_store.scard(redis_store.keys.digests()) == 0,
               "2 hook failures, the digest parked and none left to collect", timeout=120)
    hook.down.clear()
    wait_until(lambda: len(hook.delivered()) == 1 and waiting(redis_store, "hook") == 0,
               "the digest delivered, none waiting")
    assert set(hook.failed()) == set(hook.delivered())  # the same digest, retried, delivered once
    assert read_topic(kafka, "deadletter", DeadLetter) == []


def test_a_killed_deliver_process_loses_no_parked_alert(kafka: Kafka, redis_store: Redis,
                                                         http_server: LocalServer, tmp_path: Path) -> None:
    hook = Receiver(http_server, "/hook")
    hook.down.set()
    settings = settings_for(kafka, redis_store, PATIENT)
    settings = settings.model_copy(update={"deliver": settings.deliver.model_copy(update={"timeout": 2}),
                                           "logging": LoggingSettings(format="json")})
    hooks = [WebhookDestination(id="hook", type="webhook", url=hook.url, secret=SECRET)]
    folder = write_config(tmp_path / "config", Config(settings=settings, destinations=hooks))
    log = tmp_path / "deliver.log"
    first = WorkerProcess(folder, "--stage", "deliver", log=log)
    try:
        expected = publish(kafka, [match() for _ in range(10)])
        wait_until(lambda: waiting(redis_store, "hook") == 10, "10 waiting for hook", timeout=120,
                   show=first.tail)
    finally:
        first.kill()  # mid-probe, holding the destination's lease perhaps
    hook.down.clear()
    second = WorkerProcess(folder, "--stage", "deliver", log=log)
    try:
        wait_until(lambda: len(hook.delivered()) >= 10 and waiting(redis_store, "hook") == 0,
                   "10 delivered to hook, none waiting", timeout=180, show=second.tail)
    finally:
        assert second.stop() == 0
    assert sorted(hook.delivered()) == sorted(expected)
