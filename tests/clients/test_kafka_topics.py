"""The topics' retention against the real broker: set on creation, reported (never changed) when it
differs from the config."""

from __future__ import annotations

import logging

import pytest

from worker.clients.kafka import Kafka
from worker.clients.kafka_topics import RetentionDrift
from worker.config.models import DAY, KafkaSettings, Retention


def test_created_topics_have_the_configured_retention(kafka: Kafka) -> None:
    assert kafka.ensure_topics() == []  # the fixture created them: nothing differs


def test_a_retention_that_differs_is_reported_at_start_and_left_as_it_is(
        kafka: Kafka, kafka_settings: KafkaSettings, caplog: pytest.LogCaptureFixture) -> None:
    shorter = Kafka(kafka_settings.model_copy(update={"retention": Retention(articles=7 * DAY)}))
    caplog.set_level(logging.WARNING)
    drift = RetentionDrift(kafka.topic("articles"), configured_ms=7 * 86_400_000, actual_ms=30 * 86_400_000)

    assert shorter.ensure_topics() == [drift]
    reports = [r.getMessage() for r in caplog.records if "retention differs" in r.getMessage()]
    assert len(reports) == 1
    assert kafka.topic("articles") in reports[0] and "30d" in reports[0] and "7d" in reports[0]
    assert "retention.ms=604800000" in reports[0]  # the command that would apply the config's value

    assert shorter.ensure_topics() == [drift]  # the topic kept its 30 days
    assert kafka.ensure_topics() == []


def test_a_drift_names_both_values_in_words() -> None:
    fields = RetentionDrift("newswatch.deadletter", 90 * 86_400_000, -1).fields()
    assert (fields["retention"], fields["config"]) == ("forever", "90d")
