"""The one lifecycle every stage implements.

A stage is started, does units of work until the process stops it, follows
each reloaded config, and is closed, always in that order and always through
`Stage.run`, whatever the stage does inside (a Kafka consumer loop, a feed
scheduler, a consumer with helper threads). Stages import this module, never
`worker.pipeline`, which names them all.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from worker.config.models import Config


class Stage(Protocol):
    """What `newswatch run` drives; a stage subclasses it to inherit `run`."""

    def start(self, stop: threading.Event) -> None:
        """Connect, and start what runs beside the work (helper threads end once `stop` is set)."""

    def step(self, stop: threading.Event) -> None:
        """One unit of work: a batch polled and resolved, or a second of a scheduler's life."""

    def update(self, config: Config) -> None:
        """Follow a reloaded config; called on the reload thread, between units of work."""

    def close(self) -> None:
        """Release what the stage holds; called once, also after a failed `start` or `step`."""

    def run(self, stop: threading.Event) -> None:
        """The lifecycle: start, units of work until `stop` is set, close (also when one raises)."""
        try:
            self.start(stop)
            while not stop.is_set():
                self.step(stop)
        finally:
            self.close()
