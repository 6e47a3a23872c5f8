"""Feeds of one host under its pace, against the real Redis and Kafka: served in the order they fell
due, across replicas, and a slow host's line never holds up another host's feed."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from tests.fetch.conftest import fetch_settings
from tests.fetch.feeds import rss
from tests.fetch.test_stage import running
from tests.kit.http import LocalServer
from tests.kit.waiting import wait_until
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Config, Feed, Settings
from worker.fetch.canonical import feed_host
from worker.fetch.poll import Poller
from worker.fetch.status import feed_status
from worker.fetch.turns import HostTurns, Turn

pytestmark = pytest.mark.integration
FEEDS = 6


def replicas(kafka: Kafka, redis: Redis, settings: Settings, count: int) -> Iterator[list[Poller]]:
    clients = [(HttpClient(settings.http), kafka.producer()) for _ in range(count)]
    yield [Poller(settings, http, redis, producer, kafka.topic("entries")) for http, producer in clients]
    for http, producer in clients:
        producer.close()
        http.close()


@pytest.fixture
def two_replicas(kafka: Kafka, redis_store: Redis) -> Iterator[list[Poller]]:
    settings = fetch_settings(kafka.settings, redis_store.settings,
                              fetch={"host_interval": 0.3, "host_wait": 0.2}, total_timeout=5)
    yield from replicas(kafka, redis_store, settings, 2)


def test_a_hosts_due_feeds_are_served_in_the_order_they_fell_due(
        two_replicas: list[Poller], redis_store: Redis, http_server: LocalServer) -> None:
    feeds = [Feed(id=f"f{i}", url=http_server.url(f"/f{i}"), interval=3600) for i in range(FEEDS)]
    for i in range(FEEDS):
        http_server.set(f"/f{i}", body=rss(http_server.url("")))
    # they fell due in an order that is neither their names' nor the order their jobs ask in
    due_order = ["f3", "f0", "f5", "f1", "f4", "f2"]
    fell_due(two_replicas[0], due_order)
    # every job fires once while the host's next slot is out of reach: each joins the line and
    # returns at once, its thread free for other hosts
    host = feed_host(feeds[0].url)
    redis_store.set(redis_store.keys.pace("host", host), str(time.time() + 3), px=10_000)
    for poller in two_replicas:
        for feed in reversed(feeds):
            outcome = poller.poll(feed)
            assert outcome.result == "paced" and outcome.served is None
    assert not any(http_server.received(f"/f{i}") for i in range(FEEDS))

    # then four threads of two replicas keep firing the jobs, in the order of their names
    slots = recorded_slots(two_replicas)
    with firing(two_replicas, feeds):
        wait_until(lambda: all(http_server.received(f"/f{i}") for i in range(FEEDS)), "every feed polled",
                   timeout=60)
    assert all(len(http_server.received(f"/f{i}")) == 1 for i in range(FEEDS))
    # slot k served the k-th due feed, hence the bound: none waited more than the host's feed count
    assert [feed_id for _, feed_id in sorted(slots)] == due_order, slots
    assert redis_store.zrange(redis_store.keys.host_line(host), 0, -1) == []


def fell_due(poller: Poller, order: list[str]) -> None:
    """Make the feeds due since a minute and a half ago, a second apart, in `order`."""
    now = time.time()
    for rank, feed_id in enumerate(order):
        state = poller.states.load(feed_id)
        state.next_due = now - 100 + rank
        poller.states.save(feed_id, state)


def recorded_slots(pollers: list[Poller]) -> list[tuple[float, str]]:
    """Each slot the pollers take, with its time as Redis reserved it (not when a thread got round to it),
    and the feed it served."""
    slots: list[tuple[float, str]] = []
    for poller in pollers:
        ask = poller.turns.ask

        def recorded(*args: object, ask: Callable[..., Turn] = ask) -> Turn:
            turn = ask(*args)
            if turn.first:
                slots.append((turn.at, turn.first))
            return turn
        poller.turns.ask = recorded  # type: ignore[method-assign,assignment]
    return slots


@contextmanager
def firing(pollers: list[Poller], feeds: list[Feed]) -> Iterator[None]:
    """Two threads per poller, each firing every feed's job in turn, as the scheduler would."""
    stop = threading.Event()

    def jobs(poller: Poller) -> None:
        while not stop.is_set():
            for feed in feeds:
                poller.poll(feed)
            stop.wait(0.05)
    threads = [threading.Thread(target=jobs, args=(p,)) for p in pollers for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def test_a_slow_hosts_line_does_not_hold_up_another_hosts_feed(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> None:
    for path in [f"/slow{i}" for i in range(8)] + ["/other"]:
        http_server.set(path, body=rss(http_server.url("")))
    # 127.0.0.1 and localhost are two hosts to the pace; the slow one has a line of eight feeds and a
    # slot every 1.5 s, two fetch threads only
    slow = [Feed(id=f"slow{i}", url=http_server.url(f"/slow{i}"), interval=3600) for i in range(8)]
    other = Feed(id="other", url=f"http://localhost:{http_server.port}/other", interval=3600)
    settings = fetch_settings(kafka.settings, redis_store.settings,
                              fetch={"host_interval": 1.5, "workers": 2},
                              allow_private_hosts=["127.0.0.1", "localhost"])
    config = Config(settings=settings, feeds=[*slow, other])

    def slow_polls() -> list[float]:
        return sorted(r.at for i in range(8) for r in http_server.received(f"/slow{i}"))
    with running(config, kafka, redis_store):
        wait_until(lambda: http_server.received("/other"), "the other host's feed polled", timeout=60)
        wait_until(lambda: len(slow_polls()) >= 4, "four polls of the slow host", timeout=60)
    other_at = http_server.received("/other")[0].at
    slow_at = slow_polls()
    # in slots of the slow host: the other feed came before its fourth slot, not after its line of eight
    assert other_at < slow_at[3], f"other at {other_at:.2f}, slow host's polls at {slow_at[:4]}"



def test_feeds_status_names_a_host_over_its_pace(kafka: Kafka, redis_store: Redis,
                                                 http_server: LocalServer) -> None:
    settings = fetch_settings(kafka.settings, redis_store.settings, fetch={"host_interval": 1.0})
    busy = [Feed(id=f"busy{i}", url=http_server.url(f"/busy{i}"), interval=2) for i in range(3)]
    calm = Feed(id="calm", url=f"http://localhost:{http_server.port}/calm", interval=60)
    rows = feed_status(Config(settings=settings, feeds=[*busy, calm]), redis_store)
    over = {str(row["feed"]): row["host_over_pace"] for row in rows}
    assert over["calm"] is None
    assert over["busy0"] == over["busy2"] and "host 127.0.0.1: 3 enabled feed(s) ask for 1.5 times" in str(
        over["busy0"]) and "Lengthen their intervals (to 3 s or more)" in str(over["busy0"])


def test_an_ask_with_a_due_time_read_before_the_feeds_poll_ended_does_not_rejoin(redis_store: Redis) -> None:
    """A thread that read the feed's state just before another one polled it would put it back in line
    with its old due time, first of all, and spend a slot of the host on a feed just polled."""
    turns = HostTurns(redis_store, hold=60)
    fell_due_at = time.time() - 10
    assert turns.ask("example.org", "wire", fell_due_at, 0.01, 1.0).first == "wire"
    turns.done("example.org", "wire")
    stale = turns.ask("example.org", "wire", fell_due_at, 0.01, 1.0)
    assert stale.first == "" and redis_store.zrange(redis_store.keys.host_line("example.org"), 0, -1) == []
    assert turns.ask("example.org", "wire", time.time(), 0.01, 1.0).first == "wire"  # due again: it joins
