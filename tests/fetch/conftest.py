from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.kit.topics import read_topic
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import FetchSettings, HttpSettings, KafkaSettings, RedisSettings, Settings
from worker.fetch.poll import Poller
from worker.records import Entry


def fetch_settings(kafka: KafkaSettings, redis: RedisSettings, fetch: dict[str, object] | None = None,
                   **http: object) -> Settings:
    """Settings for polls of a local server; every test feed is on one host, so no host pacing
    unless a test asks for it in `fetch`."""
    fetch = {"host_interval": None, "min_interval": 0.5, "jitter": 0.1, "workers": 4, **(fetch or {})}
    return Settings(kafka=kafka, redis=redis,
                    http=HttpSettings(**{"allow_private_hosts": ["127.0.0.1"], **http}),
                    fetch=FetchSettings(**fetch))


def read_entries(kafka: Kafka) -> list[Entry]:
    """Everything on the entries topic now (`tests.kit.topics.read_topic`)."""
    return read_topic(kafka, "entries", Entry)


@pytest.fixture
def poller(kafka: Kafka, redis_store: Redis) -> Iterator[Poller]:
    settings = fetch_settings(kafka.settings, redis_store.settings, total_timeout=2, read_timeout=1,
                              max_feed_bytes=10_000)
    http = HttpClient(settings.http)
    producer = kafka.producer()
    yield Poller(settings, http, redis_store, producer, kafka.topic("entries"))
    producer.close()
    http.close()
