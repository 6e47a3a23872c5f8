"""Kafka as tests and benches see it: records produced, and a topic read to its end, with a deadline."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from kafka import KafkaAdminClient
from kafka.structs import TopicPartition

from tests.kit.waiting import DEADLINE, wait_until
from worker.clients.kafka import Kafka, Outgoing, Partition
from worker.records import R, parse_record


def publish(kafka: Kafka, topic: str, records: Iterable[R], key: str | Callable[[R], str]) -> None:
    """`records` on `topic`, acknowledged; one `key` for all keeps them in one partition, in order."""
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(kafka.topic(topic), key if isinstance(key, str) else key(record),
                                    record.to_json()) for record in records])
    finally:
        producer.close()


def read_topic(kafka: Kafka, topic: str, record: type[R], timeout: float = DEADLINE) -> list[R]:
    """Every record on `topic` up to its end when the reader got the topic's partitions.

    A fresh group reads it, so nothing is committed for anyone; after `timeout` seconds without
    getting there, AssertionError says how far it got.
    """
    consumer = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", [topic])
    found: list[R] = []
    ends: dict[Partition, int] = {}
    try:
        def at_end() -> bool:
            found.extend(parse_record(record, m.value) for m in consumer.poll(0.5))
            if not ends and len(consumer.assigned) == kafka.settings.partitions:
                ends.update(consumer.ends())
            positions = consumer.positions() if ends else {}
            return bool(ends) and all(positions.get(p, 0) >= end for p, end in ends.items())
        wait_until(at_end, f"the end of {kafka.topic(topic)}", timeout=timeout, step=0,
                   show=lambda: f"{len(found)} records read; ends {ends or 'not known yet'}")
    finally:
        consumer.close()
    return found


def delete_before(kafka: Kafka, topic: str, partition: int, offset: int) -> None:
    """Delete `topic`'s records before `offset` in `partition`, as retention would once they expire."""
    admin = KafkaAdminClient(bootstrap_servers=kafka.servers, client_id="newswatch-test")
    try:
        admin.delete_records({TopicPartition(kafka.topic(topic), partition): offset})
    finally:
        admin.close()
