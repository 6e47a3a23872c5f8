"""The group member wrapper against the real Kafka: what the stage loop relies on to never hand a batch
in hand to a second member while the first still works on it."""

from __future__ import annotations

import threading
import time

from tests.kit.waiting import wait_until
from worker.clients.kafka import IDLE_FETCH_WAIT_MS, Kafka, Message, Outgoing
from worker.runtime import KEEP_ALIVE_AFTER

WORK = 8.0  # longer than a rebalance takes here (heartbeats every 3 s), so a hand-over would show


def test_a_member_that_does_not_poll_while_it_works_keeps_its_batch_from_a_newcomer(kafka: Kafka) -> None:
    assert WORK < KEEP_ALIVE_AFTER  # the stage loop does not poll within a batch's first KEEP_ALIVE_AFTER s
    producer = kafka.producer()
    producer.send_all([Outgoing(kafka.topic("matches"), f"key-{i}", b"{}") for i in range(30)])
    producer.close()
    group = f"{kafka.settings.group_prefix}rebalance"
    first = kafka.consumer(group, ["matches"])
    batch: list[Message] = []

    def polled() -> bool:
        batch.extend(first.poll(0.5))
        return bool(batch)
    wait_until(polled, "the first member's batch", timeout=60)
    assert {m.partition for m in batch} == {0, 1, 2}  # it holds records of every partition

    second_read_at: list[float] = []

    def second_member() -> None:
        second = kafka.consumer(group, ["matches"])
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and not second.poll(0.5):
                pass
            second_read_at.append(time.monotonic())
        finally:
            second.close()

    joiner = threading.Thread(target=second_member)
    joiner.start()
    time.sleep(WORK)  # the batch is worked on: no poll, only kafka-python's heartbeats
    worked_until = time.monotonic()
    assert first.assigned  # heartbeats kept the member in its group
    while joiner.is_alive():  # the batch done, the member polls again: it rejoins, the group settles
        first.poll(0.2)
    joiner.join()
    first.close()
    assert second_read_at and second_read_at[0] >= worked_until, "the second member read the batch in hand"


def test_an_idle_member_lets_the_broker_hold_its_fetch_longer_and_a_busy_one_shorter(
        kafka: Kafka) -> None:
    """An empty poll means nothing is buffered, so the long wait costs no latency; records flowing bring
    the short wait back."""
    member = kafka.consumer(f"{kafka.settings.group_prefix}idle", ["matches"])
    try:
        wait_until(lambda: not member.poll(0.2) and bool(member.assigned), "an empty poll", timeout=60)
        assert member.fetch_wait_ms == IDLE_FETCH_WAIT_MS
        producer = kafka.producer()
        producer.send_all([Outgoing(kafka.topic("matches"), "key", b"{}")])
        producer.close()
        got: list[Message] = []

        def polled() -> bool:
            got.extend(member.poll(0.2))
            return bool(got)
        wait_until(polled, "the record", timeout=60)
        assert member.fetch_wait_ms == 200
    finally:
        member.close()
