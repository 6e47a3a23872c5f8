"""The one loop every consumer stage runs: poll a batch, process, produce, wait for acks, commit.

The order is what makes delivery at-least-once with nothing lost: an offset
is committed only after every record the batch caused is acknowledged by
Kafka (and, in the deliver stage, after the alert is sent and recorded in
Redis). A crash anywhere before the commit re-reads the batch; the stages
make re-reading harmless with stable ids.

A failure is either a service's or a record's. A service that does not
answer (Kafka, Redis, a receiver: `ServiceUnavailable`, or what a client
recognises as its outage) fails the batch, which is read again after a
backoff, as often as it takes. Anything else raised while one record is
handled or its outputs produced is that record's own fault, and no retry
will cure it: the loop handles the batch again one record at a time, puts
each record that fails alone on the rejected topic with the error, once,
and commits, so the partition goes on past it. A record that cannot be
decoded is rejected the same way without being handled; a core that finds
one of its records unusable returns a `Rejection` for it.

A stage core does the work and never touches the consumer: while it runs on
a worker thread, this loop keeps polling with the partitions paused, so a
slow batch (CPU-bound extraction, Slack's one-message-a-second pace) does not
exceed `max.poll.interval.ms` and cost the group its members. Those polls
start only once a batch has run for `KEEP_ALIVE_AFTER`: a member rejoins a
rebalancing group inside a poll, and gives up its partitions there, so a batch
shorter than that is never handed to another member while it is worked on (the
other would read it uncommitted and POST the same alerts at the same time).
Heartbeats go from kafka-python's IO thread meanwhile.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from worker import metrics
from worker.clients import outage
from worker.clients.kafka import Consumer, GroupState, Kafka, Message, Outgoing, Producer
from worker.errors import RecordError, ServiceUnavailable
from worker.health import Health
from worker.logs import get_logger
from worker.records import Record, Rejected, parse_record
from worker.stages import Stage

if TYPE_CHECKING:
    from worker.config.models import Config

log = get_logger(__name__)
In = TypeVar("In", bound=Record)
LAG_EVERY = 15.0
MAX_BACKOFF = 5.0  # a batch that failed for an outage is tried again soon after the service is back
JOIN_TIMEOUT = 30.0  # a member still not in its group after this long is replaced
KEEP_ALIVE_AFTER = 100.0  # a third of max.poll.interval.ms (worker/clients/kafka.py): see the module


@dataclass(frozen=True)
class Rejection:
    """A record its core found unusable for its own sake; the loop keeps it on the rejected topic."""

    message: Message
    error: str


Output = Outgoing | Rejection


class StageCore(Protocol[In]):
    """The contract of every consumer stage: records in, records out (see the module docstring)."""

    def handle(self, items: list[tuple[Message, In]]) -> Sequence[Output]: ...

    def start(self) -> None:
        """Open the core's threads, processes and clients; called once, when its stage starts."""
        return None

    def update(self, config: Config) -> None:
        """Follow a reloaded config; a core with nothing to follow inherits this."""
        return None

    def close(self) -> None:
        """Release the core's threads, processes and clients; called once, when its stage closes."""
        return None


class ConsumerStage(Stage, Generic[In]):
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
        self._executor: ThreadPoolExecutor | None = None
        self._consumer: Consumer | None = None
        self._producer: Producer | None = None
        self._failures = 0
        self._next_lag = 0.0
        self._lag_series: set[tuple[str, str, str]] = set()

    def start(self, stop: threading.Event) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"{self.name}-core")
        self.core.start()
        self._consumer = self._new_consumer()
        self._producer = self.kafka.producer()
        log.info("stage started", stage=self.name, group=self.group, topic=self._consumer.topics)

    def step(self, stop: threading.Event) -> None:
        """Poll once; resolve and commit what came, or rewind it and back off when a service failed."""
        if self._consumer is None or self._producer is None:
            raise RuntimeError(f"{self.name} stage: step() before start()")
        self.health.beat(self.name)
        consumer = self._consumer = self._unstuck(self._consumer)
        messages = consumer.poll(self.kafka.settings.poll_timeout)
        if time.monotonic() >= self._next_lag or not self._lag_series:  # soon after partitions arrive
            _report_lag(self.group, consumer, self._lag_series)
            self._next_lag = time.monotonic() + LAG_EVERY
        if not messages:
            return
        if self._process(messages, consumer, self._producer):
            self._failures = 0
            consumer.commit(messages)
        else:
            self._failures += 1
            consumer.rewind(messages)
            stop.wait(min(MAX_BACKOFF, 0.5 * 2 ** min(self._failures, 8)))

    def update(self, config: Config) -> None:
        self.core.update(config)

    def close(self) -> None:
        for labels in self._lag_series:
            metrics.LAG.remove(*labels)
        self.health.forget_consumer(self.name)
        if self._consumer is not None:
            self._consumer.close()
        if self._producer is not None:
            self._producer.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        self.core.close()
        log.info("stage stopped", stage=self.name)

    def _new_consumer(self) -> Consumer:
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
        if membership.state is GroupState.STABLE:
            return consumer
        log.warning("stage has no partitions: its consumer has not joined its group; recreating the consumer",
                    stage=self.name, group=self.group, topic=consumer.topics, waited=round(waited),
                    **membership.fields())
        try:
            replacement = self._new_consumer()
        except ServiceUnavailable as exc:
            outage.report(exc, f"{self.name} stage, recreating its consumer")
            self.health.watch_consumer(self.name, consumer)
            return consumer
        consumer.close()
        return replacement

    def _process(self, messages: list[Message], consumer: Consumer, producer: Producer) -> bool:
        """Resolve the batch: True once each record has its outputs or is rejected; False to read it again."""
        items, rejected = self._decode(messages)
        try:
            work = functools.partial(self.core.handle, items)
            out = self._while_alive(consumer, work) if items else []
            producer.send_all([*rejected, *outgoing(self.kafka, self.name, out)])
            return True
        except Exception as exc:  # noqa: BLE001 - a service's failure re-reads the batch; a record's is found
            metrics.BATCH_ERRORS.labels(self.name).inc()
            if self._service_failed(exc, len(messages)):
                return False
            log.warning("a record of the batch failed; handling the batch one record at a time to find it",
                        stage=self.name, error=str(exc), error_type=type(exc).__name__, records=len(messages))
        try:
            return self._one_by_one(items, rejected, consumer, producer)
        except Exception as exc:  # noqa: BLE001 - the rejects could not be produced: read the batch again
            self._service_failed(exc, len(messages))
            return False

    def _one_by_one(self, items: list[tuple[Message, In]], rejected: list[Outgoing], consumer: Consumer,
                    producer: Producer) -> bool:
        """Each record handled and produced alone, one that fails for its own sake rejected; False (and
        the batch is read again) when a service fails meanwhile."""
        for item in items:
            message = item[0]
            try:
                out = self._while_alive(consumer, functools.partial(self.core.handle, [item]))
                producer.send_all(outgoing(self.kafka, self.name, out))
            except Exception as exc:  # noqa: BLE001 - a service's failure re-reads the batch; a record's is its own
                if self._service_failed(exc, len(items)):
                    return False
                why = f"{type(exc).__name__}: {exc}"
                log.error("record failed on its own; rejecting it", stage=self.name, topic=message.topic,
                          partition=message.partition, offset=message.offset, key=message.key, error=why,
                          exc_info=True)
                rejected.append(reject(self.kafka, self.name, message, why))
        producer.send_all(rejected)
        return True

    def _service_failed(self, exc: Exception, records: int) -> bool:
        """Whether `exc` is a service's failure, which a retry can cure (reported once per outage, or
        logged as the batch's failure); a RecordError, or any other error, is a record's own."""
        if isinstance(exc, RecordError):
            return False
        if outage.report(exc, f"{self.name} stage, group {self.group}"):
            return True
        if isinstance(exc, ServiceUnavailable | ConnectionError | TimeoutError):
            log.error("batch failed; it will be read again", stage=self.name, error=str(exc),
                      error_type=type(exc).__name__, records=records)
            return True
        return False

    def _decode(self, messages: list[Message]) -> tuple[list[tuple[Message, In]], list[Outgoing]]:
        items: list[tuple[Message, In]] = []
        rejected: list[Outgoing] = []
        for message in messages:
            try:
                items.append((message, parse_record(self.record, message.value)))
            except RecordError as exc:
                rejected.append(reject(self.kafka, self.name, message, str(exc)))
        return items, rejected

    def _while_alive(self, consumer: Consumer, work: Callable[[], Sequence[Output]]) -> Sequence[Output]:
        """The result of `work`, polling the paused consumer every second while it runs."""
        if self._executor is None:
            raise RuntimeError(f"{self.name} stage: step() before start()")
        future: Future[Sequence[Output]] = self._executor.submit(work)
        polls_from = time.monotonic() + KEEP_ALIVE_AFTER
        try:
            while True:
                try:
                    return future.result(timeout=1.0)
                except FutureTimeout:
                    if time.monotonic() >= polls_from:
                        consumer.keep_alive()
                    self.health.beat(self.name)
        finally:
            consumer.resume()


def outgoing(kafka: Kafka, stage: str, out: Sequence[Output]) -> list[Outgoing]:
    """What a core returned, ready to produce: its rejections as records of the rejected topic."""
    return [o if isinstance(o, Outgoing) else reject(kafka, stage, o.message, o.error) for o in out]


def reject(kafka: Kafka, stage: str, message: Message, error: str) -> Outgoing:
    """Keep an unusable message, with why, on the rejected topic instead of dropping it."""
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
