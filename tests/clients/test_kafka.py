"""The group member wrapper against the real Kafka: a rebalance never hands a batch in hand to a
second member while the first still works on it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait

from tests.kit.waiting import wait_until
from worker.clients.kafka import Kafka, Message, Outgoing

WORK = 8.0  # longer than a rebalance takes here (heartbeats every 3 s), so a hand-over would show


def test_a_rebalance_waits_for_the_batch_in_hand_before_another_member_reads_it(kafka: Kafka) -> None:
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

    worked_until: list[float] = []
    second_read_at: list[float] = []

    def work() -> None:
        time.sleep(WORK)
        worked_until.append(time.monotonic())

    def second_member() -> None:
        second = kafka.consumer(group, ["matches"])
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not second.poll(0.5):
                pass
            second_read_at.append(time.monotonic())
        finally:
            second.close()

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(work)
        joiner = threading.Thread(target=second_member)
        joiner.start()
        def finish() -> None:
            futures_wait([future])
        with first.working(finish):
            while not future.done():
                first.keep_alive()  # as the stage loop polls, paused, while its core works
                time.sleep(0.2)
        first.resume()
        while joiner.is_alive():  # the first member rejoins, and the group settles
            first.poll(0.2)
        joiner.join()
    first.close()
    assert second_read_at and worked_until
    assert second_read_at[0] >= worked_until[0], "the second member read the batch while it was worked on"
