"""Drive the extract stage from outside: entries in, articles out, the stage in a process of its own.

Shared by the stage's integration tests and its benchmark.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import uuid
from collections.abc import Iterable
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as ProcessEvent

from worker.clients.kafka import Kafka, Outgoing
from worker.config.models import Config
from worker.extract.stage import extract_stage
from worker.health import Health
from worker.records import Article, Entry, parse_record, stable_id


def entry(url: str, **fields: object) -> Entry:
    base: dict[str, object] = {"id": stable_id(url), "feed_id": "test-feed", "feed_url": "http://localhost/feed",
                               "url": url, "link": url, "title": f"Entry for {url.rsplit('/', 1)[-1]}"}
    return Entry.model_validate({**base, **fields})


class Topics:
    """A producer of entries and a reader of articles (its own group), kept open between rounds."""

    def __init__(self, kafka: Kafka) -> None:
        self.kafka = kafka
        self._producer = kafka.producer()
        self._reader = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", ["articles"])

    def produce(self, entries: Iterable[Entry]) -> None:
        self._producer.send_all([Outgoing(self.kafka.topic("entries"), e.url, e.to_json()) for e in entries])

    def collect(self, ids: set[str], timeout: float, settle: float = 0.0) -> list[Article]:
        """Articles read until all `ids` are among them (then `settle` seconds more), or `timeout`."""
        articles: list[Article] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            articles += [parse_record(Article, m.value) for m in self._reader.poll(0.5)]
            if ids <= {a.id for a in articles}:
                deadline = min(deadline, time.monotonic() + settle)
        return articles

    def close(self) -> None:
        self._producer.close()
        self._reader.close()


def run_stage(config_json: str, stop: ProcessEvent | None = None) -> None:
    """The extract stage as `newswatch run` runs it, here, until `stop` is set (or the process is killed)."""
    config = Config.model_validate_json(config_json)
    kafka = Kafka(config.settings.kafka, client_id="newswatch-test")
    stopping = threading.Event()
    if stop is not None:
        threading.Thread(target=_relay, args=(stop, stopping), daemon=True).start()
    extract_stage(config, kafka, Health()).run(stopping)


def _relay(stop: ProcessEvent, stopping: threading.Event) -> None:
    stop.wait()
    stopping.set()


def start_stage(config: Config, stop: ProcessEvent | None = None) -> BaseProcess:
    """The stage in a fresh process: it shares no interpreter lock with the test's server and readers."""
    process = multiprocessing.get_context("spawn").Process(
        target=run_stage, args=(config.model_dump_json(), stop), name="extract-stage")
    process.start()
    return process
