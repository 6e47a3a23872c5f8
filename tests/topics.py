"""Reading what a topic holds, from the start, for tests that check what the stages produced."""

from __future__ import annotations

import uuid

from worker.clients.kafka import Kafka
from worker.records import R, parse_record


def read_topic(kafka: Kafka, topic: str, record: type[R], quiet: float = 2.0) -> list[R]:
    """Every record on `topic`, read by a fresh group until `quiet` seconds pass with nothing.

    The quiet time counts only once the group has given the reader its partitions: on a loaded
    machine joining takes longer than `quiet`, and the polls before it return nothing, which
    would read as an empty topic.
    """
    consumer = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", [topic])
    found: list[R] = []
    idle = 0.0
    try:
        while idle < quiet:
            batch = consumer.poll(0.5)
            idle = 0.0 if batch or not consumer.assigned else idle + 0.5
            found += [parse_record(record, m.value) for m in batch]
    finally:
        consumer.close()
    return found
