"""Apprise destinations: a json:// URL to a local receiver, with the native senders' ledger and retries."""

from __future__ import annotations

import json
import logging

import pytest
from pydantic import ValidationError

from tests.deliver.conftest import FAST, match
from tests.deliver.test_delivery import Harness, answers
from tests.kit.http import LocalServer
from worker.clients.redis import Redis
from worker.config.models import AppriseDestination, Config, KafkaSettings, Route, Settings, Terms, When
from worker.deliver.apprise import render
from worker.records import Alert


def harness(store: Redis, url: str) -> Harness:
    settings = Settings(redis=store.settings, deliver=FAST,
                        kafka=KafkaSettings(topic_prefix=f"{store.settings.key_prefix}."))
    cfg = Config(settings=settings,
                 destinations=[AppriseDestination(id="hook", type="apprise", url=url)],
                 routes=[Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=["hook"])])
    return Harness(cfg, store)


def apprise_url(server: LocalServer, path: str) -> str:
    return server.url(path).replace("http://", "json://", 1)


def test_each_alert_reaches_an_apprise_destination_once(http_server: LocalServer, redis_store: Redis) -> None:
    http_server.set("/apprise", answers(500))
    h = harness(redis_store, apprise_url(http_server, "/apprise"))
    first, second = match(title="Harbor Bank breach"), match(title="Palmyra falls")
    try:
        assert h.handle(first, second) == []  # the first fails and is parked
        h.redeliver_until(lambda: len(http_server.received("/apprise", "POST")) == 3, "a third apprise post")
        assert h.handle(first, second) == []  # re-read after a crash: nothing sent again
    finally:
        h.redelivery.close()
        h.deliverer.close()
    posts = [json.loads(p.body) for p in http_server.received("/apprise", "POST")]
    # the failed one retried (once, on its schedule), the other sent once; order is the parked queue's
    harbor, palmyra = "[conflict] Harbor Bank breach", "[conflict] Palmyra falls"
    assert sorted(p["title"] for p in posts) == [harbor, harbor, palmyra]


def test_an_apprise_service_gone_for_good_is_a_dead_letter_without_its_secret(
        redis_store: Redis, caplog: pytest.LogCaptureFixture) -> None:
    h = harness(redis_store, "json://127.0.0.1:1/hooks/T0KEN-s3cr3t-PATH")
    try:
        with caplog.at_level(logging.DEBUG):
            assert h.handle(match()) == []  # parked: no answer may be an outage
            h.redeliver_until(lambda: bool(h.letters), "a dead letter")  # the whole short schedule, given up
    finally:
        h.redelivery.close()
        h.deliverer.close()
    [letter] = h.letters
    assert letter.destination == "hook" and letter.reason.startswith("apprise: ")
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("apprise")]
    assert ours and not [line for line in ours if "s3cr3t" in line]
    assert "s3cr3t" not in letter.to_json().decode()
    # Apprise's own records (which quote URLs) never reach the process's handlers; pytest hangs
    # its capture on every logger, so that is checked on the logger itself.
    assert logging.getLogger("apprise").propagate is False


def test_an_apprise_url_of_no_known_service_is_refused_by_the_config() -> None:
    with pytest.raises(ValidationError, match="Apprise does not understand this URL"):
        AppriseDestination(id="hook", type="apprise", url="nosuch://x")
    AppriseDestination(id="hook", type="apprise", url="nosuch://x", enabled=False)  # its ${VAR} unset


def alert_with(title: str) -> Alert:
    m = match(title=title)
    return Alert(id="a1", route="conflict", article_id=m.id, url=m.article.url, title=title,
                 site="wire.example", feed_id="wire", first_seen=m.article.first_seen, score=m.score,
                 entities=m.entities, events=m.events, keywords=[], snippet="see [here](http://x)",
                 config_version="test")


def test_markdown_body_escapes_feed_text() -> None:
    title, body = render(alert_with("*Breaking* [click](https://evil.example) <b>"), "markdown")
    assert title == "[conflict] *Breaking* [click](https://evil.example) <b>"
    assert "\\*Breaking\\* \\[click\\]\\(https://evil.example\\) \\<b\\>" in body
    assert "see \\[here\\]\\(http://x\\)" in body and "](https://wire.example/" in body


def test_text_body_is_the_console_rendering() -> None:
    title, body = render(alert_with("Palmyra falls"), "text")
    assert title == "Palmyra falls" and body.startswith("== ALERT [conflict] Palmyra falls")
