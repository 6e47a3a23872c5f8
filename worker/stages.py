"""The pipeline's stages by name, and the one lifecycle every stage implements.

A stage is started, does units of work until the process stops it, follows
each reloaded config, and is closed, always in that order and always through
`Stage.run`, whatever the stage does inside (a Kafka consumer loop, a feed
scheduler, a consumer with helper threads). `newswatch run` builds the stages
it is asked for from `FACTORIES`; a stage's module is imported only when the
stage is built, so a process loads only the libraries of the stages it runs.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

from worker.errors import NewswatchError

if TYPE_CHECKING:
    from worker.clients.kafka import Kafka
    from worker.clients.redis import Redis
    from worker.config.models import Config
    from worker.health import Health


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


class Factory(Protocol):
    def __call__(self, config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage: ...


# Each factory imports its stage's module when called (see the module docstring).
def _fetch(config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage:
    from worker.fetch.stage import FetchStage

    return FetchStage(config, kafka, redis, health)


def _extract(config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage:
    from worker.extract.stage import extract_stage

    return extract_stage(config, kafka, health)


def _match(config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage:
    from worker.match.stage import match_stage

    return match_stage(config, kafka, redis, health)


def _deliver(config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage:
    from worker.deliver.stage import DeliverStage

    return DeliverStage(config, kafka, redis, health)


FACTORIES: dict[str, Factory] = {"fetch": _fetch, "extract": _extract, "match": _match, "deliver": _deliver}
STAGES = tuple(FACTORIES)


def build(name: str, config: Config, kafka: Kafka, redis: Redis, health: Health) -> Stage:
    """The stage called `name`, built from the config the process runs now."""
    if name not in FACTORIES:
        raise NewswatchError(f"unknown stage {name!r}; use one of {', '.join(STAGES)}")
    return FACTORIES[name](config, kafka, redis, health)
