"""Fetcher replicas against the real Kafka and Redis: each entry once, each due poll once."""

from __future__ import annotations

import json
import logging
import time
from contextlib import AbstractContextManager
from typing import Any

import pytest
from prometheus_client import REGISTRY

from tests.fetch.conftest import fetch_settings, read_entries
from tests.fetch.feeds import STORIES, rss
from tests.kit.http import LocalServer, Recorded
from tests.kit.running import OnThread, running_stages
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Config, Feed, Settings
from worker.fetch.state import FeedState, FeedStates
from worker.fetch.status import print_status

LATE = ("late", "Late story", "It came later.", "Mon, 12 Dec 2016 08:00:00 GMT", "")


def desk_config(kafka: Kafka, redis: Redis, server: LocalServer) -> Config:
    return Config(settings=fetch_settings(kafka.settings, redis.settings),
                  feeds=[Feed(id="desk", url=server.url("/rss"), interval=1)])


def running(config: Config, kafka: Kafka, redis: Redis) -> AbstractContextManager[OnThread]:
    """One fetcher replica, as `newswatch run --stage fetch` runs it."""
    return running_stages(config, Clients(kafka, redis), "fetch")


def test_two_replicas_emit_each_entry_once_and_poll_once_per_interval(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    config = desk_config(kafka, redis_store, http_server)
    with running(config, kafka, redis_store), running(config, kafka, redis_store):
        wait_until(lambda: http_server.received("/rss"), "a first poll of /rss")
        http_server.set("/rss", body=rss(http_server.url(""), [*STORIES, LATE]))
        since = http_server.received("/rss")[-1].at

        def polls() -> list[Recorded]:
            return [r for r in http_server.received("/rss") if r.at > since]
        time.sleep(4)
        wait_until(lambda: len(polls()) >= 2, "two polls after the feed changed")
        seen = polls()
        window = seen[-1].at - since
    titles = sorted(e.title for e in read_entries(kafka))
    assert titles == sorted([s[1] for s in STORIES] + ["Late story"])
    assert len(seen) <= window + 2, f"{len(seen)} polls in {window:.1f} s at a 1 s interval: doubled"


def test_a_restart_emits_nothing_again(kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    config = desk_config(kafka, redis_store, http_server)
    with running(config, kafka, redis_store):
        wait_until(lambda: len(http_server.received("/rss")) >= 2, "two polls of /rss")
    before = len(http_server.received("/rss"))
    with running(config, kafka, redis_store):
        wait_until(lambda: len(http_server.received("/rss")) >= before + 2, "two polls after the restart")
    assert len(read_entries(kafka)) == 3


def test_a_stopped_replicas_feeds_are_polled_by_the_other(kafka: Kafka, redis_store: Redis,
                                                           http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    config = desk_config(kafka, redis_store, http_server)
    with running(config, kafka, redis_store):
        with running(config, kafka, redis_store):
            wait_until(lambda: http_server.received("/rss"), "a first poll of /rss")
        before = len(http_server.received("/rss"))
        http_server.set("/rss", body=rss(http_server.url(""), [*STORIES, LATE]))
        wait_until(lambda: len(http_server.received("/rss")) >= before + 2,
                   "two polls by the replica left", show=lambda: len(http_server.received("/rss")) - before)
    assert len(read_entries(kafka)) == 4


def test_a_feed_due_while_its_poll_still_runs_is_skipped_counted_and_summed_up_once(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer, caplog: pytest.LogCaptureFixture) -> None:
    http_server.set("/rss", body=rss(http_server.url("")), delay=2.5)  # longer than the 1 s interval
    skipped = {"result": "skipped"}
    before = REGISTRY.get_sample_value("newswatch_fetch_polls_total", skipped) or 0.0
    with caplog.at_level(logging.WARNING), running(desk_config(kafka, redis_store, http_server), kafka,
                                                   redis_store):
        # several due times pass while the first poll runs: skips counted, and summed up in one line
        wait_until(lambda: (REGISTRY.get_sample_value("newswatch_fetch_polls_total", skipped) or 0.0)
                   >= before + 2 and "polls skipped" in caplog.text, "two skipped polls, counted and logged")
    assert "maximum number of running instances" not in caplog.text  # APScheduler's line per skip
    assert caplog.text.count("polls skipped") == 1
    assert "raise settings.fetch.workers" in caplog.text


def test_a_429_with_retry_after_7_is_polled_again_after_7_s_not_before(
        kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> None:
    http_server.set("/rss", status=429, headers={"Retry-After": "7"})  # backoff alone would wait 2 s
    with running(desk_config(kafka, redis_store, http_server), kafka, redis_store):
        wait_until(lambda: len(http_server.received("/rss")) >= 2, "a second poll of /rss", step=0.2)
    first, second, *_ = http_server.received("/rss")
    assert second.at - first.at >= 7.0


def test_update_adds_and_removes_feeds(kafka: Kafka, redis_store: Redis, http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    http_server.set("/other", body=rss(http_server.url("/other")))
    config = desk_config(kafka, redis_store, http_server)
    with running(config, kafka, redis_store) as stage:
        wait_until(lambda: http_server.received("/rss"), "a first poll of /rss")
        stage.update(config.model_copy(update={"feeds": [Feed(id="other", url=http_server.url("/other"),
                                                                 interval=1)]}))
        removed_at = len(http_server.received("/rss"))
        wait_until(lambda: len(http_server.received("/other")) >= 2, "two polls of the added feed")
    assert len(http_server.received("/rss")) <= removed_at + 1


def test_feeds_status(kafka: Kafka, redis_store: Redis, http_server: LocalServer,
                      capsys: pytest.CaptureFixture[str]) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    http_server.set("/broken", status=503)
    config = desk_config(kafka, redis_store, http_server)
    broken = Feed(id="broken", url=http_server.url("/broken"), interval=1)
    config = config.model_copy(update={"feeds": [*config.feeds, broken]})

    def status() -> dict[str, dict[str, Any]]:
        capsys.readouterr()
        print_status(config, as_json=True)
        return {row["feed"]: row for row in json.loads(capsys.readouterr().out)}

    def both_polled() -> dict[str, dict[str, Any]]:
        rows = status()
        return rows if rows["desk"]["entries_seen"] == 3 and rows["broken"]["failures"] else {}

    with running(config, kafka, redis_store):
        rows = wait_until(both_polled, "both feeds polled", show=status)
    assert rows["desk"]["entries_seen"] == 3 and rows["desk"]["failures"] == 0
    assert rows["desk"]["last_success"]
    assert rows["broken"]["failures"] >= 1 and "HTTP 503" in str(rows["broken"]["last_error"])
    assert rows["broken"]["last_success"] is None
    print_status(config, as_json=False)
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["FEED", "HEALTH", "LAST", "OK", "NEXT", "POLL", "SEEN", "LAST", "ERROR"]
    assert table[1].startswith("desk") and " ok " in table[1] and "ago" in table[1]
    assert table[2].startswith("broken") and "backing off" in table[2] and "never" in table[2]
    assert table[2].endswith("ago: http_5xx")
    # the error in full, the address that failed included, never cut
    assert table[3:6] == ["", "last errors:", f"  broken: {rows['broken']['last_error']}"]
    assert table[6] == "2 feeds: 1 ok, 1 backing off"
    print_status(config, as_json=False, failing=True)
    failing = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in failing[1:2]] == ["broken"] and failing[-1].startswith("1 feed(s)")


def test_feeds_status_shows_a_long_error_in_full_with_its_host(
        redis_store: Redis, capsys: pytest.CaptureFixture[str]) -> None:
    error = ("ConnectError: cannot connect to feeds.wire-service.example port 443 (2001:db8::17): "
             "[Errno 111] Connection refused, and no other address of the host answered either")
    config = Config(settings=Settings(redis=redis_store.settings),
                    feeds=[Feed(id="wire", url="https://feeds.wire-service.example/rss")])
    FeedStates(redis_store).save("wire", FeedState(failures=3, last_error=error, last_error_kind="connect",
                                                   last_error_at=time.time()))
    print_status(config, as_json=False)
    out = capsys.readouterr().out
    assert f"  wire: {error}\n" in out and "ago: connect" in out
