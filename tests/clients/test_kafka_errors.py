"""Kafka's failures in our own classes: a record too large is rejected (never retried), the rest retried."""

from __future__ import annotations

import os
import time

import pytest

from worker.clients.kafka import Kafka, Outgoing
from worker.clients.kafka_errors import (
    KafkaFailed,
    KafkaNotAuthorised,
    KafkaUnreachable,
    RecordTooLarge,
    UnknownTopic,
    translate,
)
from worker.config.models import KafkaSettings
from worker.errors import RecordError, ServiceUnavailable


def _read(kafka: Kafka, topic: str, count: int) -> list[bytes]:
    consumer = kafka.consumer(kafka.settings.group_prefix + "read", [topic])
    got: list[bytes] = []
    deadline = time.monotonic() + 60
    try:
        while len(got) < count and time.monotonic() < deadline:
            got += [m.value or b"" for m in consumer.poll(0.5)]
    finally:
        consumer.close()
    return got


def test_a_record_over_the_brokers_limit_is_a_record_error_and_the_others_are_sent(kafka: Kafka) -> None:
    topic = kafka.topic("entries")
    huge = os.urandom(2 * 1024 * 1024)  # random, so gzip cannot bring it under the broker's 1 MiB
    producer = kafka.producer()
    try:
        with pytest.raises(RecordTooLarge) as refused:
            producer.send_all([Outgoing(topic, "small-1", b"one"), Outgoing(topic, "huge", huge),
                               Outgoing(topic, "small-2", b"two")])
    finally:
        producer.close()
    error = refused.value
    assert isinstance(error, RecordError) and not isinstance(error, ServiceUnavailable)
    assert [r.key for r in error.records] == ["huge"]
    text = str(error)
    assert "'huge'" in text and topic in text and f"{len(huge) + 4} bytes" in text
    assert "max.message.bytes" in text and "can never be sent" in text
    assert sorted(_read(kafka, "entries", 2)) == [b"one", b"two"]


def test_a_record_over_the_producers_limit_is_refused_before_it_is_sent(kafka: Kafka) -> None:
    topic = kafka.topic("articles")
    producer = kafka.producer()
    try:
        with pytest.raises(RecordTooLarge, match=r"max_request_size \(8388608 bytes\)"):
            producer.send_all([Outgoing(topic, "huge", b"x" * (9 * 1024 * 1024))])
        producer.send_all([Outgoing(topic, "after", b"fine")])  # the producer is still usable
    finally:
        producer.close()
    assert _read(kafka, "articles", 1) == [b"fine"]


def test_failures_of_the_service_are_retried_and_say_what_to_do() -> None:
    from kafka import errors

    sasl = KafkaSettings(security_protocol="SASL_SSL", sasl_mechanism="SCRAM-SHA-512", sasl_username="nw",
                         sasl_password="p")  # noqa: S106 - a test's
    denied = translate(sasl, errors.TopicAuthorizationFailedError(), "newswatch.entries")
    assert isinstance(denied, KafkaNotAuthorised) and isinstance(denied, ServiceUnavailable)
    assert "principal 'nw' (SCRAM-SHA-512)" in str(denied) and "newswatch.entries" in str(denied)
    assert "ACLs" in str(denied) and "sasl_password" in str(denied)
    assert "anonymous principal" in str(translate(KafkaSettings(), errors.SaslAuthenticationFailedError()))
    unknown = translate(KafkaSettings(), errors.UnknownTopicOrPartitionError(), "newswatch.x")
    assert isinstance(unknown, UnknownTopic) and "newswatch.x" in str(unknown)
    down = translate(KafkaSettings(), errors.KafkaConnectionError("refused"))
    assert isinstance(down, KafkaUnreachable) and "does not answer" in str(down) and "make up" in str(down)
    assert isinstance(translate(KafkaSettings(), errors.UnsupportedVersionError()), KafkaFailed)
