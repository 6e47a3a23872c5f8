"""An outage is one warning when the service stops answering and one info line when it answers again."""

from __future__ import annotations

import threading

import pytest
import redis

from tests.kit.waiting import wait_until
from worker.clients import outage
from worker.clients.redis import Redis


class Flaky:
    """A probe that fails until told the service is back."""

    def __init__(self) -> None:
        self.back = threading.Event()

    def __call__(self) -> None:
        if not self.back.is_set():
            raise ConnectionRefusedError("refused")


def test_many_failures_log_one_warning_and_the_return_one_line(caplog: pytest.LogCaptureFixture) -> None:
    probe = Flaky()
    tracker = outage.Outage("Redis", "redis://127.0.0.1:1/0", probe)
    for feed in range(20):
        tracker.failed(f"fetch, polling feed f{feed}", ConnectionRefusedError("refused"))
    assert tracker.down
    probe.back.set()

    def logged() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "worker.clients.outage"]

    # the watcher clears `down` just before it logs the return: wait for the line, not the flag
    assert wait_until(lambda: not tracker.down and len(logged()) >= 2, timeout=30)
    lines = logged()
    assert len(lines) == 2, lines
    assert "Redis stopped answering" in lines[0] and "fetch, polling feed f0" in lines[0]
    assert "Redis answers again" in lines[1] and "failures" in lines[1] and "down_for" in lines[1]


def test_only_unavailability_is_an_outage(redis_store: Redis) -> None:
    """A batch that failed because Redis refused is an outage; a bug is not, and keeps its traceback."""
    try:
        raise RuntimeError("batch failed") from redis.ConnectionError("Connection refused")
    except RuntimeError as exc:
        assert outage.report(exc, "match stage")
    assert not outage.report(ValueError("a bug"), "match stage")
    assert wait_until(lambda: not redis_store.outage.down, timeout=30)  # the shared Redis answers
