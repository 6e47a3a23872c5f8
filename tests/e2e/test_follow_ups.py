"""Follow-ups end to end: a local feed edits an entry; the receiver shows what Slack and a webhook get.

Real Kafka, Redis and HTTP; every stage of `newswatch run` in the test's process. The entry's page
answers 404, so the article carries the feed's text and an edit of the feed is an edit of the story.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kit.config import write_config
from tests.kit.http import Answer, LocalServer, Recorded
from tests.kit.quiet import wait_settled
from tests.kit.running import running_app
from tests.kit.waiting import wait_until
from worker.config import load_config
from worker.demo import _clean as remove_topics_and_keys
from worker.logs import get_logger

pytestmark = pytest.mark.integration
log = get_logger(__name__)
FIRST = ("Clashes near Palmyra", "Fighting went on near Palmyra overnight, residents said.")
EDITED = ("IS fighters capture Palmyra", "Islamic State fighters captured Palmyra on Sunday, residents said.")


def rss(server: LocalServer, title: str, summary: str) -> bytes:
    item = (f"<item><title>{title}</title><link>{server.url('/news/palmyra')}</link><guid>wire-palmyra</guid>"
            f"<pubDate>Sun, 11 Dec 2016 09:30:00 GMT</pubDate><description>{summary}</description></item>")
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
            f"<link>{server.url('/')}</link><description>w</description>{item}</channel></rss>").encode()


@pytest.fixture
def config_dir(tmp_path: Path, http_server: LocalServer) -> Iterator[Path]:
    prefix = f"e2e-{uuid.uuid4().hex[:10]}"
    folder = tmp_path / "config"
    files = {
        "settings": {"kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-", "partitions": 1,
                               "poll_timeout": 0.2},
                     "redis": {"key_prefix": f"{prefix}:"},
                     "http": {"allow_private_hosts": ["127.0.0.1"], "total_timeout": 10},
                     "fetch": {"min_interval": 0.5, "jitter": 0.1, "workers": 2, "host_interval": None},
                     "extract": {"processes": 1, "min_text_chars": 1000},
                     "deliver": {"retry": {"delays": [0.1, 0.2, 0.4]}, "slack_min_interval": 0.1},
                     "metrics": {"port": 0}},
        "feeds": [{"id": "wire", "url": http_server.url("/rss"), "interval": 1}],
        "watchlists": [{"id": "syria", "name": "Syria", "entities": [
            {"id": "palmyra", "name": "Palmyra", "kind": "place"},
            {"id": "islamic-state", "name": "Islamic State", "kind": "group"},
            {"id": "aleppo", "name": "Aleppo", "kind": "place"}]}],
        "event_types": [{"id": "capture", "name": "Territorial capture", "triggers": ["capture"]}],
        "routes": [{"id": f"{place}-desk", "when": {"entities": {"any": [place]}}, "to": ["slack", "hook"]}
                   for place in ("palmyra", "aleppo")],
        "destinations": [{"id": "slack", "type": "slack", "url": http_server.url("/slack")},
                         {"id": "hook", "type": "webhook", "url": http_server.url("/hook")}],
    }
    write_config(folder, files)
    http_server.set("/slack", status=200, body=b"ok")
    http_server.set("/hook", status=200)
    yield folder
    remove_topics_and_keys(load_config(folder))


def hook_posts(server: LocalServer) -> list[dict[str, object]]:
    return [json.loads(p.body) for p in server.received("/hook", "POST")]


def slack_texts(server: LocalServer) -> list[str]:
    return [json.loads(p.body)["text"] for p in server.received("/slack", "POST")]


def test_an_edited_entry_gives_one_follow_up_on_the_route_that_alerted(config_dir: Path,
                                                                    http_server: LocalServer) -> None:
    http_server.set("/rss", body=rss(http_server, *FIRST))
    config = load_config(config_dir)
    with running_app(config, config_dir):
        wait_until(lambda: len(hook_posts(http_server)) == 1 and len(slack_texts(http_server)) == 1,
                   "the alert at the hook and in Slack", timeout=120, show=lambda: hook_posts(http_server))
        http_server.set("/rss", body=rss(http_server, *EDITED))
        wait_until(lambda: len(hook_posts(http_server)) >= 2 and len(slack_texts(http_server)) >= 2,
                   "the follow-up at the hook and in Slack", timeout=120,
                   show=lambda: hook_posts(http_server))
        for _ in range(4):  # more polls of the edited feed, each handled by every stage: nothing more comes
            wait_settled(config, since=time.time())
    first, update = hook_posts(http_server)
    assert (first["event"], first["route"], first["title"]) == ("alert.created", "palmyra-desk", FIRST[0])
    assert (update["event"], update["update_of"]) == ("alert.updated", first["id"])
    assert update["route"] == "palmyra-desk"
    assert update["id"] != first["id"] and update["title"] == EDITED[0]
    assert update["changes"] == {"previous_title": FIRST[0], "title": EDITED[0],
                                 "new_entities": ["Islamic State"], "new_events": ["Territorial capture"]}
    texts = slack_texts(http_server)
    assert texts == [f"[palmyra-desk] {FIRST[0]}",
                     f"[palmyra-desk] Updated: was “{FIRST[0]}”, now “{EDITED[0]}”; "
                     "new entities: Islamic State; new events: Territorial capture"]
    log.info("follow-up as the receiver saw it", slack=texts,
             webhook=[{k: p.get(k) for k in ("event", "id", "update_of", "title", "changes")}
                      for p in (first, update)])
    print("\nSlack:", *texts, sep="\n  ")
    print("webhook:", *[json.dumps({k: p.get(k) for k in ("event", "id", "update_of", "route", "title",
                                                             "changes")}, ensure_ascii=False)
                        for p in (first, update)], sep="\n  ")


def test_an_entry_rewritten_on_every_poll_gives_at_most_the_cap(config_dir: Path,
                                                               http_server: LocalServer) -> None:
    counter = itertools.count()

    def rewritten(rec: Recorded) -> Answer:
        n = next(counter)
        return Answer(200, rss(http_server, f"Palmyra: toll rises to {n}", f"Palmyra count {n}."))

    http_server.set("/rss", rewritten)
    config = load_config(config_dir)
    with running_app(config, config_dir):
        wait_until(lambda: len(hook_posts(http_server)) >= 4, "4 posts at the hook", timeout=120,
                   show=lambda: hook_posts(http_server))
        for _ in range(5):  # five more rewrites, each handled by every stage: still no fifth post
            wait_settled(config, since=time.time())
    events = [p["event"] for p in hook_posts(http_server)]
    assert events == ["alert.created"] + ["alert.updated"] * 3  # the default cap: 3 in 24 h
    assert len(slack_texts(http_server)) == 4
    print(f"\nrewritten on each of {len(http_server.received('/rss'))} polls: webhook events {events}")
