"""The one loop every consumer stage runs: poll a batch, process, produce, wait for acks, commit.

The order is what makes delivery at-least-once with nothing lost: an offset
is committed only after every record the batch caused is acknowledged by
Kafka (and, in the deliver stage, after the alert is sent and recorded in
Redis). A crash anywhere before the commit re-reads the batch; the stages
make re-reading harmless with stable ids.

A stage core does the work and never touches the consumer: while it runs on
a worker thread, this loop keeps polling with the partitions paused, so a
slow batch (CPU-bound extraction, Slack's one-message-a-second pace) does not
exceed `max.poll.interval.ms` and cost the group its members.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Generic, Protocol, TypeVar

from worker import metrics
from worker.clients import outage
from worker.clients.kafka import Consumer, Kafka, Message, Outgoing, Producer
from worker.errors import RecordError, ServiceUnavailable
from worker.health import Health
from worker.logs import get_logger
from worker.records import Record, Rejected, parse_record

log = get_logger(__name__)
In = TypeVar("In", bound=Record)
LAG_EVERY = 15.0
MAX_BACKOFF = 5.0  # a batch that failed for an outage is tried again soon after the service is back
JOIN_TIMEOUT = 30.0  # a member still not in its group after this long is replaced


class StageCore(Protocol[In]):
    """The contract of every consumer stage: records in, records out."""

    def handle(self, items: list[tuple[Message, In]]) -> list[Outgoing]: ...


class ConsumerStage(Generic[In]):
    def __init__(self, name: str, kafka: Kafka, core: StageCore[In], record: type[In],
                 source: str, group: str | None = None, health: Health | None = None) -> None:
        self.name = name
        self.kafka = kafka
        self.core = core
        self.record = record
        self.source = source
        self.group = group or f"{kafka.settings.group_prefix}{name}"
        self.health = health or Health()
        self.health.expect_consumer(name)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{name}-core")

    def run(self, stop: threading.Event) -> None:
        consumer = self._consumer()
        producer = self.kafka.producer()
        log.info("stage started", stage=self.name, group=self.group, topic=consumer.topics)
        failures = 0
        next_lag = 0.0
        lag_series: set[tuple[str, str, str]] = set()
        try:
            while not stop.is_set():
                self.health.beat(self.name)
                consumer = self._unstuck(consumer)
                messages = consumer.poll(self.kafka.settings.poll_timeout)
                if time.monotonic() >= next_lag or not lag_series:  # soon after partitions arrive
                    _report_lag(self.group, consumer, lag_series)
                    next_lag = time.monotonic() + LAG_EVERY
                if not messages:
                    continue
                if self._process(messages, consumer, producer):
                    failures = 0
                    consumer.commit(messages)
                else:
                    failures += 1
                    consumer.rewind(messages)
                    stop.wait(min(MAX_BACKOFF, 0.5 * 2 ** min(failures, 8)))
        finally:
            for labels in lag_series:
                metrics.LAG.remove(*labels)
            self.health.forget_consumer(self.name)
            consumer.close()
            producer.close()
            self._executor.shutdown(wait=True)
            log.info("stage stopped", stage=self.name)

    def _consumer(self) -> Consumer:
        consumer = self.kafka.consumer(self.group, [self.source])
        self.health.watch_consumer(self.name, consumer)
        return consumer

    def _unstuck(self, consumer: Consumer) -> Consumer:
        """`consumer`, or a new one in its place when it has failed to join its group for too long.

        A member that joined and got no partitions (more replicas than
        partitions) is fine and kept; one that is still not a stable member
        after JOIN_TIMEOUT is stuck (a lost coordinator, a join that never
        completed) and only a new consumer gets the stage going again.
        """
        metrics.STAGE_PARTITIONS.labels(self.name).set(len(consumer.assigned))
        waited = consumer.unassigned_for()
        if waited is None or waited < JOIN_TIMEOUT or self.kafka.outage.down:  # no join in an outage
            return consumer
        membership = consumer.membership()
        if membership["state"] == "stable":
            return consumer
        log.warning("stage has no partitions: its consumer has not joined its group; recreating the consumer",
                    stage=self.name, group=self.group, topic=consumer.topics, waited=round(waited),
                    **membership)
        try:
            replacement = self._consumer()
        except ServiceUnavailable as exc:
            outage.report(exc, f"{self.name} stage, recreating its consumer")
            self.health.watch_consumer(self.name, consumer)
            return consumer
        consumer.close()
        return replacement

    def _process(self, messages: list[Message], consumer: Consumer, producer: Producer) -> bool:
        items, rejected = self._decode(messages)
        try:
            out = self._while_alive(consumer, lambda: self.core.handle(items)) if items else []
            producer.send_all([*rejected, *out])
        except Exception as exc:  # noqa: BLE001 - any failure re-reads the batch, loses nothing
            metrics.BATCH_ERRORS.labels(self.name).inc()
            if not outage.report(exc, f"{self.name} stage, group {self.group}"):
                log.error("batch failed; it will be read again", stage=self.name, error=str(exc),
                          error_type=type(exc).__name__, records=len(messages),
                          exc_info=not isinstance(exc, ConnectionError | TimeoutError))
            return False
        return True

    def _decode(self, messages: list[Message]) -> tuple[list[tuple[Message, In]], list[Outgoing]]:
        items: list[tuple[Message, In]] = []
        rejected: list[Outgoing] = []
        for message in messages:
            try:
                items.append((message, parse_record(self.record, message.value)))
            except RecordError as exc:
                rejected.append(reject(self.kafka, self.name, message, str(exc)))
        return items, rejected

    def _while_alive(self, consumer: Consumer, work: Callable[[], list[Outgoing]]) -> list[Outgoing]:
        """The result of `work`, polling the paused consumer every second while it runs."""
        future: Future[list[Outgoing]] = self._executor.submit(work)
        try:
            while True:
                try:
                    return future.result(timeout=1.0)
                except FutureTimeout:
                    consumer.keep_alive()
                    self.health.beat(self.name)
        finally:
            consumer.resume()


def reject(kafka: Kafka, stage: str, message: Message, error: str) -> Outgoing:
    """Keep an unreadable message, with why, on the rejected topic instead of dropping it."""
    metrics.REJECTED.labels(stage).inc()
    log.warning("record rejected", stage=stage, topic=message.topic, partition=message.partition,
                offset=message.offset, error=error)
    value = (message.value or b"")[:65536].decode("utf-8", "replace")
    record = Rejected(stage=stage, topic=message.topic, partition=message.partition,
                      offset=message.offset, key=message.key, value=value, error=error)
    return Outgoing(kafka.topic("rejected"), message.key or f"{message.topic}:{message.offset}",
                    record.to_json())


def _report_lag(group: str, consumer: Consumer, reported: set[tuple[str, str, str]]) -> None:
    """Set the lag of the partitions we own; drop the series of those a rebalance took away."""
    try:
        lags = consumer.lag()
    except Exception as exc:  # noqa: BLE001 - lag is a metric; never stop the loop for it
        log.debug("lag not available", group=group, error=str(exc))
        return
    current = {(group, tp.topic, str(tp.partition)): lag for tp, lag in lags.items()}
    for labels in reported - current.keys():
        metrics.LAG.remove(*labels)
    for labels, lag in current.items():
        metrics.LAG.labels(*labels).set(lag)
    reported.clear()
    reported.update(current)
