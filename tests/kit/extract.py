"""Drive the extract stage from outside: entries in, articles out, the stage in a process of its own.

Shared by the stage's integration tests and its benchmark.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

from tests.kit.config import write_config
from tests.kit.process import WorkerProcess
from tests.kit.quiet import wait_caught_up
from tests.kit.waiting import wait_until
from worker.clients.kafka import Kafka, Outgoing
from worker.config.models import Config
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

    def collect(self, ids: set[str], timeout: float, complete: bool = False) -> list[Article]:
        """Articles read until all `ids` are among them; with `complete`, then until the extract stage
        has committed every entry and the articles topic is read to its end, so extras are among them."""
        articles: list[Article] = []

        def missing() -> set[str]:
            articles.extend(parse_record(Article, m.value) for m in self._reader.poll(0.5))
            return ids - {a.id for a in articles}
        wait_until(lambda: not missing(), f"the articles of {len(ids)} entries", timeout=timeout, step=0,
                   show=lambda: f"{len(ids - {a.id for a in articles})} still missing")
        if complete:
            wait_caught_up(self.kafka, ["extract"], timeout=timeout)
            ends = self._reader.ends()
            wait_until(lambda: not missing() and all(self._reader.positions().get(p, 0) >= end
                                                     for p, end in ends.items()),
                       "the end of the articles topic", timeout=timeout, step=0)
        return articles

    def close(self) -> None:
        self._producer.close()
        self._reader.close()


def start_stage(config: Config, folder: Path) -> WorkerProcess:
    """`newswatch run --stage extract` on `config` (written to `folder`), in a process of its own."""
    return WorkerProcess(write_config(folder, config), "--stage", "extract")
