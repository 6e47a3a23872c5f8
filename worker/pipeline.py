"""The pipeline's stages by name: what `newswatch run --stage NAME` builds.

Every name has one factory of one signature, (config, clients, health), and
a factory returns the stages that name runs: one for fetch, extract and
match; for deliver, its consumers of matches and notices, its digest flusher
and its redelivery loop. A factory opens nothing (each stage opens what it
owns in `start`); the first stage it returns owns what its stages share, so
it is opened first and closed last.

A stage's module is imported only when the stage is built, so a process loads
only the libraries of the stages it runs (`newswatch run --stage fetch` loads
neither trafilatura nor the matcher). This table is the one place that knows
every stage; the stages themselves know only `worker.stages.Stage`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from worker.errors import NewswatchError

if TYPE_CHECKING:
    from worker.clients.connections import Clients
    from worker.config.models import Config
    from worker.health import Health
    from worker.stages import Stage

Factory = Callable[["Config", "Clients", "Health"], Sequence["Stage"]]


# Each factory imports its stage's module when called (see the module docstring).
def _fetch(config: Config, clients: Clients, health: Health) -> Sequence[Stage]:
    from worker.fetch.stage import FetchStage

    return [FetchStage(config, clients, health)]


def _extract(config: Config, clients: Clients, health: Health) -> Sequence[Stage]:
    from worker.extract.stage import extract_stage

    return [extract_stage(config, clients, health)]


def _match(config: Config, clients: Clients, health: Health) -> Sequence[Stage]:
    from worker.match.stage import match_stage

    return [match_stage(config, clients, health)]


def _deliver(config: Config, clients: Clients, health: Health) -> Sequence[Stage]:
    from worker.deliver.stage import deliver_stages

    return deliver_stages(config, clients, health)


FACTORIES: dict[str, Factory] = {"fetch": _fetch, "extract": _extract, "match": _match, "deliver": _deliver}
STAGES = tuple(FACTORIES)


def build(name: str, config: Config, clients: Clients, health: Health) -> Sequence[Stage]:
    """The stages called `name`, built (not started) from the config the process runs now."""
    if name not in FACTORIES:
        raise NewswatchError(f"unknown stage {name!r}; use one of {', '.join(STAGES)}")
    return FACTORIES[name](config, clients, health)
