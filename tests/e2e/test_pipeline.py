"""End to end: demo feeds on a local server, the worker running, alerts arriving at a local receiver.

Real Kafka, real Redis, real HTTP on both sides. The receiver checks every
Standard Webhooks signature and counts every POST, so "exactly once" is
measured where it matters: at the receiver.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import (
    SECRET,
    SLACK_ALERTS,
    WEBHOOK_ALERTS,
    alert_keys,
    receiver,
    slack_messages,
    worker_process,
    write_config,
)
from tests.kit.http import LocalServer
from tests.kit.quiet import wait_settled
from tests.kit.running import running_app
from tests.kit.topics import read_topic
from tests.kit.waiting import wait_until
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import Config, load_config
from worker.deliver.replay import replay
from worker.demo.site import DemoSite
from worker.records import DeadLetter, Match

pytestmark = pytest.mark.integration


@pytest.fixture
def site() -> Iterator[DemoSite]:
    demo = DemoSite()
    yield demo
    demo.close()


@pytest.fixture
def config_dir(tmp_path: Path, site: DemoSite, http_server: LocalServer,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("NW_E2E_SECRET", SECRET)
    prefix = f"e2e-{uuid.uuid4().hex[:10]}"
    folder = write_config(tmp_path / "config", site, http_server, prefix)
    yield folder
    config = load_config(folder)
    Kafka(config.settings.kafka).delete_topics()
    redis = Redis(config.settings.redis)
    redis.delete_prefix()
    redis.close()


def matches_on_topic(config: Config) -> list[Match]:
    return read_topic(Kafka(config.settings.kafka), "matches", Match)


def test_alerts_arrive_once_signed_and_repeats_collapse(config_dir: Path, http_server: LocalServer) -> None:
    """Each receiver answers 500 to an alert's first POST: it still gets each alert exactly once."""
    hook = receiver(http_server, answers=lambda attempt: 500 if attempt == 1 else 200)
    config = load_config(config_dir)
    with running_app(config, config_dir):
        wait_until(lambda: alert_keys(hook.alerts()) == WEBHOOK_ALERTS
                   and len(slack_messages(http_server)) >= SLACK_ALERTS, "every webhook and Slack alert",
                   timeout=120, show=lambda: (alert_keys(hook.alerts()), len(slack_messages(http_server))))
        wait_settled(config, since=0)  # the demo site never changes
    assert len(hook.alerts()) == len(WEBHOOK_ALERTS)
    assert sorted(hook.attempts().values()) == [2, 2, 2]  # one 500, then one 200, for each
    assert not hook.bad_signatures
    assert len(slack_messages(http_server)) == SLACK_ALERTS
    palmyra = [m for m in matches_on_topic(config) if "palmyra-falls" in m.article.url]
    assert len(palmyra) == 2
    [first] = [m for m in palmyra if {d.status for d in m.routes} == {"alert"}]
    [second] = [m for m in palmyra if {d.status for d in m.routes} == {"duplicate"}]
    assert second.story is not None and second.story.url == first.article.url
    assert {d.alert_id for d in first.routes} == {d.alert_id for d in second.routes}


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(config_dir: Path, http_server: LocalServer,
                                                              tmp_path: Path) -> None:
    """SIGKILL right after the receiver accepts a first alert: every alert still arrives, with a stable id.

    The kill can fall between the receiver's 200 and the ledger's record of it; nobody can know
    then whether that POST landed, so the restarted worker sends it again under the same
    webhook-id (a receiver that dedupes on it sees it once). Only a send the dead worker had
    made can repeat, and once: anything sent twice after the restart is a bug.
    """
    hook = receiver(http_server)
    log = tmp_path / "worker.log"
    worker = worker_process(config_dir, log)
    try:
        wait_until(lambda: len(hook.alerts()) >= 1, "a first alert", timeout=120, show=worker.tail)
    finally:
        worker.kill()
    in_flight = set(hook.attempts())  # what the dead worker had sent
    restarted = worker_process(config_dir, log)
    try:
        # the first worker may have sent everything before it died: wait until the second one is
        # up (its SIGTERM handler installed), or the stop below kills it mid-start-up
        wait_until(lambda: log.read_text().count("newswatch running") == 2, "the restarted worker to run",
                   timeout=120, show=restarted.tail)
        wait_until(lambda: alert_keys(hook.alerts()) == WEBHOOK_ALERTS, "every webhook alert",
                   timeout=120, show=restarted.tail)
        wait_settled(load_config(config_dir), since=0)
    finally:
        assert restarted.stop() == 0
    attempts = hook.attempts()
    assert len(attempts) == len(WEBHOOK_ALERTS)  # one webhook-id an alert, however often it was sent
    assert {wid: n for wid, n in attempts.items() if n > 1}.keys() <= in_flight, attempts
    assert max(attempts.values()) <= 2, attempts
    assert not hook.bad_signatures


def test_failing_receiver_dead_letters_and_replay_delivers(config_dir: Path,
                                                           http_server: LocalServer) -> None:
    hook = receiver(http_server)
    hook.down_status = 503
    hook.down.set()
    config = load_config(config_dir)
    with running_app(config, config_dir):
        # retried (the breaker opens and probes) for the whole short schedule, then dead letters
        wait_until(lambda: len([d for d in read_topic(Kafka(config.settings.kafka), "deadletter", DeadLetter)
                                if d.destination == "siem"]) == len(WEBHOOK_ALERTS),
                   "a dead letter of each siem alert", timeout=120)
    assert hook.alerts() == []
    hook.down.clear()
    replay(config)
    assert alert_keys(hook.alerts()) == WEBHOOK_ALERTS
    assert len(hook.alerts()) == len(WEBHOOK_ALERTS)
    replay(config)  # nothing left: replaying again sends nothing
    assert len(hook.alerts()) == len(WEBHOOK_ALERTS)
