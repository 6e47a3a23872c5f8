"""The supervisor: what was opened is closed in reverse on any failure; a stage that hangs is named."""

from __future__ import annotations

import contextlib
import threading

import pytest
from structlog.testing import capture_logs

from worker.errors import NewswatchError
from worker.stages import Stage, Supervisor, supervise


class Probe(Stage):
    """A stage that records its lifecycle in `events`, and fails or hangs where it is told to."""

    def __init__(self, name: str, events: list[str], fail: str = "",
                 hang: threading.Event | None = None) -> None:
        self.name = name
        self.events = events
        self.fail = fail
        self.hang = hang

    def start(self, stop: threading.Event) -> None:
        self.events.append(f"start {self.name}")
        if self.fail == "start":
            raise RuntimeError(f"{self.name} cannot start")

    def step(self, stop: threading.Event) -> None:
        if self.hang is not None:
            self.hang.wait()
        if self.fail == "step":
            raise RuntimeError(f"{self.name} broke")
        stop.wait(0.01)

    def close(self) -> None:
        self.events.append(f"close {self.name}")


def test_a_start_that_fails_half_way_closes_what_was_opened_in_reverse() -> None:
    events: list[str] = []
    stages = [Probe("a", events), Probe("b", events), Probe("c", events, fail="start"), Probe("d", events)]
    with pytest.raises(RuntimeError, match="c cannot start"):
        supervise(stages, threading.Event())
    assert events == ["start a", "start b", "start c", "close c", "close b", "close a"]


def test_a_failing_stage_stops_the_others_and_is_named() -> None:
    events: list[str] = []
    stop = threading.Event()
    with pytest.raises(NewswatchError, match="b: b broke"):
        supervise([Probe("a", events), Probe("b", events, fail="step")], stop)
    assert stop.is_set()
    assert events[-2:] == ["close b", "close a"]


def test_a_stage_that_does_not_stop_in_time_is_named_and_left_open() -> None:
    events: list[str] = []
    stop, release = threading.Event(), threading.Event()
    supervisor = Supervisor(stop)
    try:
        with capture_logs() as logs, contextlib.ExitStack() as opened:
            for stage in (Probe("quick", events), Probe("stuck", events, hang=release)):
                supervisor.open(opened, stage)
            supervisor.launch(opened, within=0.5)
    finally:
        release.set()
    assert "close stuck" not in events and "close quick" in events
    assert any(e.get("stages") == ["stuck"] for e in logs), logs
    with pytest.raises(NewswatchError, match="did not stop within .*stuck"):
        supervisor.check()
