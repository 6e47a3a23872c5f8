"""The deliver stage's background work as stages of their own: the digest flusher and the redelivery loop.

Each runs its work every few seconds on the thread the supervisor gives it,
with a Kafka producer of its own (opened in `start`) for the dead letters
the work makes. A failing tick (Redis or Kafka away) logs one warning per
outage and the next tick tries again; closing waits for work still in flight
(`done`) before the producer closes, so its dead letters are acknowledged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from worker.clients.kafka import Kafka, Producer
from worker.deliver.redelivery import Produce
from worker.logs import get_logger
from worker.stages import Stage

log = get_logger(__name__)


class Background(Stage):
    def __init__(self, name: str, kafka: Kafka, every: float, work: Callable[[Produce], int], *,
                 started: Callable[[threading.Event], None] | None = None,
                 done: Callable[[], None] | None = None) -> None:
        self.name = name
        self.kafka = kafka
        self.every = every
        self.work = work
        self.started = started
        self.done = done
        self._producer: Producer | None = None
        self._failing_since: float | None = None  # one warning per outage, not one traceback per tick

    def start(self, stop: threading.Event) -> None:
        self._producer = self.kafka.producer()
        if self.started is not None:
            self.started(stop)

    def step(self, stop: threading.Event) -> None:
        if stop.wait(self.every) or self._producer is None:
            return
        try:
            self.work(self._producer.send_all)
        except Exception as exc:  # noqa: BLE001 - Redis or Kafka away: the next tick tries again
            if self._failing_since is None:
                self._failing_since = time.monotonic()
                log.warning("background delivery work failing; retrying every tick", work=self.name,
                            error=str(exc), error_type=type(exc).__name__, exc_info=True)
            return
        if self._failing_since is not None:
            log.info("background delivery work going again", work=self.name,
                     failed_for=round(time.monotonic() - self._failing_since, 1))
            self._failing_since = None

    def close(self) -> None:
        try:
            if self.done is not None:
                self.done()
        finally:
            if self._producer is not None:
                self._producer.close()
