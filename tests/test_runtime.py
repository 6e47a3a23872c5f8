"""The stage loop replaces a consumer that cannot join its group, and says why."""

from __future__ import annotations

import threading

import pytest

from tests.e2e.harness import wait_until
from worker import runtime
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.health import Health
from worker.records import Entry
from worker.runtime import ConsumerStage

pytestmark = pytest.mark.integration


class Nothing:
    def handle(self, items: list[tuple[Message, Entry]]) -> list[Outgoing]:
        return []


def test_a_stage_whose_join_is_held_warns_and_recreates_its_consumer(
        kafka: Kafka, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member that owns the partitions and stops polling holds every new member's join
    (until its max.poll.interval.ms); the stage must notice, say so, and try again with a new consumer."""
    monkeypatch.setattr(runtime, "JOIN_TIMEOUT", 3.0)
    group = kafka.settings.group_prefix + "held"
    holder = kafka.consumer(group, ["entries"])
    assert wait_until(lambda: not holder.poll(0.2) and bool(holder.assigned), timeout=90)
    health = Health()
    stage = ConsumerStage("extract", kafka, Nothing(), Entry, "entries", group=group, health=health)
    stop = threading.Event()
    thread = threading.Thread(target=stage.run, args=(stop,), daemon=True)
    thread.start()
    try:
        assert wait_until(lambda: any("recreating the consumer" in r.getMessage() for r in caplog.records),
                          timeout=90)
        assert "extract.partitions" in health.ready()
        warning = next(r.getMessage() for r in caplog.records if "recreating the consumer" in r.getMessage())
        assert group in warning and "coordinator" in warning and "last_error" in warning
        holder.close()  # the holder leaves: the stage's consumer gets the partitions
        assert wait_until(lambda: "extract.partitions" not in health.ready(), timeout=120), health.ready()
    finally:
        stop.set()
        thread.join(timeout=60)
