"""A running worker seen from outside: its metrics scraped by a real Prometheus, its health probes.

The worker runs the whole pipeline on the demo site in a process of its own,
with a Redis server of its own, so the test can stop that Redis and watch
/readyz turn unready and ready again without disturbing other tests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import (
    SECRET,
    WEBHOOK_ALERTS,
    alert_keys,
    receiver,
    worker_process,
    write_config,
)
from tests.kit.http import LocalServer
from tests.kit.process import free_port
from tests.kit.prometheus import Prometheus
from tests.kit.waiting import wait_until
from worker.clients.kafka import Kafka
from worker.config import load_config
from worker.demo.site import DemoSite

pytestmark = pytest.mark.integration
FAMILIES = [
    "newswatch_fetch_polls_total", "newswatch_fetch_errors_total", "newswatch_fetch_entries_total",
    "newswatch_fetch_items_skipped_total",
    "newswatch_feed_last_success_timestamp_seconds", "newswatch_feed_consecutive_failures",
    "newswatch_feeds_in_backoff", "newswatch_extract_articles_total", "newswatch_extract_fallbacks_total",
    "newswatch_extract_seconds", "newswatch_match_articles_total", "newswatch_matches_total",
    "newswatch_config_info", "newswatch_config_reloads_total", "newswatch_muted_total",
    "newswatch_dedup_dropped_total",
    "newswatch_alerts_sent_total", "newswatch_alerts_retried_total", "newswatch_alerts_dead_lettered_total",
    "newswatch_alert_latency_seconds", "newswatch_consumer_lag", "newswatch_destination_state",
    "newswatch_destination_waiting_alerts", "newswatch_destination_oldest_waiting_seconds",
]


class RedisServer:
    """A redis-server of the test's own on a free port."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed; `make up` installs it"
        self.process = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        wait_until(lambda: _answers(self.port), f"redis-server to answer on port {self.port}", timeout=30)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(7).startswith(b"+PONG")
    except OSError:
        return False


def probe(port: int, path: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:  # noqa: S310
            return r.status, json.load(r)
    except urllib.error.HTTPError as err:
        return err.code, json.load(err)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def test_prometheus_sees_what_the_pipeline_did_and_readyz_follows_redis(
        tmp_path: Path, http_server: LocalServer, redis_server: RedisServer,
        prometheus_factory: Callable[[list[str]], Prometheus], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NW_E2E_SECRET", SECRET)
    site = DemoSite()
    port = free_port()
    folder = write_config(tmp_path / "config", site, http_server, f"ops-{uuid.uuid4().hex[:8]}",
                          metrics_port=port, redis_url=f"redis://127.0.0.1:{redis_server.port}/0")
    hook = receiver(http_server)
    worker = worker_process(folder, tmp_path / "worker.log")
    try:
        prometheus = prometheus_factory([f"127.0.0.1:{port}"])
        wait_until(lambda: alert_keys(hook.alerts()) == WEBHOOK_ALERTS, "every webhook alert",
                   timeout=120, show=lambda: (tmp_path / "worker.log").read_text()[-3000:])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:  # noqa: S310
            exposition = r.read().decode()
        missing = [f for f in FAMILIES if f"# TYPE {f} " not in exposition]
        assert not missing, missing
        expected = {
            "sum(newswatch_fetch_entries_total)": 6,
            "sum(newswatch_extract_articles_total)": 6,
            "sum(newswatch_match_articles_total)": 6,
            'newswatch_matches_total{route="conflict-desk"}': 2,
            'newswatch_dedup_dropped_total{kind="near"}': 2,
            'newswatch_alerts_sent_total{destination="siem"}': 3,
            'newswatch_alerts_sent_total{destination="slack-ops"}': 3,  # once per story (see dedup)
            'newswatch_alerts_sent_total{destination="teams-ops"}': 1,
            "sum(newswatch_alert_latency_seconds_count)": 3 + 3 + 3 + 1,  # siem, slack, console, teams
            'sum(newswatch_alerts_dead_lettered_total)': 0,
            'newswatch_destination_state{destination="siem", state="ok"}': 1,
            'sum(newswatch_destination_waiting_alerts)': 0,
        }
        for expr, value in expected.items():
            assert prometheus.wait_for(expr, lambda v, value=value: v == value) == value, expr
        assert prometheus.query("newswatch_config_info == 1")
        prefix = load_config(folder).settings.kafka.group_prefix
        wanted = {f"{prefix}{stage}" for stage in ("extract", "match", "deliver")}

        def lag_groups() -> set[str]:
            return {s["metric"]["group"] for s in prometheus.query("newswatch_consumer_lag")}

        wait_until(lambda: lag_groups() >= wanted, f"lag of {wanted}", show=lag_groups)

        assert probe(port, "/healthz")[0] == 200
        wait_until(lambda: probe(port, "/readyz")[0] == 200, "/readyz to say 200")
        redis_server.stop()
        wait_until(lambda: probe(port, "/readyz")[0] == 503, "/readyz to say 503 with Redis down")
        assert "redis" in probe(port, "/readyz")[1]["problems"]  # type: ignore[operator]
        redis_server.start()
        wait_until(lambda: probe(port, "/readyz")[0] == 200, "/readyz to say 200 again once Redis is back")
    finally:
        assert worker.stop() == 0
        site.close()
        Kafka(load_config(folder).settings.kafka).delete_topics()
