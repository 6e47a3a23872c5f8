"""Reading what a topic stored over a span of time, without joining or moving any consumer group.

The backtest and `newswatch alerts` look at history the live stages already
consumed. They must not disturb those stages, so the reader has no group: it
looks up each partition's offsets by timestamp, assigns the partitions to
itself, reads, and never commits. Where retention already deleted the span's
beginning, the plan says so per partition, so a report can tell "nothing
happened" from "nothing is left".

Planning and reading are separate so that a caller can split the plan's
partitions among processes, each reading its own with `read_span`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from queue import Empty, Queue
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import KafkaError, UnknownTopicOrPartitionError
from kafka.structs import TopicPartition

from worker.clients.kafka import Kafka, Message, Partition
from worker.clients.kafka_errors import translate
from worker.clients.kafka_options import client_options
from worker.errors import ServiceUnavailable

__all__ = ["PartitionSpan", "SpanStalled", "ahead", "plan_span", "read_span"]
_CONSUMER = {"fetch_max_bytes": 32 * 1024 * 1024, "max_partition_fetch_bytes": 16 * 1024 * 1024,
             "fetch_max_wait_ms": 100, "request_timeout_ms": 30000}


class SpanStalled(ServiceUnavailable):
    """A span read made no progress for `stall_after` seconds (the broker went away, or stopped serving)."""


@dataclass(frozen=True)
class PartitionSpan:
    """What to read of one partition: offsets [start, stop), kept only when timestamped in [start_ms, end_ms).

    `earliest` is the first offset retention left; `deleted` is true when
    retention removed records that may belong to the span (the first record
    left is later than the span's start, or none is left at all).
    `first_retained_ms` is that first record's timestamp (None when the
    partition is empty).
    """

    partition: Partition
    start: int
    stop: int
    start_ms: int
    end_ms: int
    earliest: int
    deleted: bool
    first_retained_ms: int | None

    @property
    def records(self) -> int:
        """At most this many records are read (fewer when some fall outside the span's times)."""
        return max(0, self.stop - self.start)


def plan_span(kafka: Kafka, topic: str, start_ms: int, end_ms: int) -> list[PartitionSpan]:
    """Per partition of `topic` (a name without the prefix): the offsets holding [start_ms, end_ms).

    The stop offset is the first record at or after `end_ms`, or the
    partition's end as it is now: records produced while a read runs are not
    waited for.
    """
    name = kafka.topic(topic)
    raw = _consumer(kafka, "span-plan")
    try:
        partitions = [TopicPartition(name, number) for number in sorted(_partitions(raw, name))]
        earliest = raw.beginning_offsets(partitions)
        ends = raw.end_offsets(partitions)
        at_start = raw.offsets_for_times({tp: start_ms for tp in partitions})
        at_end = raw.offsets_for_times({tp: end_ms for tp in partitions})
        first = raw.offsets_for_times({tp: 0 for tp in partitions})
    except KafkaError as exc:
        raise translate(kafka.settings, exc, name) from exc
    finally:
        raw.close(autocommit=False)
    spans = []
    for tp in partitions:
        end = ends[tp]
        start = at_start[tp].offset if at_start.get(tp) is not None else end
        stop = min(at_end[tp].offset, end) if at_end.get(tp) is not None else end
        first_ms = first[tp].timestamp if first.get(tp) is not None else None
        gone = earliest[tp] > 0 and (first_ms is None or first_ms > start_ms)
        spans.append(PartitionSpan(Partition(name, tp.partition), start, max(start, stop), start_ms, end_ms,
                                   earliest[tp], gone, first_ms))
    return spans


def read_span(kafka: Kafka, spans: Sequence[PartitionSpan], stall_after: float = 60.0,
              batch: int = 2000) -> Generator[list[Message], None, None]:
    """The records of `spans`, in batches of up to `batch`, in offset order per partition.

    No group, no commit: the consumer is assigned the partitions and seeks to
    each span's start. A record whose timestamp is outside the span (producers
    set timestamps, so they are not always in offset order) is skipped.
    Raises SpanStalled after `stall_after` seconds without a record while some
    partition is unfinished.
    """
    todo = {TopicPartition(s.partition.topic, s.partition.partition): s for s in spans if s.records}
    if not todo:
        return
    raw = _consumer(kafka, "span-read", max_poll_records=batch)
    try:
        raw.assign(list(todo))
        for tp, span in todo.items():
            raw.seek(tp, span.start)
        yield from _drain(kafka, raw, todo, stall_after)
    except KafkaError as exc:
        raise translate(kafka.settings, exc, ",".join(sorted({tp.topic for tp in todo}))) from exc
    finally:
        raw.close(autocommit=False)


def ahead(batches: Generator[list[Message], None, None]) -> Generator[list[Message], None, None]:
    """The batches of `read_span`, the next one fetched in a thread while the caller works on this one.

    Fetching waits on the broker and decompresses in native code, both without the GIL, so a caller that
    spends its time on the records (a backtest) stops waiting for the next batch. Errors of the reading
    are raised here; leaving early stops the reader and closes its consumer."""
    queue: Queue[list[Message] | BaseException | None] = Queue(maxsize=1)
    stop = threading.Event()

    def read() -> None:
        try:
            for batch in batches:
                queue.put(batch)
                if stop.is_set():
                    return
            queue.put(None)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            queue.put(exc)
        finally:
            batches.close()

    thread = threading.Thread(target=read, name="span-prefetch", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # take what it still puts, so it sees `stop`
            with contextlib.suppress(Empty):
                queue.get(timeout=0.1)
        thread.join()


def _drain(kafka: Kafka, raw: KafkaConsumer, todo: dict[TopicPartition, PartitionSpan],
           stall_after: float) -> Iterator[list[Message]]:
    last_progress = time.monotonic()
    while todo:
        fetched = raw.poll(timeout_ms=500)
        out = [m for tp, records in fetched.items() if tp in todo for m in _in_span(records, todo[tp])]
        for tp in [tp for tp, span in todo.items() if raw.position(tp) >= span.stop]:
            raw.pause(tp)
            del todo[tp]
        if fetched:
            last_progress = time.monotonic()
        elif time.monotonic() - last_progress > stall_after:
            raise SpanStalled(
                f"reading stored records from Kafka at {kafka.settings.bootstrap} made no progress for "
                f"{stall_after:g} s with {len(todo)} partitions unfinished "
                f"({', '.join(f'{tp.topic}[{tp.partition}]' for tp in todo)}); check that the broker "
                f"answers (`make status`) and run the command again")
        if out:
            yield out


def _in_span(records: list[Any], span: PartitionSpan) -> list[Message]:
    """Those of a partition's fetched `records` before the span's stop offset and stamped inside it."""
    kept = []
    for r in records:
        if r.offset >= span.stop:
            break
        if span.start_ms <= r.timestamp < span.end_ms:
            kept.append(Message.of(r))
    return kept


def _consumer(kafka: Kafka, role: str, **extra: int) -> KafkaConsumer:
    """A consumer in no group: it can neither join one nor commit, whatever a caller does with it."""
    try:
        return KafkaConsumer(group_id=None, enable_auto_commit=False, auto_offset_reset="earliest", **extra,
                             **client_options(kafka.settings, "consumer", f"{kafka.client_id}-{role}",
                                              _CONSUMER))
    except KafkaError as exc:
        raise translate(kafka.settings, exc) from exc


def _partitions(raw: KafkaConsumer, name: str) -> set[int]:
    """The topic's partition numbers; UnknownTopicOrPartitionError (translated above) when it has none."""
    if name not in raw.topics():
        raise UnknownTopicOrPartitionError(name)
    return set(raw.partitions_for_topic(name) or ())
