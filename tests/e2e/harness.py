"""The whole pipeline against the bundled demo site, with a local receiver standing in for Slack and a SIEM.

The config is the example config's watchlists, event types and routes (what
users start from), with the demo site's feeds, quick polling, short backoffs,
throwaway Kafka/Redis prefixes, and destinations pointed at the receiver.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tests.kit import config as kit_config
from tests.kit.http import Answer, LocalServer
from tests.kit.process import WorkerProcess
from tests.kit.receiver import Receiver
from worker.demo.site import DemoSite

SECRET = "whsec_" + "bmV3c3dhdGNoLWUyZS1zaWduaW5nLWtleQ=="
# What the example routes make of the demo site: the Palmyra story (conflict-desk and syria-cities
# both fire; they share slack-ops, which gets it once, from conflict-desk, naming both), a data
# breach and an acquisition at watched companies; the gala and the orchard fire nothing.
WEBHOOK_ALERTS = {("conflict-desk", "palmyra"), ("corporate-events", "harbor-bank-breach"),
                  ("corporate-events", "airbus-acquisition")}
SLACK_ALERTS = 3  # the three above: one message per story and destination


def write_config(folder: Path, site: DemoSite, server: LocalServer, prefix: str,
                 metrics_port: int = 0, redis_url: str | None = None) -> Path:
    feeds = [{"id": f.id, "url": site.feed_url(f.id), "interval": 1} for f in site.feeds]
    settings = {
        "kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-", "partitions": 3,
                  "poll_timeout": 0.2},
        "redis": {"key_prefix": f"{prefix}:", **({"url": redis_url} if redis_url else {})},
        "http": {"allow_private_hosts": ["127.0.0.1"], "total_timeout": 10},
        "fetch": {"min_interval": 0.5, "jitter": 0.2, "workers": 4, "host_interval": None},
        "extract": {"processes": 1},
        "deliver": {"retry": {"delays": [0.1, 0.2, 0.4], "open_after": 3, "probe_max": 0.3},
                    "slack_min_interval": 0.2, "timeout": 5},
        "metrics": {"port": metrics_port},
        "logging": {"format": "json"},
    }
    destinations = [
        {"id": "console", "type": "console", "format": "json"},
        {"id": "slack-ops", "type": "slack", "url": server.url("/slack")},
        {"id": "siem", "type": "webhook", "url": server.url("/hook"), "secret": "${NW_E2E_SECRET}"},
        {"id": "teams-ops", "type": "apprise",
         "url": server.url("/teams").replace("http://", "json://", 1)},
    ]
    sections = {"settings": settings, "feeds": feeds, "destinations": destinations}
    examples = ["event_types.yaml", "routes.yaml", "watchlists"]  # what users start from
    return kit_config.write_config(folder, sections, examples=examples)


def receiver(server: LocalServer, answers: Callable[[int], int] = lambda attempt: 200) -> Receiver:
    """The SIEM webhook (signed, answering `answers(attempt)`), and Slack and Teams answering 200."""
    server.set("/slack", Answer(200, b"ok"))
    server.set("/teams", Answer(200, b"ok"))  # the example routes' Apprise destination
    return Receiver(server, "/hook", secret=SECRET, answers=answers)


def slack_messages(server: LocalServer) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in server.received("/slack", "POST")]


def alert_keys(alerts: list[dict[str, object]]) -> set[tuple[str, str]]:
    """(route, story) for each alert, the Palmyra story named once whichever outlet came first."""
    keys = set()
    for alert in alerts:
        slug = str(alert["url"]).rsplit("/", 1)[-1]
        keys.add((str(alert["route"]), "palmyra" if slug.startswith("palmyra-falls") else slug))
    return keys


def worker_process(config_dir: Path, log: Path) -> WorkerProcess:
    """`newswatch run` on the e2e config (its webhook secret, JSON logs), as ops run it."""
    return WorkerProcess(config_dir, log=log,
                         env={**os.environ, "NW_E2E_SECRET": SECRET, "NEWSWATCH_LOG_FORMAT": "json"})
