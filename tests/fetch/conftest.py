from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import FetchSettings, HttpSettings, KafkaSettings, RedisSettings, Settings
from worker.fetch.poll import Poller
from worker.records import Entry, parse_record


def fetch_settings(kafka: KafkaSettings, redis: RedisSettings, fetch: dict[str, object] | None = None,
                   **http: object) -> Settings:
    """Settings for polls of a local server; every test feed is on one host, so no host pacing
    unless a test asks for it in `fetch`."""
    fetch = {"host_interval": None, **(fetch or {})}
    return Settings(kafka=kafka, redis=redis,
                    http=HttpSettings(**{"allow_private_hosts": ["127.0.0.1"], **http}),
                    fetch=FetchSettings(min_interval=0.5, jitter=0.1, workers=4, **fetch))


def read_entries(kafka: Kafka, quiet: float = 2.0) -> list[Entry]:
    """Everything on the entries topic, read by a fresh group until `quiet` seconds pass with nothing.

    The quiet time counts only once the group has given the reader its partitions: on a loaded
    machine joining can take longer than `quiet`, and polls before it return nothing.
    """
    consumer = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", ["entries"])
    found: list[Entry] = []
    idle = 0.0
    try:
        while idle < quiet:
            batch = consumer.poll(0.5)
            idle = 0.0 if batch or not consumer.assigned else idle + 0.5
            found += [parse_record(Entry, m.value) for m in batch]
    finally:
        consumer.close()
    return found


@pytest.fixture
def poller(kafka: Kafka, redis_store: Redis) -> Iterator[Poller]:
    settings = fetch_settings(kafka.settings, redis_store.settings, total_timeout=2, read_timeout=1,
                              max_feed_bytes=10_000)
    http = HttpClient(settings.http)
    producer = kafka.producer()
    yield Poller(settings, http, redis_store, producer, kafka.topic("entries"))
    producer.close()
    http.close()
