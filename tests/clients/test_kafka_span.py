"""The span reader (worker/clients/kafka_span.py) against the real Kafka: exact spans, groups untouched,
retention's deletions reported, reading ahead."""

from __future__ import annotations

import threading
import time
from collections.abc import Generator

import pytest

from tests.kit.topics import commit_first, delete_before
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.clients.kafka_errors import UnknownTopic
from worker.clients.kafka_span import PartitionSpan, SpanStalled, ahead, plan_span, read_span

pytestmark = pytest.mark.integration
# An hour ago, to the minute: each record i is stamped BASE + i seconds. Recent on purpose: the broker's
# time retention (7 days by default) may delete older records at any moment of a test.
BASE = (int(time.time()) // 60 - 60) * 60_000


def _store(kafka: Kafka, numbers: range) -> None:
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(kafka.topic("articles"), f"k{i}", str(i).encode(), BASE + i * 1000)
                           for i in numbers])
    finally:
        producer.close()


def _read(kafka: Kafka, spans: list[PartitionSpan]) -> list[Message]:
    return [m for batch in read_span(kafka, spans, batch=7) for m in batch]


def _values(messages: list[Message]) -> set[int]:
    return {int(m.value or b"") for m in messages}


def test_reads_the_records_stamped_in_the_span_and_nothing_else(kafka: Kafka) -> None:
    _store(kafka, range(40))
    spans = plan_span(kafka, "articles", BASE + 10_000, BASE + 25_000)
    assert len(spans) == kafka.settings.partitions
    assert not any(s.deleted for s in spans)
    read = _read(kafka, spans)
    assert _values(read) == set(range(10, 25))
    assert len(read) == 15
    for span in spans:
        offsets = [m.offset for m in read if m.partition == span.partition.partition]
        assert offsets == sorted(offsets)


def test_stops_at_the_partition_end_as_it_was_when_planned(kafka: Kafka) -> None:
    _store(kafka, range(10))
    spans = plan_span(kafka, "articles", BASE, BASE + 3_600_000)
    _store(kafka, range(10, 20))  # stamped inside the span, but produced after the plan
    assert _values(_read(kafka, spans)) == set(range(10))


def test_a_read_commits_nothing_for_any_group(kafka: Kafka) -> None:
    _store(kafka, range(12))
    group = kafka.settings.group_prefix + "match"
    commit_first(kafka, group, "articles", 5)
    before = kafka.progress(group, ["articles"])
    assert _values(_read(kafka, plan_span(kafka, "articles", BASE, BASE + 60_000))) == set(range(12))
    assert kafka.progress(group, ["articles"]) == before


def test_reports_a_span_whose_start_retention_deleted(kafka: Kafka) -> None:
    _store(kafka, range(30))
    whole = plan_span(kafka, "articles", BASE, BASE + 60_000)
    victim = max(whole, key=lambda s: s.records)
    held = _read(kafka, [victim])
    delete_before(kafka, "articles", victim.partition.partition, 2)

    spans = {s.partition: s for s in plan_span(kafka, "articles", BASE, BASE + 60_000)}
    cut = spans[victim.partition]
    assert cut.deleted and cut.earliest == 2
    assert cut.first_retained_ms == held[2].timestamp_ms
    assert not any(s.deleted for p, s in spans.items() if p != victim.partition)
    assert _values(_read(kafka, list(spans.values()))) == set(range(30)) - _values(held[:2])

    later = plan_span(kafka, "articles", held[2].timestamp_ms, BASE + 60_000)
    assert not any(s.deleted for s in later), "a span that starts at the first retained record is whole"


def test_an_unknown_topic_is_named(kafka: Kafka) -> None:
    with pytest.raises(UnknownTopic, match="nosuch"):
        plan_span(kafka, "nosuch", BASE, BASE + 1000)


def test_reading_ahead_gives_the_same_batches_and_stops_its_reader_when_left(kafka: Kafka) -> None:
    _store(kafka, range(30))
    spans = plan_span(kafka, "articles", BASE, BASE + 30_000)
    assert [m.value for b in ahead(read_span(kafka, spans, batch=4)) for m in b] == \
        [m.value for b in read_span(kafka, spans, batch=4) for m in b]
    batches = ahead(read_span(kafka, spans, batch=4))
    next(batches)
    assert _readers() == 1
    batches.close()
    assert _readers() == 0, "the reader ends (and closes its consumer)"


def _readers() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "span-prefetch")


def test_an_error_of_the_reader_is_raised_to_the_caller() -> None:
    def failing() -> Generator[list[Message], None, None]:
        yield [Message("t", 0, 0, None, b"1", 0)]
        raise SpanStalled("no progress")

    batches = ahead(failing())
    assert len(next(batches)) == 1
    with pytest.raises(SpanStalled, match="no progress"):
        next(batches)
