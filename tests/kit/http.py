"""A real HTTP server on 127.0.0.1 for tests and benches: serves feeds and pages, receives webhooks.

Each path is set up with what it answers (status, headers, body, delay, a
trickle of chunks, ETag handling) or with a handler; every request is
recorded so tests can assert what the worker sent.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between 1 kB chunks: a slow server
    etag: str | None = None  # answer 304 to a matching If-None-Match
    gzip: bool = False
    drop: bool = False  # after `delay`, close the connection without an answer: a receiver that hung


Handler = Callable[[Recorded], Answer]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answer headers and body go out at once, as real servers send them
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        rec = Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                       self.rfile.read(length) if length else b"", time.time())
        answer = self.server.owner.record(rec)
        self._answer(rec, answer(rec) if callable(answer) else answer)

    def _answer(self, rec: Recorded, answer: Answer) -> None:
        time.sleep(answer.delay)
        if answer.drop:
            self.close_connection = True
            return
        body, headers, status = answer.body, dict(answer.headers), answer.status
        if answer.etag:
            headers["ETag"] = answer.etag
            if rec.headers.get("if-none-match") == answer.etag:
                status, body = 304, b""
        if answer.gzip and body:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self._write(body, answer.trickle)

    def _write(self, body: bytes, trickle: float) -> None:
        try:
            step = 1024 if trickle else max(1, len(body))
            for i in range(0, len(body), step):
                self.wfile.write(body[i:i + step])
                self.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_HEAD = _serve  # noqa: N815


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # `up` after `down` binds the same port at once
    owner: LocalServer

    def server_activate(self) -> None:
        super().server_activate()
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        """Close the kept-alive connections too: a receiver that went down answers no one, not only
        new connections (a client's pooled connection would otherwise go on being served)."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class LocalServer:
    """The server; `down` closes its port and its open connections (connections are refused) and `up`
    opens the same one again."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer | Handler] = {}
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self.port = 0
        self._server: _Server | None = None
        self.up()

    def up(self) -> None:
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.owner = self
        self.port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._server = server

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.drop_connections()
            self._server = None

    def record(self, rec: Recorded) -> Answer | Handler:
        with self._lock:
            self.requests.append(rec)
            return self.answers.get(rec.path.split("?")[0]) or Answer(404, b"not found")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(self, path: str, answer: Answer | Handler | None = None, **kwargs: object) -> str:
        """Answer `path` with `answer` (or an Answer built from kwargs); return its URL."""
        with self._lock:
            self.answers[path] = answer if answer is not None else Answer(**kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def received(self, path: str, method: str | None = None) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests
                    if r.path.split("?")[0] == path and (method is None or r.method == method)]

    def close(self) -> None:
        self.down()
