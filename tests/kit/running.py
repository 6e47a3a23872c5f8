"""Stages on a thread of the test's process: the one way tests and benches run a stage in-process.

What runs is what `newswatch run` runs: stages built by `worker.pipeline`
(or, for a test of the loop itself, a stage built by hand), opened, stepped
and closed by `worker.stages.supervise`; or the whole `worker.app.run`. The
thread is stopped and joined within a bound when the `with` block ends, and
whatever the stages raised is raised there, so a stage that died is never
mistaken for one that had nothing to do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from worker.app import run
from worker.clients.connections import Clients
from worker.config.models import Config
from worker.health import Health
from worker.pipeline import build
from worker.stages import Stage, supervise

STOP_WITHIN = 60.0  # seconds a stopped thread has to finish its unit of work and close


class OnThread:
    """`work(stop)` on a daemon thread; `close` stops it, joins it and raises what it raised."""

    def __init__(self, work: Callable[[threading.Event], None], name: str,
                 stages: Sequence[Stage] = ()) -> None:
        self.name = name
        self.stages = list(stages)
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, args=(work,), name=f"test-{name}", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[threading.Event], None]) -> None:
        try:
            work(self.stop)
        except BaseException as exc:  # noqa: BLE001 - raised again on the test's thread by `close`
            self.errors.append(exc)
            self.stop.set()

    def alive(self) -> bool:
        return self._thread.is_alive()

    def update(self, config: Config) -> None:
        """Hand the stages a reloaded config, as the reload watcher does."""
        for stage in self.stages:
            stage.update(config)

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=STOP_WITHIN)
        if self._thread.is_alive():
            raise AssertionError(f"{self.name} did not stop within {STOP_WITHIN:g} s")
        if self.errors:
            raise AssertionError(f"{self.name} failed: {self.errors[0]!r}") from self.errors[0]


@contextmanager
def on_thread(work: Callable[[threading.Event], None], name: str,
              stages: Sequence[Stage] = ()) -> Iterator[OnThread]:
    running = OnThread(work, name, stages)
    try:
        yield running
    finally:
        running.close()


def stages(config: Config, clients: Clients, *names: str, health: Health | None = None) -> list[Stage]:
    """The stages `newswatch run --stage NAME ...` builds, unopened."""
    health = health or Health()
    return [stage for name in names for stage in build(name, config, clients, health)]


@contextmanager
def running(*built: Stage) -> Iterator[OnThread]:
    """`built` supervised as `newswatch run` supervises its stages, for the `with` block."""
    with on_thread(lambda stop: supervise(built, stop), "+".join(s.name for s in built), built) as thread:
        yield thread


@contextmanager
def running_stages(config: Config, clients: Clients, *names: str,
                   health: Health | None = None) -> Iterator[OnThread]:
    """The named stages of the pipeline on `config`, supervised, for the `with` block."""
    with running(*stages(config, clients, *names, health=health)) as thread:
        yield thread


@contextmanager
def running_app(config: Config, config_dir: Path,
                names: Sequence[str] | None = None) -> Iterator[OnThread]:
    """`newswatch run` (every stage, or `names`) on the test's thread pool, config reloads included."""
    def work(stop: threading.Event) -> None:
        if names is None:
            run(config, config_dir, stop=stop)
        else:
            run(config, config_dir, names, stop=stop)
    with on_thread(work, "newswatch run") as thread:
        yield thread
