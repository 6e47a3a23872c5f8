"""One poll against the real Kafka, Redis and a local feed server."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY

from tests.fetch.conftest import fetch_settings, read_entries
from tests.fetch.feeds import STORIES, bozo, json_feed, rss
from tests.kit.http import Answer, LocalServer
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka
from worker.config.models import Feed
from worker.fetch.poll import Poller
from worker.fetch.state import FeedStates


def feed(server: LocalServer, path: str, **kwargs: object) -> Feed:
    return Feed(id="desk", url=server.url(path), interval=1, tags=["test"], **kwargs)


def due_now(poller: Poller, feed_id: str = "desk") -> None:
    """Forget the shared next-due time, as if the interval had passed."""
    state = poller.states.load(feed_id)
    state.next_due = 0
    poller.states.save(feed_id, state)


def test_new_entries_go_on_once_across_polls(poller: Poller, http_server: LocalServer, kafka: Kafka) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    desk = feed(http_server, "/rss")
    assert poller.poll(desk).new == 3
    due_now(poller)
    assert poller.poll(desk).new == 0
    http_server.set("/rss", body=rss(http_server.url(""), STORIES + [
        ("late", "Late story", "It came later.", "Mon, 12 Dec 2016 08:00:00 GMT", "")]))
    due_now(poller)
    assert poller.poll(desk).new == 1
    entries = read_entries(kafka)
    assert sorted(e.title for e in entries) == sorted([s[1] for s in STORIES] + ["Late story"])
    palmyra = next(e for e in entries if "Palmyra" in e.title)
    assert palmyra.url == http_server.url("/news/palmyra") and "utm_source" in palmyra.link
    assert palmyra.feed_id == "desk" and palmyra.tags == ["test"] and palmyra.guid == "desk-palmyra"
    assert poller.states.load("desk").entries_seen == 4


def test_a_poll_before_the_due_time_is_skipped(poller: Poller, http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    # due a minute after the first poll started, so the second is early however slow the first was
    desk = feed(http_server, "/rss").model_copy(update={"interval": 60})
    first = poller.poll(desk)
    assert first.result == "ok"
    second = poller.poll(desk)
    assert second.result == "skipped" and second.next_due == first.next_due
    assert len(http_server.received("/rss")) == 1


def test_conditional_get_304(poller: Poller, http_server: LocalServer, kafka: Kafka) -> None:
    http_server.set("/rss", body=rss(http_server.url("")), etag='"v1"', headers={
        "Last-Modified": "Sun, 11 Dec 2016 10:00:00 GMT"})
    desk = feed(http_server, "/rss")
    assert poller.poll(desk).new == 3
    due_now(poller)
    assert poller.poll(desk).result == "not_modified"
    second = http_server.received("/rss")[1]
    assert second.headers["if-none-match"] == '"v1"'
    assert second.headers["if-modified-since"] == "Sun, 11 Dec 2016 10:00:00 GMT"
    assert len(read_entries(kafka)) == 3


def test_the_same_body_again_is_not_parsed(poller: Poller, http_server: LocalServer, kafka: Kafka) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))  # no ETag, no Last-Modified
    desk = feed(http_server, "/rss")
    assert poller.poll(desk).new == 3
    due_now(poller)
    assert poller.poll(desk).result == "unchanged"
    http_server.set("/rss", body=rss(http_server.url(""), STORIES + [
        ("late", "Late story", "It came later.", "Mon, 12 Dec 2016 08:00:00 GMT", "")]))
    due_now(poller)
    assert poller.poll(desk).new == 1
    assert len(read_entries(kafka)) == 4


def test_redirect_followed_and_json_feed(poller: Poller, http_server: LocalServer) -> None:
    http_server.set("/old", status=301, headers={"Location": "/feed.json"})
    http_server.set("/feed.json", body=json_feed(http_server.url("")),
                    headers={"Content-Type": "application/feed+json"})
    assert poller.poll(feed(http_server, "/old")).new == 4  # the three stories and the bulletin


def test_bozo_feed_is_used_with_a_warning(poller: Poller, http_server: LocalServer,
                                          caplog: pytest.LogCaptureFixture) -> None:
    http_server.set("/rss", body=bozo(http_server.url("")))
    with caplog.at_level(logging.WARNING):
        assert poller.poll(feed(http_server, "/rss")).new == 3
    assert "malformed" in caplog.text


@pytest.mark.parametrize(("answer", "kind"), [
    (Answer(body=b"<rss>" + b"x" * 20_000), "too_large"),
    (Answer(body=b"<rss></rss>" * 500, trickle=0.5), "timeout"),
    (Answer(500, b"oops"), "http_5xx"),
    (Answer(200, b"<html><body>Gone fishing</body></html>", headers={"Content-Type": "text/html"}), "parse"),
])
def test_failing_feed_backs_off_and_says_why(poller: Poller, http_server: LocalServer, kafka: Kafka,
                                             answer: Answer, kind: str) -> None:
    http_server.set("/rss", answer)
    desk = feed(http_server, "/rss")
    first = poller.poll(desk)
    due_now(poller)
    second = poller.poll(desk)
    state = FeedStates(poller.states.redis).load("desk")
    assert (first.result, second.result) == ("error", "error")
    assert state.failures == 2 and state.last_error_kind == kind and state.last_error
    assert second.next_due - state.last_error_at > 1.5  # the 1 s interval, doubled twice, less jitter
    assert read_entries(kafka) == []


def test_a_429_retry_after_sets_the_next_poll_not_the_backoff(poller: Poller,
                                                              http_server: LocalServer) -> None:
    http_server.set("/rss", status=429, headers={"Retry-After": "7"})
    outcome = poller.poll(feed(http_server, "/rss"))
    state = poller.states.load("desk")
    assert outcome.result == "error" and state.last_error == "HTTP 429"
    assert outcome.next_due == state.next_due == state.retry_after_until
    assert 7 <= outcome.next_due - state.last_error_at < 7.5  # then: not sooner, and no backoff added
    assert poller.poll(feed(http_server, "/rss")).result == "skipped"  # any replica waits for it too


def test_feeds_on_one_host_take_turns_across_replicas(kafka: Kafka, poller: Poller,
                                                     http_server: LocalServer) -> None:
    http_server.set("/a", body=rss(http_server.url("")))
    http_server.set("/b", body=rss(http_server.url("")))
    http_server.set("/c", body=rss(http_server.url("")))
    def replica(host_wait: float) -> Poller:
        settings = fetch_settings(kafka.settings, poller.states.redis.settings,
                                  fetch={"host_interval": 4.0, "host_wait": host_wait})
        return Poller(settings, poller.http, poller.states.redis, poller.producer, poller.topic)

    a, b, c = (Feed(id=p, url=http_server.url(f"/{p}"), interval=60) for p in "abc")
    assert replica(5.0).poll(a).result == "ok"
    assert replica(5.0).poll(b).result == "ok"  # waited for the host's next turn, within host_wait
    paced = replica(0.5).poll(c)  # its turn is 4 s after b's, past this replica's host_wait
    assert paced.result == "paced" and not http_server.received("/c")
    assert paced.next_due > http_server.received("/b")[0].at + 3
    [first], [second] = http_server.received("/a"), http_server.received("/b")
    assert second.at - first.at >= 3.9  # slots are reserved before sending: arrivals may be closer by ms


def test_redirect_to_a_private_address_is_refused_and_logged(kafka: Kafka, poller: Poller,
                                                             http_server: LocalServer,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    http_server.set("/hop", status=302, headers={"Location": f"http://127.0.0.1:{http_server.port}/rss"})
    http_server.set("/rss", body=rss(http_server.url("")))
    settings = fetch_settings(kafka.settings, poller.states.redis.settings, allow_private_hosts=["localhost"])
    guarded = Poller(settings, HttpClient(settings.http), poller.states.redis, poller.producer, poller.topic)
    desk = Feed(id="desk", url=f"http://localhost:{http_server.port}/hop", interval=1)
    with caplog.at_level(logging.WARNING):
        outcome = guarded.poll(desk)
    assert outcome.result == "error"
    assert guarded.states.load("desk").last_error_kind == "blocked"
    assert "127.0.0.1 is a non-public address" in caplog.text
    assert not http_server.received("/rss")


@pytest.mark.parametrize(("location", "kind"), [
    ("http://0x7f000001:{port}/rss", "blocked"),  # 127.0.0.1 as a browser reads it
    ("http://[2002:7f00:1::]:{port}/rss", "blocked"),  # 6to4 of 127.0.0.1
    ("http://xn--zz.example/rss", "invalid_url"),  # punycode that does not decode
    ("http://0177.0.0.01:{port}/rss", "blocked"),  # octal 127.0.0.1, as browsers read it
    ("http://1.2.3.09:{port}/rss", "invalid_url"),  # "09" is no octal number: no parser reads it
    ("http://news.example:99999/rss", "invalid_url"),
])
def test_a_redirect_the_fetcher_refuses_is_a_feed_failure(kafka: Kafka, poller: Poller,
                                                          http_server: LocalServer, location: str,
                                                          kind: str) -> None:
    """Counted like any failing poll (so feed health hears of it), never a poll that failed unexpectedly."""
    http_server.set("/hop", status=302, headers={"Location": location.format(port=http_server.port)})
    http_server.set("/rss", body=rss(http_server.url("")))
    settings = fetch_settings(kafka.settings, poller.states.redis.settings, allow_private_hosts=["localhost"])
    guarded = Poller(settings, HttpClient(settings.http), poller.states.redis, poller.producer, poller.topic)
    desk = Feed(id="desk", url=f"http://localhost:{http_server.port}/hop", interval=1)
    first = guarded.poll(desk)
    due_now(guarded)
    second = guarded.poll(desk)
    state = guarded.states.load("desk")
    assert (first.result, second.result) == ("error", "error")
    assert state.failures == 2 and state.last_error_kind == kind and state.last_error
    assert not http_server.received("/rss")


def test_skipped_items_are_counted_and_warned_about_once_and_the_others_go_on(
        poller: Poller, http_server: LocalServer, kafka: Kafka, caplog: pytest.LogCaptureFixture) -> None:
    bad = ("<item><title>Hostile \x01 title</title><link>javascript:alert(1)</link><guid>x-1</guid></item>"
           "<item><title>No link, no id</title></item>"
           "<item><title>Also unsafe</title><link>data:text/html,hi</link></item>")
    http_server.set("/rss", body=rss(http_server.url(""), extra=bad))
    unsafe = {"reason": "unsafe_link"}
    before = REGISTRY.get_sample_value("newswatch_fetch_items_skipped_total", unsafe) or 0.0
    with caplog.at_level(logging.WARNING):
        assert poller.poll(feed(http_server, "/rss")).new == 3
    assert REGISTRY.get_sample_value("newswatch_fetch_items_skipped_total", unsafe) == before + 2
    [warning] = [r for r in caplog.records if "items skipped" in r.getMessage()]
    assert "desk" in warning.getMessage() and "unsafe_link" in warning.getMessage()
    assert "no_link_or_id" in warning.getMessage()
    assert sorted(e.title for e in read_entries(kafka)) == sorted(s[1] for s in STORIES)
