"""The HTTP client for hostile input: feeds and article pages.

Feeds and pages are written by strangers, so every request is capped in size
and time, redirects are followed by hand (a bounded number, http/https only),
and every address a host resolves to is checked before the request: one that
is loopback, private, link-local (cloud metadata), reserved or multicast, or an
IPv6 form of one, is refused unless the host is in
`settings.http.allow_private_hosts`. The request is then pinned to the
addresses that were checked (libcurl's `RESOLVE`), so a second DNS answer
cannot send it elsewhere: that is what defeats DNS rebinding. The rule is
`worker.addresses.AddressPolicy`, the one `config check` applies; each URL is
requested rebuilt around its host as browsers read it (`127.1` is 127.0.0.1),
and one the client cannot parse is a `FetchError` of kind `invalid_url`.

Requests go through libcurl (pycurl), one handle per thread, each keeping its
connections alive: the worker's main process fetches every page and posts
every alert, and through httpx's transport (HTTP/1.1 parsed in Python by
httpcore and h11) a 75 kB gzip page cost it 0.62 ms of CPU and an alert's
POST 0.36 ms, through libcurl 0.33 and 0.14 (`python -m bench.http`, 7
December). Cookies are kept in one jar for the client, as a browser keeps
them, shared by its handles.

Destinations (Slack, webhooks) are configured by ops, not strangers; they use
`HttpClient(..., guard=False)` so an internal SIEM stays reachable.
"""

from __future__ import annotations

import email.utils
import ipaddress
import math
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import certifi
import pycurl

from worker.addresses import AddressPolicy, IPAddress, Target, URLRefused, fetch_target, host_text
from worker.config.models import HttpSettings
from worker.errors import BlockedURL, FetchError, FetchErrorKind, http_error_kind

# What the client asks for; libcurl decodes each of them (this build has no zstd).
ACCEPT_ENCODING = "gzip, deflate, br"
POST_ANSWER_CAP = 64 * 1024  # a destination's answer is read for its status and an excerpt, no more
RESOLVED_FOR = 30.0  # seconds a host's checked addresses are reused, as a connection pool would keep them
RESOLVED_HOSTS = 4096  # past this many hosts remembered, the expired ones are forgotten
_REDIRECTS = (301, 302, 303, 307, 308)
# libcurl's errors, by what they mean for the caller (the rest: the connection failed or broke off).
_TIMED_OUT = (pycurl.E_OPERATION_TIMEDOUT,)
_BAD_URL = (pycurl.E_URL_MALFORMAT, pycurl.E_UNSUPPORTED_PROTOCOL)
_CERTIFICATES = certifi.where()  # the same roots httpx trusted; libcurl's build would look elsewhere


@dataclass(frozen=True)
class Response:
    """A whole response; `url` is the final one, after redirects."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    elapsed: float

    def retry_after(self) -> float | None:
        """Seconds from a Retry-After header, in either of its forms: seconds, or an HTTP date."""
        value = self.headers.get("retry-after", "").strip()
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            at = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return max(0.0, (at - datetime.now(UTC)).total_seconds())


@dataclass(frozen=True)
class _Limits:
    """What one request may take: bytes of body, and seconds to connect, between bytes, in all."""

    max_bytes: int
    connect: float
    read: float
    deadline: float  # time.monotonic() by which the whole request is over


class _Exchange:
    """One request's answer as libcurl hands it over: the headers of the last response, the body
    (refused past `cap` bytes, once decoded: a gzip bomb too)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.headers: dict[str, str] = {}
        self.body = bytearray()
        self.over = False

    def header(self, line: bytes) -> None:
        text = line.decode("latin-1").rstrip("\r\n")
        if text.startswith("HTTP/"):
            self.headers = {}  # a new response (after an interim 100): its own headers only
            return
        name, colon, value = text.partition(":")
        if colon and name.strip():
            key, value = name.strip().lower(), value.strip()
            self.headers[key] = f"{self.headers[key]}, {value}" if key in self.headers else value

    def write(self, chunk: bytes) -> int | None:
        self.body += chunk
        if len(self.body) > self.cap:
            self.over = True
            return 0  # anything but the chunk's length aborts the transfer
        return None


class HttpClient:
    """GET for feeds and pages (`fetch`), POST for destinations (`post`); thread-safe."""

    def __init__(self, settings: HttpSettings, *, guard: bool = True) -> None:
        self.settings = settings
        self.guard = guard
        self.policy = AddressPolicy(settings.allow_private_hosts)
        self._headers = [f"User-Agent: {settings.user_agent}", "Accept: */*", "Expect:"]
        self._cookies = pycurl.CurlShare()
        self._cookies.setopt(pycurl.SH_SHARE, pycurl.LOCK_DATA_COOKIE)
        self._local = threading.local()
        self._handles: list[pycurl.Curl] = []
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._resolved: dict[tuple[str, int], tuple[float, str]] = {}  # -> (until, RESOLVE entry)

    def fetch(self, url: str, *, max_bytes: int, headers: Mapping[str, str] | None = None) -> Response:
        """GET with redirects, caps and the address guard; 304 is returned, other >= 400 raise."""
        deadline = time.monotonic() + self.settings.total_timeout
        limits = _Limits(max_bytes, self.settings.connect_timeout, self.settings.read_timeout, deadline)
        for _ in range(self.settings.max_redirects + 1):
            target = self._target(url)
            url = target.url
            response = self._get_once(target, headers or {}, limits)
            location = response.headers.get("location")
            if response.status in _REDIRECTS and location is not None:
                url = _redirect(url, location)
                continue
            if response.status >= 400:
                later = response.retry_after() if response.status in (429, 503) else None
                raise FetchError(url, f"HTTP {response.status}", kind=http_error_kind(response.status),
                                 retry_after=later)
            return response
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects", kind="redirects")

    def post(self, url: str, *, content: bytes, headers: Mapping[str, str], timeout: float) -> Response:
        """POST to a configured destination; any status is returned for the caller to judge."""
        try:
            target = fetch_target(url)
        except URLRefused as exc:
            raise FetchError(url, exc.reason, kind=exc.kind) from None
        limits = _Limits(POST_ANSWER_CAP, timeout, timeout, time.monotonic() + timeout)
        return self._perform(target, headers, content, limits, cap_answer=False)

    def close(self) -> None:
        with self._lock:
            handles, self._handles = self._handles, []
        for handle in handles:
            handle.close()
        self._local = threading.local()

    def _target(self, url: str) -> Target:
        """The URL as requested (its host canonical), or the FetchError that says why it is not."""
        try:
            return self.policy.check(url) if self.guard else fetch_target(url)
        except URLRefused as exc:
            if exc.kind == "blocked":
                raise BlockedURL(url, exc.reason) from None
            raise FetchError(url, exc.reason, kind=exc.kind) from None

    def _get_once(self, target: Target, headers: Mapping[str, str], limits: _Limits) -> Response:
        host = host_text(target.host)
        slot = self._host_slot(host)
        if not slot.acquire(timeout=max(0.0, limits.deadline - time.monotonic())):
            raise FetchError(target.url, f"too many requests to {host} at once; timed out waiting",
                             kind="timeout")
        try:
            return self._perform(target, headers, None, limits, cap_answer=True)
        finally:
            slot.release()

    def _perform(self, target: Target, headers: Mapping[str, str], body: bytes | None, limits: _Limits,
                 *, cap_answer: bool) -> Response:
        """One request on this thread's handle. `cap_answer`: a body past the cap is an error (a feed,
        a page), else it is cut there (a destination's answer)."""
        url, start = target.url, time.monotonic()
        handle = self._handle()
        exchange = _Exchange(limits.max_bytes)
        handle.reset()
        handle.setopt(pycurl.URL, url)
        handle.setopt(pycurl.NOSIGNAL, 1)  # threads: no SIGALRM for DNS timeouts
        handle.setopt(pycurl.PROXY, "")  # no proxy from the environment
        handle.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        handle.setopt(pycurl.CAINFO, _CERTIFICATES)
        handle.setopt(pycurl.COOKIEFILE, "")  # the cookie engine, on the jar shared since the handle's start
        handle.setopt(pycurl.HTTPHEADER, [*self._headers, *_header_lines(headers)])
        handle.setopt(pycurl.HEADERFUNCTION, exchange.header)
        handle.setopt(pycurl.WRITEFUNCTION, exchange.write)
        handle.setopt(pycurl.CONNECTTIMEOUT_MS, max(1, int(limits.connect * 1000)))
        handle.setopt(pycurl.TIMEOUT_MS, max(1, int((limits.deadline - start) * 1000)))
        handle.setopt(pycurl.LOW_SPEED_LIMIT, 1)  # a read timeout: no byte for `read` seconds
        handle.setopt(pycurl.LOW_SPEED_TIME, max(1, math.ceil(limits.read)))
        if body is None:
            handle.setopt(pycurl.ACCEPT_ENCODING, ACCEPT_ENCODING)
            handle.setopt(pycurl.MAXFILESIZE_LARGE, limits.max_bytes)  # a declared length past the cap
        else:
            handle.setopt(pycurl.POSTFIELDSIZE_LARGE, len(body))
            handle.setopt(pycurl.COPYPOSTFIELDS, body)
        if self.guard and isinstance(target.host, str):
            handle.setopt(pycurl.RESOLVE, [self._checked(target)])
        try:
            handle.perform()
        except pycurl.error as exc:
            if exchange.over and not cap_answer:
                pass  # a destination's long answer: its first bytes are enough
            else:
                raise _failure(target.url, exc, exchange, limits) from None
        status = int(handle.getinfo(pycurl.RESPONSE_CODE))
        content = bytes(exchange.body[:limits.max_bytes])
        return Response(url, status, exchange.headers, content, time.monotonic() - start)

    def _checked(self, target: Target) -> str:
        """The RESOLVE entry that pins a named host to its addresses, every one of them checked."""
        host, port = str(target.host), target.port
        now = time.monotonic()
        known = self._resolved.get((host, port))
        if known is not None and known[0] > now:
            return known[1]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise FetchError(target.url, f"cannot resolve {host}: {exc}", kind="connect") from None
        addresses: list[IPAddress] = list(dict.fromkeys(ipaddress.ip_address(i[4][0]) for i in infos))
        for address in addresses:  # every answer must pass, not just the one used
            if why := self.policy.refusal(target.host, address):
                raise BlockedURL(target.url, why)
        # "+": libcurl's cache lets the entry expire as it would a DNS answer, not keep it forever
        entry = f"+{host}:{port}:{','.join(host_text(a) for a in addresses)}"
        if len(self._resolved) >= RESOLVED_HOSTS:
            self._resolved = {k: v for k, v in self._resolved.items() if v[0] > now}
        self._resolved[host, port] = (now + RESOLVED_FOR, entry)
        return entry

    def _handle(self) -> pycurl.Curl:
        handle: pycurl.Curl | None = getattr(self._local, "handle", None)
        if handle is None:
            handle = self._local.handle = pycurl.Curl()
            handle.setopt(pycurl.SHARE, self._cookies)  # kept across reset()
            with self._lock:
                self._handles.append(handle)
        return handle

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host_concurrency)
            return slot


def _header_lines(headers: Mapping[str, str]) -> list[str]:
    """Request headers as libcurl takes them; a value holding a line break (an ETag a server sent) is
    left out rather than let it write a header of its own."""
    return [f"{name}: {value}" for name, value in headers.items()
            if not any(c in value or c in name for c in "\r\n\0")]


def _redirect(url: str, location: str) -> str:
    """Where a redirect points, made absolute; a FetchError when its Location does not parse."""
    try:
        return urljoin(url, location.strip())
    except ValueError as exc:
        raise FetchError(url, f"the redirect does not parse ({exc})", kind="invalid_url") from None


def _failure(url: str, exc: pycurl.error, exchange: _Exchange, limits: _Limits) -> FetchError:
    """libcurl's error as the FetchError that names its kind."""
    code, message = exc.args[0], str(exc.args[1]) if len(exc.args) > 1 else ""
    kind: FetchErrorKind = "connect"
    if exchange.over:
        return FetchError(url, f"body exceeds the cap of {limits.max_bytes} bytes", kind="too_large")
    if code == pycurl.E_FILESIZE_EXCEEDED:
        declared = exchange.headers.get("content-length", "more")
        return FetchError(url, f"body of {declared} bytes exceeds the cap of {limits.max_bytes}",
                          kind="too_large")
    if code in _TIMED_OUT:
        late = "took longer than the total timeout" if time.monotonic() >= limits.deadline - 0.05 else (
            f"timed out ({message})")
        return FetchError(url, late, kind="timeout")
    if code in _BAD_URL:
        kind = "invalid_url"
    return FetchError(url, f"{message or 'libcurl error'} (curl {code})", kind=kind)
