"""The HTTP client for hostile input: feeds and article pages.

Feeds and pages are written by strangers, so every request is capped in size
and time, redirects are followed by hand (a bounded number, http/https only),
and every connection is checked at connect time: an address that is loopback,
private, link-local (cloud metadata), reserved or multicast, or an IPv6 form of
one, is refused unless the host is in `settings.http.allow_private_hosts`.
Checking the address the socket actually connects to, rather than a name
resolved beforehand, is what defeats DNS rebinding. The rule is
`worker.addresses.AddressPolicy`, the one `config check` applies; each URL is
requested rebuilt around its host as browsers read it (`127.1` is 127.0.0.1),
and one the client cannot parse is a `FetchError` of kind `invalid_url`.

Destinations (Slack, webhooks) are configured by ops, not strangers; they use
`HttpClient(..., guard=False)` so an internal SIEM stays reachable.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import socket
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpcore
import httpx

from worker.addresses import AddressPolicy, Host, URLRefused, fetch_target, parse_host
from worker.config.models import HttpSettings
from worker.errors import BlockedURL, FetchError, http_error_kind


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


# What httpx raises on a URL it cannot read; none of them is an httpx.HTTPError.
_UNPARSABLE = (httpx.InvalidURL, UnicodeError)
# What httpx's client asks for: it decodes zstd with the zstandard package, a dependency (pyproject.toml).
ACCEPT_ENCODING = "gzip, deflate, zstd"


class _BlockedAddress(Exception):
    """Raised inside httpcore; turned into BlockedURL at the client's edge."""


class _GuardedBackend(httpcore.SyncBackend):
    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
        for address in addresses:  # every answer must pass, not just the one we use
            if why := self.policy.refusal(_host(host), address):
                raise _BlockedAddress(why)
        error: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error


def _host(host: str) -> Host:
    try:
        return parse_host(host)
    except URLRefused as exc:  # not reached: the URL's host was made canonical before the request
        raise httpcore.ConnectError(f"cannot connect to {host!r}: {exc.reason}") from None


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the connection pool given the guarded network backend."""

    def __init__(self, policy: AddressPolicy, max_connections: int) -> None:
        super().__init__(retries=0, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(), max_connections=max_connections,
            max_keepalive_connections=max_connections // 4 or 1, keepalive_expiry=30.0,
            network_backend=_GuardedBackend(policy))


class HttpClient:
    """Requests go to httpx's transport, not through an `httpx.Client`: redirects are followed here,
    and the client's per-request layers (building the request from defaults, auth and redirect flows,
    the cookie jar on every response) cost a third of a request's CPU on the worker's main process.
    Cookies are still kept as the client kept them, in one jar, read only when a response sets one."""

    def __init__(self, settings: HttpSettings, *, guard: bool = True, max_connections: int = 100) -> None:
        self.settings = settings
        self.guard = guard
        self.policy = AddressPolicy(settings.allow_private_hosts)
        self._transport = (_GuardedTransport(self.policy, max_connections)
                           if guard else httpx.HTTPTransport(retries=0, trust_env=False))
        self._headers = httpx.Headers({"Accept": "*/*", "Accept-Encoding": ACCEPT_ENCODING,
                                       "Connection": "keep-alive", "User-Agent": settings.user_agent})
        self._timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout).as_dict()
        self._cookies = httpx.Cookies()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def fetch(self, url: str, *, max_bytes: int, headers: Mapping[str, str] | None = None) -> Response:
        """GET with redirects, caps and the address guard; 304 is returned, other >= 400 raise."""
        deadline = time.monotonic() + self.settings.total_timeout
        for _ in range(self.settings.max_redirects + 1):
            url = self._target(url)
            response, location = self._get_once(url, headers or {}, max_bytes, deadline)
            if location is None:
                if response.status >= 400:
                    later = response.retry_after() if response.status in (429, 503) else None
                    raise FetchError(url, f"HTTP {response.status}", kind=http_error_kind(response.status),
                                     retry_after=later)
                return response
            url = location
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects", kind="redirects")

    def post(self, url: str, *, content: bytes, headers: Mapping[str, str], timeout: float) -> Response:
        """POST to a configured destination; any status is returned for the caller to judge."""
        start = time.monotonic()
        try:
            with self._send("POST", url, headers, content, httpx.Timeout(timeout).as_dict()) as r:
                body = _read_capped(r, url, 64 * 1024, start + timeout)
                return Response(str(r.url), r.status_code, dict(r.headers), body, time.monotonic() - start)
        except _UNPARSABLE as exc:
            raise FetchError(url, f"the URL does not parse ({exc})", kind="invalid_url") from None
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out: {exc}", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}", kind="connect") from exc

    def close(self) -> None:
        self._transport.close()

    @contextlib.contextmanager
    def _send(self, method: str, url: str, headers: Mapping[str, str], content: bytes | None,
              timeout: dict[str, float | None]) -> Iterator[httpx.Response]:
        """One request on the transport, its response streamed until the block ends; cookies as a client
        keeps them."""
        merged = self._headers.copy()
        merged.update(headers)
        request = httpx.Request(method, url, headers=merged, content=content,
                                cookies=self._cookies or None, extensions={"timeout": timeout})
        response = self._transport.handle_request(request)
        response.request = request
        try:
            if "set-cookie" in response.headers:
                self._cookies.extract_cookies(response)
            yield response
        finally:
            response.close()

    def _target(self, url: str) -> str:
        """The URL as requested (its host canonical), or the FetchError that says why it is not."""
        try:
            return (self.policy.check(url) if self.guard else fetch_target(url)).url
        except URLRefused as exc:
            if exc.kind == "blocked":
                raise BlockedURL(url, exc.reason) from None
            raise FetchError(url, exc.reason, kind=exc.kind) from None

    def _get_once(self, url: str, headers: Mapping[str, str], max_bytes: int,
                  deadline: float) -> tuple[Response, str | None]:
        start = time.monotonic()
        host = urlsplit(url).hostname or ""
        slot = self._host_slot(host)
        if not slot.acquire(timeout=max(0.0, deadline - start)):
            raise FetchError(url, f"too many requests to {host} at once; timed out waiting", kind="timeout")
        try:
            with self._send("GET", url, headers, None, self._timeout) as r:
                if r.is_redirect and "location" in r.headers:
                    return self._response(r, b"", start), _redirect(url, r)
                declared = r.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(url, f"body of {declared} bytes exceeds the cap of {max_bytes}",
                                     kind="too_large")
                return self._response(r, _read_capped(r, url, max_bytes, deadline), start), None
        except _BlockedAddress as exc:
            raise BlockedURL(url, str(exc)) from None
        except _UNPARSABLE as exc:  # a host httpx cannot encode
            raise FetchError(url, f"the URL does not parse ({exc})", kind="invalid_url") from None
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__})", kind="timeout") from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"{type(exc).__name__}: {exc}", kind="connect") from exc
        finally:
            slot.release()

    @staticmethod
    def _response(r: httpx.Response, body: bytes, start: float) -> Response:
        return Response(str(r.url), r.status_code, dict(r.headers), body, time.monotonic() - start)

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host_concurrency)
            return slot


def _redirect(url: str, r: httpx.Response) -> str:
    """Where a redirect points, made absolute; a FetchError when its Location does not parse."""
    try:
        return str(r.url.join(r.headers["location"]))
    except _UNPARSABLE as exc:
        raise FetchError(url, f"the redirect does not parse ({exc})", kind="invalid_url") from None


def _read_capped(r: httpx.Response, url: str, max_bytes: int, deadline: float) -> bytes:
    """The decoded body, refusing more than `max_bytes` (a gzip bomb too) or past the deadline."""
    body = bytearray()
    for chunk in r.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(url, f"body exceeds the cap of {max_bytes} bytes", kind="too_large")
        if time.monotonic() > deadline:
            raise FetchError(url, "took longer than the total timeout", kind="timeout")
    return bytes(body)
