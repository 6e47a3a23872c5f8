"""The fault suite's rig: its own Kafka and Redis, feeds that gain items, a signed receiver, workers.

Everything here runs on ports and in a state folder of the suite's own
(NEWSWATCH_FAULTS_KAFKA, NEWSWATCH_FAULTS_REDIS, NEWSWATCH_FAULTS_STATE), so
the shared broker and Redis that tests and other work use are never touched.
A service is signalled only through the pid file that deploy/local wrote when
the suite started it; a service the suite finds already answering on its
ports is refused, never reused.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml
from standardwebhooks.webhooks import Webhook

from bench.pages import PLACES, Page, page
from tests.httpserver import Answer, LocalServer, Recorded
from tests.polling import wait_until
from tests.process import WorkerProcess
from worker.clients.kafka import Kafka
from worker.config.models import KafkaSettings

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "deploy" / "local"
SECRET = "whsec_" + "ZmF1bHQtc3VpdGUtc2lnbmluZy1rZXktMDEyMw=="
FEEDS = 20
SHOWN = 200  # items a feed lists, newest first


class Service:
    """Kafka or Redis of the suite's own, started by deploy/local/<name>.sh with the suite's settings."""

    def __init__(self, name: str, env: dict[str, str], pidfile: Path) -> None:
        self.name = name
        self.env = env
        self.pidfile = pidfile

    def up(self, **extra: str) -> float:
        """Start the service (and wait until it answers); return when it answered (monotonic)."""
        result = subprocess.run([str(LOCAL / f"{self.name}.sh"), "up"], env={**self.env, **extra},
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or "we did not start" in result.stdout:
            raise SystemExit(f"fault suite: {self.name} did not start as ours:\n"
                             f"{result.stdout}{result.stderr}")
        return time.monotonic()

    def pid(self) -> int:
        return int(self.pidfile.read_text().strip())

    def signal(self, sig: signal.Signals) -> None:
        """Send `sig` to the process we started and wait until it has exited."""
        pid = self.pid()
        os.kill(pid, sig)
        wait_until(lambda: not _alive(pid), f"{self.name} (pid {pid}) to exit on {sig.name}")

    def down(self) -> None:
        subprocess.run([str(LOCAL / f"{self.name}.sh"), "down"], env=self.env, capture_output=True,
                       check=False)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Services:
    def __init__(self) -> None:
        state = Path(os.environ.get("NEWSWATCH_FAULTS_STATE", ROOT / ".state" / "faults")).resolve()
        self.bootstrap = os.environ.get("NEWSWATCH_FAULTS_KAFKA", "127.0.0.1:29092")
        self.redis_url = os.environ.get("NEWSWATCH_FAULTS_REDIS", "redis://127.0.0.1:26379/0")
        env = {**os.environ, "NEWSWATCH_STATE_DIR": str(state), "NEWSWATCH_KAFKA_BOOTSTRAP": self.bootstrap,
               "NEWSWATCH_REDIS_URL": self.redis_url}
        self.state = state
        self.kafka = Service("kafka", env, state / "kafka" / "kafka.pid")
        self.redis = Service("redis", env, state / "redis" / "redis.pid")

    def __enter__(self) -> Services:
        self.state.mkdir(parents=True, exist_ok=True)
        self._lock = (self.state / "suite.lock").open("w")
        try:  # a second suite on the same folder would stop this one's services when it ends
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SystemExit(f"fault suite: another one runs on {self.state}; wait for it, or set "
                             f"NEWSWATCH_FAULTS_STATE, _KAFKA and _REDIS to other ones") from None
        self.redis.up()
        self.kafka.up()
        return self

    def __exit__(self, *_: object) -> None:
        self.kafka.down()
        self.redis.down()
        self._lock.close()


class Feeds:
    """20 RSS feeds on a local server; `publish` adds the next page to the next feed."""

    def __init__(self, first: int) -> None:
        self.server = LocalServer()
        self.items: list[list[tuple[Page, float]]] = [[] for _ in range(FEEDS)]
        self.published: list[str] = []
        self.next = first
        self.lock = threading.Lock()
        for feed in range(FEEDS):
            self.server.set(f"/feed/{feed}.xml", self._feed(feed))

    def publish(self) -> None:
        item = page(self.next)
        self.server.set(item.path, body=item.html, headers={"Content-Type": "text/html; charset=utf-8"})
        with self.lock:
            self.items[self.next % FEEDS].append((item, time.time()))
            self.published.append(item.path)
            self.next += 1

    def _feed(self, feed: int):  # type: ignore[no-untyped-def]
        def answer(_: Recorded) -> Answer:
            with self.lock:
                items = list(self.items[feed][-SHOWN:])
            base = self.server.url("")
            body = "".join(
                f"<item><title>{escape(p.title)}</title><link>{base}{p.path}</link><guid>{p.path}</guid>"
                f"<pubDate>{format_datetime(datetime.fromtimestamp(at, UTC))}</pubDate></item>"
                for p, at in reversed(items))
            return Answer(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
                               f"<link>{base}/</link><description>faults</description>{body}</channel></rss>"
                          .encode(), {"Content-Type": "application/rss+xml"})
        return answer

    def close(self) -> None:
        self.server.close()


class Receiver:
    """The webhook receiver: checks every signature, counts each article's accepted alerts.

    It can be taken down (the port refuses connections) and brought back on
    the same port, or told to hang: accept and answer nothing until a time.
    """

    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()  # article path -> 2xx answers
        self.first: dict[str, float] = {}  # article path -> monotonic time of its first 2xx
        self.times: list[float] = []  # monotonic time of each accepted alert
        self.bad_signatures = 0
        self.hang_until = 0.0
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0
        self.up()

    def up(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.handle(self, body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
                """Quiet."""

        ThreadingHTTPServer.allow_reuse_address = True
        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def handle(self, request: BaseHTTPRequestHandler, body: bytes) -> None:
        if time.monotonic() < self.hang_until:
            # accepted and never answered: held until the hang ends (the sender gave up long
            # before), then dropped unread, as a receiver that hung would have lost it
            while time.monotonic() < self.hang_until:
                time.sleep(0.2)
            request.close_connection = True
            return
        try:
            Webhook(SECRET).verify(body, dict(request.headers.items()))
            path = "/" + str(json.loads(body)["url"]).split("/", 3)[3]
        except Exception:  # noqa: BLE001 - a bad signature or body is counted, and refused
            with self.lock:
                self.bad_signatures += 1
            request.send_response(400)
            request.end_headers()
            return
        with self.lock:
            self.accepted[path] += 1
            self.times.append(time.monotonic())
            self.first.setdefault(path, self.times[-1])
        try:
            request.send_response(200)
            request.send_header("Content-Length", "2")
            request.end_headers()
            request.wfile.write(b"ok")
        except OSError:
            pass  # the sender gave up first: it will send again, and the receiver counts a duplicate

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def first_after(self, moment: float) -> float | None:
        with self.lock:
            later = [t for t in self.times if t >= moment]
        return min(later) - moment if later else None


def write_config(folder: Path, feeds: Feeds, receiver: Receiver, prefix: str, metrics_port: int) -> None:
    """The rig's config: every page names a watched port city, so each item is one alert at the receiver.

    NEWSWATCH_FAULTS_SETTINGS names a YAML file of settings merged over these
    (for example a deliver retry schedule to try); deliver's own defaults apply otherwise.
    """
    folder.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {
        "kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-", "partitions": 3,
                  "poll_timeout": 0.5},
        "redis": {"key_prefix": f"{prefix}:"},
        "http": {"allow_private_hosts": ["127.0.0.1"], "total_timeout": 10},
        # every rig feed is on one local host: no host pacing, which would measure the pace
        "fetch": {"adaptive": False, "min_interval": 1, "jitter": 0.2, "workers": 8, "host_interval": None},
        "extract": {"processes": 1},
        "metrics": {"port": metrics_port},
        "logging": {"format": "json"},
    }
    extra = os.environ.get("NEWSWATCH_FAULTS_SETTINGS")
    if extra:
        _merge(settings, yaml.safe_load(Path(extra).read_text()) or {})
    config = {
        "settings": settings,
        "feeds": [{"id": f"fault-{i}", "url": feeds.server.url(f"/feed/{i}.xml"), "interval": 1}
                  for i in range(FEEDS)],
        "watchlists": [{"id": "ports", "name": "Port cities",
                        "entities": [{"id": f"place-{i}", "name": p} for i, p in enumerate(PLACES)]}],
        "routes": [{"id": "ports", "when": {"watchlists": {"any": ["ports"]}}, "to": ["receiver"]}],
        "destinations": [{"id": "receiver", "type": "webhook", "url": receiver.url(),
                          "secret": "${FAULTS_WEBHOOK_SECRET}"}],
    }
    (folder / "faults.yaml").write_text(yaml.safe_dump(config, allow_unicode=True))


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


class Workers:
    """`newswatch run` processes on the rig's config, against the suite's Kafka and Redis."""

    def __init__(self, services: Services, folder: Path, feeds: Feeds, receiver: Receiver,
                 prefix: str) -> None:
        self.folder = folder
        self.feeds = feeds
        self.receiver = receiver
        self.prefix = prefix
        self.env = {**os.environ, "FAULTS_WEBHOOK_SECRET": SECRET,
                    "NEWSWATCH_KAFKA_BOOTSTRAP": services.bootstrap,
                    "NEWSWATCH_REDIS_URL": services.redis_url}
        self.processes: list[WorkerProcess] = []

    def start(self, metrics_port: int = 0) -> WorkerProcess:
        folder = self.folder / f"worker-{len(self.processes)}"
        write_config(folder, self.feeds, self.receiver, self.prefix, metrics_port)
        process = WorkerProcess(folder, env=self.env)
        self.processes.append(process)
        return process

    def kill(self, process: WorkerProcess) -> None:
        process.kill()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.exit_code() is None:
                process.stop()


def dead_letters(bootstrap: str, prefix: str) -> int:
    """Records on the run's dead-letter topic."""
    kafka = Kafka(KafkaSettings(bootstrap=bootstrap, topic_prefix=f"{prefix}.", group_prefix=f"{prefix}-"),
                  client_id="newswatch-faults")
    consumer = kafka.consumer(f"{prefix}-count-{uuid.uuid4().hex[:6]}", ["deadletter"])
    try:
        def assigned() -> bool:
            if not consumer.assigned:
                consumer.poll(0.5)
            return bool(consumer.assigned)
        wait_until(assigned, "the dead-letter topic's partitions, to count its records", step=0)
        return sum(consumer.ends().values())
    finally:
        consumer.close()
