"""The shared pytest fixtures, loaded once through `pytest_plugins` in tests/conftest.py.

Each test gets its own topic prefix and Redis key prefix, so tests never see
each other's records and the suite can run against the shared broker and
Redis started by `make up`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.kit.config import EXAMPLES
from tests.kit.http import LocalServer
from tests.kit.prometheus import Prometheus
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import KafkaSettings, RedisSettings

BOOTSTRAP = os.environ.get("NEWSWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
REDIS_URL = os.environ.get("NEWSWATCH_REDIS_URL", "redis://127.0.0.1:6379/0")
INTEGRATION_FIXTURES = {"kafka", "redis_store", "kafka_settings", "redis_settings"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for Kafka or Redis is an integration test, whether or not it says so."""
    for item in items:
        if INTEGRATION_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def kafka_settings(unique: str) -> KafkaSettings:
    return KafkaSettings(bootstrap=BOOTSTRAP, topic_prefix=f"test-{unique}.", group_prefix=f"test-{unique}-",
                         partitions=3, poll_timeout=0.2)


@pytest.fixture
def kafka(kafka_settings: KafkaSettings) -> Iterator[Kafka]:
    client = Kafka(kafka_settings, client_id="newswatch-test")
    client.ensure_topics()
    yield client
    client.delete_topics()


@pytest.fixture
def redis_settings(unique: str) -> RedisSettings:
    return RedisSettings(url=REDIS_URL, key_prefix=f"test-{unique}:")


@pytest.fixture
def redis_store(redis_settings: RedisSettings) -> Iterator[Redis]:
    store = Redis(redis_settings)
    store.ping()
    yield store
    store.delete_prefix()
    store.close()


@pytest.fixture
def example_config_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer()
    yield server
    server.close()


@pytest.fixture
def prometheus_factory(tmp_path: Path) -> Iterator[Callable[[list[str]], Prometheus]]:
    started: list[Prometheus] = []

    def start(targets: list[str]) -> Prometheus:
        server = Prometheus(tmp_path, targets)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()
