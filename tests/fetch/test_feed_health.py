"""Feed-health notices end to end: polls of a local feed server, the deliver stage, a local receiver.

Real Kafka and Redis; two fetcher replicas take turns on one feed, so "one message per change"
is checked across replicas, not per poll.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from tests.fetch.conftest import fetch_settings
from tests.fetch.test_poll import due_now
from tests.kit.http import LocalServer
from tests.kit.quiet import wait_caught_up
from tests.kit.running import running_stages
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import (
    Config,
    Feed,
    FeedHealthSettings,
    Settings,
    SlackDestination,
    WebhookDestination,
)
from worker.fetch.feed_health import assess
from worker.fetch.poll import Poller
from worker.fetch.state import FeedState
from worker.fetch.status import feed_status

HEALTH = FeedHealthSettings(to=["hook", "slack"], failing_after=3, silent_after=3)


class Desk:
    """Two fetcher replicas polling one feed in turn, and a deliver stage sending what they notice."""

    def __init__(self, kafka: Kafka, store: Redis, server: LocalServer) -> None:
        base = fetch_settings(kafka.settings, store.settings, total_timeout=2, read_timeout=1)
        self.settings: Settings = base.model_copy(update={"feed_health": HEALTH})
        self.feed = Feed(id="wire", url=server.url("/rss"), interval=1)
        self.config = Config(settings=self.settings, feeds=[self.feed], destinations=[
            WebhookDestination(id="hook", type="webhook", url=server.set("/hook", status=200)),
            SlackDestination(id="slack", type="slack", url=server.set("/slack", status=200, body=b"ok"))])
        self.http = HttpClient(self.settings.http)
        self.producer = kafka.producer()
        self.replicas = [Poller(self.settings, self.http, store, self.producer, kafka.topic("entries"))
                         for _ in range(2)]
        self.kafka = kafka
        self.server = server
        self.polls = 0

    def poll(self) -> str:
        """One poll by the next replica; the feed's health after it."""
        poller = self.replicas[self.polls % 2]
        self.polls += 1
        due_now(poller, self.feed.id)
        poller.poll(self.feed)
        return poller.states.load(self.feed.id).health

    def notices(self) -> list[dict[str, object]]:
        return [json.loads(p.body) for p in self.server.received("/hook", "POST")]

    def slack(self) -> list[str]:
        return [json.loads(p.body)["text"] for p in self.server.received("/slack", "POST")]

    def health(self) -> object:
        [row] = feed_status(self.config)
        return row["health"]

    def settled(self) -> None:
        """The deliver stage has handled every notice the polls so far produced: nothing more comes."""
        wait_caught_up(self.kafka, ["deliver-notices"])

    def close(self) -> None:
        self.producer.close()
        self.http.close()


@pytest.fixture
def desk(kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> Iterator[Desk]:
    made = Desk(kafka, redis_store, http_server)
    try:
        with running_stages(made.config, Clients(kafka, redis_store), "deliver"):
            yield made
    finally:
        made.close()


def rss(published: list[float]) -> bytes:
    items = "".join(f"<item><title>Story {n}</title><link>http://127.0.0.1/news/{n}</link><guid>s{n}</guid>"
                    f"<pubDate>{format_datetime(datetime.fromtimestamp(at, UTC), usegmt=True)}</pubDate>"
                    "</item>" for n, at in enumerate(published))
    channel = f"<channel><title>W</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def test_a_feed_failing_three_times_gives_one_failing_and_later_one_recovered(
        desk: Desk, http_server: LocalServer) -> None:
    http_server.set("/rss", status=500, body=b"upstream broke")
    for _ in range(5):  # three make it failing; the next two change nothing
        desk.poll()
    assert desk.health() == "failing"
    http_server.set("/rss", body=rss([time.time() - 60]))
    desk.poll()
    desk.poll()
    assert desk.health() == "ok"
    wait_until(lambda: len(desk.notices()) >= 2 and len(desk.slack()) >= 2,
               "two notices, on the topic and in Slack", show=desk.notices)
    desk.settled()
    notices = desk.notices()
    assert [(n["state"], n["previous"]) for n in notices] == [("failing", "ok"), ("recovered", "failing")]
    assert notices[0]["failures"] == 3 and "HTTP 500" in str(notices[0]["last_error"])
    assert desk.slack() == ["Feed wire is failing: 3 polls in a row failed",
                            "Feed wire recovered (it was failing)"]
    print("\nfeed health messages (Slack):", *desk.slack(), sep="\n  ")


def test_a_feed_whose_items_stop_gives_one_silent(desk: Desk, http_server: LocalServer) -> None:
    now = time.time()
    http_server.set("/rss", body=rss([now - 6, now - 4, now - 2, now]))  # one story every 2 s, then none
    desk.poll()
    assert desk.health() == "ok"
    wait_until(lambda: desk.poll() == "silent", "the feed to be silent", step=0.5)
    assert desk.health() == "silent"  # as `newswatch feeds status` shows it
    for _ in range(3):
        desk.poll()  # still silent: no second message
    wait_until(lambda: len(desk.notices()) >= 1 and len(desk.slack()) >= 1,
               "a notice, on the topic and in Slack", show=desk.notices)
    desk.settled()
    [notice] = desk.notices()
    assert (notice["state"], notice["previous"], notice["usual_gap"]) == ("silent", "ok", 2.0)
    [text] = desk.slack()
    assert text.startswith("Feed wire went silent: it answers, but published nothing for ")
    assert text.endswith("(usually every 2s)")
    print("\nfeed health message (Slack):", text)


def test_health_is_assessed_from_failures_and_the_usual_gap() -> None:
    silent = FeedState(recent=[0.0, 10.0, 20.0], health="silent")
    assert assess(FeedState(recent=[0.0, 10.0, 20.0]), HEALTH, now=49.0) == "ok"
    assert assess(FeedState(recent=[0.0, 10.0, 20.0]), HEALTH, now=51.0) == "silent"  # 3 gaps of 10 s
    assert assess(FeedState(recent=[0.0, 10.0]), HEALTH, now=1e6) == "ok"  # no usual gap known yet
    assert assess(replace(silent, failures=1), HEALTH, now=21.0) == "silent"  # one timeout recovers nothing
    assert assess(replace(silent, failures=3), HEALTH, now=21.0) == "failing"
    assert assess(replace(silent, recent=[0.0, 10.0, 20.0, 30.0]), HEALTH, now=31.0) == "ok"
