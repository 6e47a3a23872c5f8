"""The one lifecycle every stage implements, and the one supervisor that runs stages.

A stage is built from (config, clients, health) without touching the
network, opens what it owns in `start`, does units of work in `step` until
the process stops it, follows each reloaded config in `update`, and releases
what it opened in `close`. Every long-lived thread of the worker is a stage's
(a consumer loop, the feed scheduler's heartbeat, the digest flusher, the
redelivery loop, the config reload watcher), so one supervisor starts them,
watches them and joins them with a bound: one failure path (a stage that
raises stops the process) and one shutdown path (every thread joined within
`STOP_WITHIN`, and the ones that did not stop named in the log).

Stages are opened one at a time into an `ExitStack`, each registered for
closing before it starts: a build or start that fails half-way closes
exactly what was opened, in reverse. Stages import this module, never
`worker.pipeline`, which names them all.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from worker.errors import NewswatchError
from worker.logs import get_logger

if TYPE_CHECKING:
    from worker.config.models import Config

log = get_logger(__name__)
STOP_WITHIN = 120.0  # seconds every stage thread has, together, to finish its unit of work once stopped


class Stage(Protocol):
    """What the supervisor drives; a stage subclasses it to inherit `update` and `run`."""

    name: str

    def start(self, stop: threading.Event) -> None:
        """Open what the stage owns (consumers, producers, pools, processes); nothing before this."""

    def step(self, stop: threading.Event) -> None:
        """One unit of work: a batch polled and resolved, or a second of a scheduler's or a loop's life."""

    def update(self, config: Config) -> None:
        """Follow a reloaded config; called on the reload thread, between units of work."""
        return None

    def close(self) -> None:
        """Release what `start` opened; called once, also after a failed or missing `start`."""

    def run(self, stop: threading.Event) -> None:
        """This stage alone, supervised, until `stop` is set; raises if it failed."""
        supervise([self], stop)


class Supervisor:
    """The threads of a set of stages: one per stage, started together, stopped together."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.failures: list[str] = []
        self._stages: list[Stage] = []
        self._threads: dict[str, threading.Thread] = {}
        self._stuck: set[str] = set()

    def open(self, opened: contextlib.ExitStack, stage: Stage) -> Stage:
        """Start `stage`, with its `close` registered first on `opened`, so a failed start is closed too."""
        opened.callback(self._close, stage)
        stage.start(self.stop)
        self._stages.append(stage)
        return stage

    def launch(self, opened: contextlib.ExitStack, within: float = STOP_WITHIN) -> None:
        """A thread per opened stage; `opened` joins them (within `within` s) before it closes any stage."""
        opened.callback(self.join, within)
        for stage in self._stages:
            thread = threading.Thread(target=self._loop, args=(stage,), name=f"stage-{stage.name}",
                                      daemon=True)
            self._threads[stage.name] = thread
            thread.start()

    def join(self, within: float = STOP_WITHIN) -> None:
        """Stop every stage and wait for its thread, all within `within` seconds; name the laggards."""
        self.stop.set()
        deadline = time.monotonic() + within
        for name, thread in self._threads.items():
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                self._stuck.add(name)
        if self._stuck:
            stuck = sorted(self._stuck)
            log.error("stage(s) did not stop in time; left running and not closed", stages=stuck,
                      within=within)
            self.failures.append(f"did not stop within {within:g} s: {', '.join(stuck)}")

    def check(self) -> None:
        """Raise, naming each, when a stage failed or did not stop."""
        if self.failures:
            raise NewswatchError("stage(s) stopped on an error: " + "; ".join(self.failures))

    def _loop(self, stage: Stage) -> None:
        try:
            while not self.stop.is_set():
                stage.step(self.stop)
        except Exception as exc:
            self.failures.append(f"{stage.name}: {exc}")
            log.exception("stage stopped on an error; stopping the process", stage=stage.name)
            self.stop.set()

    def _close(self, stage: Stage) -> None:
        if stage.name in self._stuck:
            return  # still inside a unit of work: closing its clients under it would only add errors
        try:
            stage.close()
        except Exception:  # one stage's failure to close must not keep the others open
            log.exception("stage did not close cleanly", stage=stage.name)


def supervise(stages: Iterable[Stage], stop: threading.Event) -> None:
    """Open `stages` in order, run them until `stop` is set or one fails, close them in reverse."""
    supervisor = Supervisor(stop)
    with contextlib.ExitStack() as opened:
        for stage in stages:
            supervisor.open(opened, stage)
        supervisor.launch(opened)
        stop.wait()
    supervisor.check()
