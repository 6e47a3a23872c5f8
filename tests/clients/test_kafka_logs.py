"""kafka-python log lines: a broker out of reach is known by the exception a line carries, or its words."""

from __future__ import annotations

import logging

from kafka import errors as kafka_errors

from worker.clients.kafka_logs import KafkaLines, unreachable


def line(message: str, *args: object, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("kafka.net.manager", level, __file__, 1, message, args or None, None)


def test_a_line_carrying_a_connection_error_is_an_outage_whatever_its_words() -> None:
    record = line("Bootstrap attempt failed: %s", kafka_errors.KafkaConnectionError("refused"))
    assert unreachable(record, record.getMessage())
    refused = line("%s: Connection lost: %s", "conn", ConnectionRefusedError(111, "Connection refused"))
    assert unreachable(refused, refused.getMessage())


def test_a_line_without_an_exception_is_known_by_its_words() -> None:
    record = line("No node available for metadata refresh - backoff/retry", level=logging.WARNING)
    assert unreachable(record, record.getMessage())
    other = line("Topic %s is not authorized for this client", "unit.entries")
    assert not unreachable(other, other.getMessage())


def test_an_outage_line_is_dropped_and_a_real_warning_kept() -> None:
    lines = KafkaLines()
    assert not lines.filter(line("Connection failed: %s", kafka_errors.NodeNotReadyError("node 1")))
    assert lines.filter(line("Topic %s is not authorized for this client", "unit.entries"))
