"""Fixtures that connect to the real Kafka broker and Redis started by `make up`.

Each test gets its own topic prefix and Redis key prefix, so tests never see
each other's records and the suite can run against a shared broker.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from worker.adaptations import install
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import KafkaSettings, RedisSettings
from worker.logs import configure

BOOTSTRAP = os.environ.get("NEWSWATCH_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
REDIS_URL = os.environ.get("NEWSWATCH_REDIS_URL", "redis://127.0.0.1:6379/0")
INTEGRATION_FIXTURES = {"kafka", "redis_store", "kafka_settings", "redis_settings"}
configure("console", "DEBUG")  # through the standard library, where caplog sees it
install()  # the clients' adaptations, as `newswatch run` installs them

# Property tests: `ci` (the default) keeps the suite quick on two shared cores; HYPOTHESIS_PROFILE=long
# runs thousands of examples per property. No deadline: a loaded machine is slow, not wrong.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=_QUIET,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
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
    return Path(__file__).resolve().parent.parent / "config"


pytest_plugins = ["tests.httpserver", "tests.prometheus"]
