"""Put entries on the entries topic and read back the articles: for the stage's tests and its benchmark."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from worker.clients.kafka import Kafka, Outgoing
from worker.records import Article, Entry, parse_record, stable_id


def entry(url: str, **fields: object) -> Entry:
    base: dict[str, object] = {"id": stable_id(url), "feed_id": "test-feed", "feed_url": "http://localhost/feed",
                               "url": url, "link": url, "title": f"Entry for {url.rsplit('/', 1)[-1]}"}
    return Entry.model_validate({**base, **fields})


def produce_entries(kafka: Kafka, entries: Iterable[Entry]) -> None:
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(kafka.topic("entries"), e.url, e.to_json()) for e in entries])
    finally:
        producer.close()


def collect_articles(kafka: Kafka, ids: set[str], timeout: float, settle: float = 0.0) -> list[Article]:
    """Every article on the topic until all `ids` are there (then `settle` seconds more), or `timeout`."""
    consumer = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", ["articles"])
    articles: list[Article] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            articles += [parse_record(Article, m.value) for m in consumer.poll(0.5)]
            if ids <= {a.id for a in articles}:
                deadline = min(deadline, time.monotonic() + settle) if settle else time.monotonic()
    finally:
        consumer.close()
    return articles
