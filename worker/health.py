"""Liveness and readiness of a worker process, served with its metrics on one port.

`/healthz` answers 200 while every stage loop of the process keeps turning;
`/readyz` answers 200 while Kafka and Redis answer, each consumer stage has
created its consumer and has partitions assigned, and a config is loaded.
Kubernetes restarts on the first and routes on the second.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

if TYPE_CHECKING:
    from worker.clients.kafka import Consumer

Check = Callable[[], str | None]  # None when fine, else why not
STALL_SECONDS = 120.0


class Health:
    def __init__(self) -> None:
        self._beats: dict[str, float] = {}
        self._consumers: dict[str, Consumer | None] = {}
        self._checks: dict[str, Check] = {}
        self._lock = threading.Lock()

    def beat(self, loop: str) -> None:
        self._beats[loop] = time.monotonic()

    def expect_consumer(self, stage: str) -> None:
        """Count `stage` as not ready until its consumer exists: a stage still starting is not ready."""
        with self._lock:
            self._consumers.setdefault(stage, None)

    def watch_consumer(self, stage: str, consumer: Consumer) -> None:
        with self._lock:
            self._consumers[stage] = consumer

    def forget_consumer(self, stage: str) -> None:
        with self._lock:
            self._consumers.pop(stage, None)
            self._beats.pop(stage, None)

    def add_check(self, name: str, check: Check) -> None:
        self._checks[name] = check

    def live(self) -> dict[str, str]:
        """Loops that have not turned for too long (empty when live)."""
        now = time.monotonic()
        return {loop: f"no turn for {now - at:.0f}s" for loop, at in list(self._beats.items())
                if now - at > STALL_SECONDS}

    def ready(self) -> dict[str, str]:
        """What is not ready yet (empty when ready)."""
        problems: dict[str, str] = {}
        with self._lock:
            consumers = dict(self._consumers)
        for stage, consumer in consumers.items():
            if consumer is None:
                problems[f"{stage}.partitions"] = "consumer not created yet"
            elif not consumer.assigned:
                waited = consumer.unassigned_for() or 0.0
                problems[f"{stage}.partitions"] = (f"no partitions assigned for {waited:.0f}s "
                                                   f"(group {consumer.group})")
        for name, check in list(self._checks.items()):
            try:
                why = check()
            except Exception as exc:  # noqa: BLE001 - a failing check is an answer, not a crash
                why = f"{type(exc).__name__}: {exc}"
            if why:
                problems[name] = why
        return problems


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Probes hit these endpoints every few seconds; they do not belong in the logs."""


def serve(health: Health, host: str, port: int) -> WSGIServer:
    """Start /metrics, /healthz and /readyz on a daemon thread; return the server."""
    metrics_app = make_wsgi_app()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in ("/healthz", "/readyz"):
            problems = health.live() if path == "/healthz" else health.ready()
            status = "503 Service Unavailable" if problems else "200 OK"
            body = json.dumps({"ok": not problems, "problems": problems}).encode()
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        result: Iterable[bytes] = metrics_app(environ, start_response)
        return result

    server = make_server(host, port, app, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, name="metrics-http", daemon=True).start()
    return server
