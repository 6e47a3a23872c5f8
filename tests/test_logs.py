"""Log output an operator reads: durations, colours, library lines that only look like failures, and
NEWSWATCH_LOG_LEVELS (one library's debug lines without the whole process at DEBUG)."""

from __future__ import annotations

import logging

import pytest

from worker import logs
from worker.clients.kafka_logs import KafkaLines
from worker.logs import library_levels


@pytest.mark.parametrize(("seconds", "shown"), [(0.05, "0.05s"), (3, "3s"), (45, "45s"), (185, "3m 5s"),
                                                (3704.7, "1h 1m"), (90000, "1d 1h"), (3600, "1h")])
def test_human_duration(seconds: float, shown: str) -> None:
    assert logs.human_duration(seconds) == shown


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert logs.colour_wanted()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not logs.colour_wanted()


def record(name: str, level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_kafka_self_healing_lines_are_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = KafkaLines()
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.INFO)
    assert not quiet.filter(record("kafka.coordinator", logging.ERROR,
                                   "Group Coordinator lookup for group g failed: NotCoordinatorError"))
    assert not quiet.filter(record("kafka.net.selector", logging.WARNING,
                                   "Task x ran for 0.2s. It is blocking the event loop -- likely ..."))
    assert quiet.filter(record("kafka.conn", logging.ERROR, "Connect attempt returned error 111"))
    monkeypatch.setattr(root, "level", logging.DEBUG)
    line = record("kafka.coordinator", logging.ERROR, "NotCoordinatorError")
    assert quiet.filter(line) and line.levelno == logging.DEBUG


def test_levels_by_logger() -> None:
    assert library_levels("kafka.coordinator=DEBUG, kafka.consumer=info") == {
        "kafka.coordinator": "DEBUG", "kafka.consumer": "INFO"}
    assert library_levels("") == {}


@pytest.mark.parametrize("spec", ["kafka.coordinator", "=DEBUG", "kafka=LOUD"])
def test_a_malformed_part_is_named(spec: str) -> None:
    with pytest.raises(ValueError, match="NEWSWATCH_LOG_LEVELS"):
        library_levels(spec)
