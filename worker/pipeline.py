"""The pipeline's stages by name: what `newswatch run --stage NAME` builds.

A stage's module is imported only when the stage is built, so a process loads
only the libraries of the stages it runs (`newswatch run --stage fetch` loads
neither trafilatura nor the matcher). This table is the one place that knows
every stage; the stages themselves know only `worker.stages.Stage`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from worker.errors import NewswatchError

if TYPE_CHECKING:
    from worker.clients.kafka import Kafka
    from worker.clients.redis import Redis
    from worker.config.models import Config
    from worker.health import Health
    from worker.stages import Stage


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
