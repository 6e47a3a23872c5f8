"""The producer: records sent in batches, each batch waited for until the brokers have all of it.

Idempotent with `acks=all`, so a record counts as sent only when the brokers
have it, and a retried send is written once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from worker.clients.kafka_errors import RecordTooLarge, Refused, too_large, translate
from worker.config.models import KafkaSettings
from worker.logs import get_logger

log = get_logger(__name__)
# What a broker takes by default (message.max.bytes, and a topic's max.message.bytes after it).
BROKER_DEFAULT_LIMIT = 1048588


@dataclass(frozen=True)
class Outgoing:
    """One record to send; `timestamp_ms` None stamps it with the time of sending (replays and tests of
    stored history set it)."""

    topic: str
    key: str
    value: bytes
    timestamp_ms: int | None = None


class Producer:
    """Sends batches of records and waits for the brokers' acknowledgement of each."""

    def __init__(self, make: Callable[[], KafkaProducer], settings: KafkaSettings) -> None:
        self._make = make
        self._raw = make()
        self._settings = settings
        self._lock = threading.Lock()

    def send_all(self, records: Iterable[Outgoing], timeout: float = 60.0) -> None:
        """Send and wait until the brokers have every record.

        A record too large ever to be written raises `RecordTooLarge` once all
        the others are acknowledged; any other failure is a `ServiceUnavailable`.
        kafka-python's idempotent producer answers the brokers' refusal of one
        record by failing it, every record still pending and every later send:
        so the producer is replaced and the failed records are sent again one
        by one, which tells the record at fault from the others.
        """
        refused: list[Refused] = []
        failed = self._send(list(records), timeout, refused)
        for record in failed:
            if self._send([record], timeout, refused):
                refused.append(self._refused(record, f"what the brokers take for topic {record.topic} (its "
                                                     f"max.message.bytes; the broker's message.max.bytes, "
                                                     f"{BROKER_DEFAULT_LIMIT} bytes, by default)"))
        if refused:
            raise RecordTooLarge(refused)

    def _send(self, records: list[Outgoing], timeout: float, refused: list[Refused]) -> list[Outgoing]:
        """Send `records`; add those over the producer's own limit to `refused`; return those failed as
        too large after they left it (the producer, failed by that, is replaced)."""
        with self._lock:
            raw = self._raw
        failed: list[Outgoing] = []
        try:
            futures = self._submit(raw, records, refused, failed)
            if futures:
                raw.flush(timeout=timeout)
            for record, future in futures:
                try:
                    future.get(timeout=timeout)
                except KafkaError as exc:
                    if not too_large(exc):
                        raise translate(self._settings, exc, record.topic) from exc
                    failed.append(record)
        except KafkaError as exc:
            raise translate(self._settings, exc) from exc
        if failed:
            self._replace(raw, failed[0].topic)
        return failed

    def _submit(self, raw: KafkaProducer, records: list[Outgoing], refused: list[Refused],
                failed: list[Outgoing]) -> list[tuple[Outgoing, Any]]:
        """Hand `records` to the producer; those it refuses at once go to `refused` or `failed`."""
        limit = raw.config["max_request_size"]
        futures = []
        for record in records:
            try:
                futures.append((record, raw.send(record.topic, key=record.key.encode(), value=record.value,
                                                       timestamp_ms=record.timestamp_ms)))
            except KafkaError as exc:
                if not too_large(exc):
                    raise
                if self._size(record) > limit:
                    refused.append(self._refused(record, f"the producer's max_request_size ({limit} bytes)"))
                else:
                    failed.append(record)  # refused by a producer that an earlier refusal failed
        return futures

    def _replace(self, failed: KafkaProducer, topic: str) -> None:
        with self._lock:
            if self._raw is not failed:
                return  # another thread replaced it already
            log.warning("the brokers refused a record as too large, which fails kafka-python's producer; "
                        "starting a new one", topic=topic)
            self._raw = self._make()
        failed.close(timeout=1)

    @staticmethod
    def _size(record: Outgoing) -> int:
        return len(record.key.encode()) + len(record.value)

    def _refused(self, record: Outgoing, limit: str) -> Refused:
        return Refused(record.topic, record.key, self._size(record), limit)

    def close(self) -> None:
        with self._lock:
            raw = self._raw
        raw.close(timeout=10)
