"""Flood control against the real Kafka, Redis and a local receiver: a burst of 500 alerts, two replicas."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter

import pytest

from tests.deliver.conftest import FAST, alert, config, match
from tests.kit.http import LocalServer
from tests.kit.running import running_stages
from tests.kit.topics import publish
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Burst, KafkaSettings, Route, Settings, Terms, When
from worker.deliver.digest import Digests
from worker.deliver.flood import FloodControl, flood_heading
from worker.deliver.ledger import Ledger
from worker.logs import get_logger
from worker.records import Digest

log = get_logger(__name__)
BURST = Burst(count=10, per=10.0)
ARTICLES = 500
HEADING = re.compile(r"^flood: (\d+) more alerts on route conflict, summarised every 10 seconds$")
SLACK_HEADING = re.compile(HEADING.pattern.removesuffix("$") + r"(?: \(part (\d+) of \d+\))?$")


def test_a_burst_gives_the_budget_in_messages_and_every_other_alert_in_a_summary(
        http_server: LocalServer, redis_store: Redis, kafka_settings: KafkaSettings) -> None:
    settings = Settings(redis=redis_store.settings, kafka=kafka_settings,
                        deliver=FAST.model_copy(update={"slack_min_interval": 0.05}))
    base = config(settings, hook_url=http_server.set("/hook", status=200),
                  slack_url=http_server.set("/slack", status=200, body=b"ok"))
    route = Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=["hook", "slack"], burst=BURST)
    cfg = base.model_copy(update={"routes": [route]})
    kafka = Kafka(kafka_settings, client_id=f"flood-{uuid.uuid4().hex[:6]}")
    kafka.ensure_topics()
    matches = [match(title=f"Burst {n}", destinations=("hook", "slack")) for n in range(ARTICLES)]
    publish(kafka, "matches", matches, key=lambda m: m.id)
    clients = Clients(kafka, redis_store)
    try:
        with running_stages(cfg, clients, "deliver"), running_stages(cfg, clients, "deliver"):  # two replicas
            wait_until(lambda: _hook_alerts(http_server)[0] + _hook_alerts(http_server)[1] >= ARTICLES
                       and _slack_counts(http_server)[0] + _slack_counts(http_server)[2] >= ARTICLES,
                       f"{ARTICLES} articles at the hook and in Slack", timeout=180,
                       show=lambda: (_hook_alerts(http_server), _slack_counts(http_server)))
    finally:
        kafka.delete_topics()

    alert_ids = {m.routes[0].alert_id for m in matches}
    posts = [json.loads(p.body) for p in http_server.received("/hook", "POST")]
    singles = [p["id"] for p in posts if p["type"] == "alert"]
    digests = [Digest.model_validate(p) for p in posts if p["type"] == "digest"]
    summarised = [a.id for d in digests for a in d.alerts]
    assert Counter(singles + summarised) == Counter(alert_ids)  # every alert once: sent or summarised
    assert all(d.budget == BURST.count and HEADING.match(flood_heading(d) or "") for d in digests)
    for destination in ("hook", "slack"):  # per window: the budget in messages, the rest summarised
        counts = _window_counts(redis_store, destination)
        assert sum(min(n, BURST.count) for n in counts) == (
            len(singles) if destination == "hook" else _slack_counts(http_server)[0])
        assert sum(max(0, n - BURST.count) for n in counts) == (
            len(summarised) if destination == "hook" else _slack_counts(http_server)[2])
        assert len(counts) >= 1 and sum(counts) == ARTICLES
    slack_singles, slack_digests, slack_summarised = _slack_counts(http_server)
    log.info("burst figures", articles=ARTICLES, windows=len(_window_counts(redis_store, "hook")),
             hook_singles=len(singles), hook_digests=len(digests), hook_summarised=len(summarised),
             slack_singles=slack_singles, slack_digests=slack_digests, slack_summarised=slack_summarised)
    print(f"\nburst of {ARTICLES}: webhook {len(singles)} single messages, {len(digests)} digests holding "
          f"{len(summarised)} alerts; Slack {slack_singles} single messages, {slack_digests} digests "
          f"holding {slack_summarised} alerts; windows {_window_counts(redis_store, 'hook')}")


def _hook_alerts(server: LocalServer) -> tuple[int, int]:
    posts = [json.loads(p.body) for p in server.received("/hook", "POST")]
    return (sum(1 for p in posts if p["type"] == "alert"),
            sum(len(p["alerts"]) for p in posts if p["type"] == "digest"))


def _slack_counts(server: LocalServer) -> tuple[int, int, int]:
    """Single messages, flood summaries, and the alerts the summaries' headings count; a summary too
    long for one Slack message comes in parts, each headed "(part n of m)", counted once."""
    singles = digests = summarised = 0
    for post in server.received("/slack", "POST"):
        heading = json.loads(post.body)["blocks"][0]["text"]["text"].strip("*")
        if found := SLACK_HEADING.match(heading):
            if found.group(2) in (None, "1"):
                digests, summarised = digests + 1, summarised + int(found.group(1))
        else:
            singles += 1
    return singles, digests, summarised


def _window_counts(store: Redis, destination: str) -> list[int]:
    """Each window's alert count for the route and destination, as the replicas shared it."""
    keys = sorted(store.scan(store.keys.flood("conflict", destination, "*")))
    return [int(store.hget(k, "#") or 0) for k in keys]


@pytest.mark.integration
def test_an_alert_read_again_in_a_later_window_keeps_its_number(redis_store: Redis) -> None:
    """A batch read again after a rebalance may fall in the next window: its alerts keep the place they
    took, and the new window's count does not take them again (a 10 s window on a loaded machine did)."""
    now = [1_000_000.0]
    ledger = Ledger(redis_store, ttl=3600)
    flood = FloodControl(redis_store, Digests(redis_store, ledger), ledger, clock=lambda: now[0])
    budget = Burst(count=2, per=10.0)
    first = [flood.admit(alert(n=n), "hook", budget) for n in range(3)]
    now[0] += 10.0
    again = [flood.admit(alert(n=n), "hook", budget) for n in range(3)]
    assert first == again == [True, True, False]
    assert _window_counts(redis_store, "hook") == [3]
