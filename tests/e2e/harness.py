"""The whole pipeline against the bundled demo site, with a local receiver standing in for Slack and a SIEM.

The config is the example config's watchlists, event types and routes (what
users start from), with the demo site's feeds, quick polling, short backoffs,
throwaway Kafka/Redis prefixes, and destinations pointed at the receiver.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from standardwebhooks.webhooks import Webhook

from tests.httpserver import Answer, LocalServer, Recorded
from tests.process import WorkerProcess
from worker.demo.site import DemoSite

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_" + "bmV3c3dhdGNoLWUyZS1zaWduaW5nLWtleQ=="
# What the example routes make of the demo site: the Palmyra story (conflict-desk and syria-cities
# both fire; they share slack-ops, which gets it once, from conflict-desk, naming both), a data
# breach and an acquisition at watched companies; the gala and the orchard fire nothing.
WEBHOOK_ALERTS = {("conflict-desk", "palmyra"), ("corporate-events", "harbor-bank-breach"),
                  ("corporate-events", "airbus-acquisition")}
SLACK_ALERTS = 3  # the three above: one message per story and destination


def write_config(folder: Path, site: DemoSite, receiver: LocalServer, prefix: str,
                 metrics_port: int = 0, redis_url: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("event_types.yaml", "routes.yaml"):
        shutil.copy(ROOT / "config" / name, folder / name)
    shutil.copytree(ROOT / "config" / "watchlists", folder / "watchlists")
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
        {"id": "slack-ops", "type": "slack", "url": receiver.url("/slack")},
        {"id": "siem", "type": "webhook", "url": receiver.url("/hook"), "secret": "${NW_E2E_SECRET}"},
        {"id": "teams-ops", "type": "apprise",
         "url": receiver.url("/teams").replace("http://", "json://", 1)},
    ]
    (folder / "feeds.yaml").write_text(yaml.safe_dump({"feeds": feeds}))
    (folder / "settings.yaml").write_text(yaml.safe_dump({"settings": settings}))
    (folder / "destinations.yaml").write_text(yaml.safe_dump({"destinations": destinations}))
    return folder


@dataclass
class Receiver:
    """The SIEM webhook and the Slack webhook, answering as a test says, checking every signature."""

    server: LocalServer
    hook_answers: Callable[[int], Answer] = field(default=lambda attempt: Answer(200))
    bad_signatures: list[str] = field(default_factory=list)
    answered: list[tuple[str, int, bytes]] = field(default_factory=list)  # webhook-id, status, body
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.server.set("/hook", self._hook)
        self.server.set("/slack", Answer(200, b"ok"))
        self.server.set("/teams", Answer(200, b"ok"))  # the example routes' Apprise destination

    def _hook(self, rec: Recorded) -> Answer:
        webhook_id = rec.headers.get("webhook-id", "")
        try:
            Webhook(SECRET).verify(rec.body, rec.headers)
        except Exception as exc:  # noqa: BLE001 - any failure is what the test reports
            self.bad_signatures.append(f"{webhook_id}: {exc}")
        with self._lock:
            attempt = 1 + sum(1 for wid, _, _ in self.answered if wid == webhook_id)
            answer = self.hook_answers(attempt)
            self.answered.append((webhook_id, answer.status, rec.body))
        return answer

    def delivered(self) -> list[dict[str, object]]:
        """Alerts the receiver accepted (answered 2xx), one entry per accepted POST."""
        with self._lock:
            return [json.loads(body) for _, status, body in self.answered if status < 300]

    def attempts(self) -> Counter[str]:
        with self._lock:
            return Counter(wid for wid, _, _ in self.answered)

    def slack_messages(self) -> list[dict[str, object]]:
        return [json.loads(r.body) for r in self.server.received("/slack", "POST")]


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
