"""The real services answer: a record goes through Kafka and a key through Redis."""

from __future__ import annotations

import time

from worker.clients.kafka import Kafka, Message, Outgoing
from worker.clients.redis import Redis


def test_produce_and_consume_through_kafka(kafka: Kafka) -> None:
    producer = kafka.producer()
    producer.send_all([Outgoing(kafka.topic("entries"), f"k{i}", f"v{i}".encode()) for i in range(5)])
    producer.close()
    consumer = kafka.consumer("test-roundtrip", ["entries"])
    got: list[bytes] = []
    deadline = time.monotonic() + 30
    while len(got) < 5 and time.monotonic() < deadline:
        batch = consumer.poll(0.5)
        got += [m.value for m in batch if m.value is not None]
        assert consumer.commit(batch)
    consumer.close()
    assert sorted(got) == [f"v{i}".encode() for i in range(5)]


def test_commit_means_not_read_again(kafka: Kafka) -> None:
    producer = kafka.producer()
    producer.send_all([Outgoing(kafka.topic("articles"), "same-key", f"v{i}".encode()) for i in range(3)])
    producer.close()
    first = kafka.consumer("test-commit", ["articles"])
    batch: list[Message] = []
    deadline = time.monotonic() + 30
    while len(batch) < 3 and time.monotonic() < deadline:
        batch += first.poll(0.5)
    assert first.commit(batch[:2])
    first.close()
    second = kafka.consumer("test-commit", ["articles"])
    again: list[Message] = []
    deadline = time.monotonic() + 30
    while not again and time.monotonic() < deadline:
        again = second.poll(0.5)
    second.close()
    assert [m.value for m in again] == [b"v2"]


def test_redis_round_trip(redis_store: Redis) -> None:
    key = redis_store.keys.claim("probe")
    assert redis_store.set(key, "ok", ex=60)
    assert redis_store.get(key) == "ok"
    assert key.startswith(redis_store.settings.key_prefix)
