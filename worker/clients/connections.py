"""The clients a process shares, handed to every stage it builds: one Kafka and one Redis.

Building them opens nothing (kafka-python and redis-py connect on first
use); `newswatch run` makes sure of both services (`ensure`) before it
starts a stage, and closes the Redis pool last, after every stage closed.
"""

from __future__ import annotations

from dataclasses import dataclass

from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Settings


@dataclass(frozen=True)
class Clients:
    kafka: Kafka
    redis: Redis

    @classmethod
    def for_settings(cls, settings: Settings, client_id: str = "newswatch") -> Clients:
        return cls(Kafka(settings.kafka, client_id=client_id), Redis(settings.redis))

    def ensure(self) -> None:
        """Create the missing topics and ping Redis: raise, saying which, when one does not answer."""
        self.kafka.ensure_topics()
        self.redis.ping()

    def close(self) -> None:
        self.redis.close()
