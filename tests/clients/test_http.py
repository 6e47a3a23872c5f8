"""The hostile-input HTTP client, against a real local server."""

from __future__ import annotations

import email.utils
import gzip
import ipaddress
import socket
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.kit.http import Answer, LocalServer
from tests.test_addresses import TRAPS
from worker.clients.http import HttpClient, Response
from worker.config.models import HttpSettings
from worker.errors import BlockedURL, FetchError


def client(**overrides: object) -> HttpClient:
    settings = HttpSettings(allow_private_hosts=["127.0.0.1"], **overrides)
    return HttpClient(settings)


def test_fetch_gzip_and_user_agent(http_server: LocalServer) -> None:
    url = http_server.set("/feed", body=b"<rss/>" * 100, gzip=True)
    response = client().fetch(url, max_bytes=10_000)
    assert response.status == 200 and response.content == b"<rss/>" * 100
    assert http_server.received("/feed")[0].headers["user-agent"].startswith("Newswatch/")


def test_conditional_get_returns_304(http_server: LocalServer) -> None:
    url = http_server.set("/feed", body=b"<rss/>", etag='"v1"')
    c = client()
    assert c.fetch(url, max_bytes=1000).headers["etag"] == '"v1"'
    assert c.fetch(url, max_bytes=1000, headers={"If-None-Match": '"v1"'}).status == 304


def test_redirect_followed(http_server: LocalServer) -> None:
    http_server.set("/old", status=301, headers={"Location": "/new"})
    http_server.set("/new", body=b"moved here")
    response = client().fetch(http_server.url("/old"), max_bytes=1000)
    assert response.content == b"moved here" and response.url.endswith("/new")


def test_a_cookie_set_on_a_redirect_goes_with_the_next_hop(http_server: LocalServer) -> None:
    """A site that sets a cookie and redirects to check it gets it back, as from a browser."""
    http_server.set("/gate", status=302, headers={"Location": "/story", "Set-Cookie": "consent=yes; Path=/"})
    http_server.set("/story", body=b"the story")
    assert client().fetch(http_server.url("/gate"), max_bytes=1000).content == b"the story"
    assert http_server.received("/story")[0].headers["cookie"] == "consent=yes"


def test_loopback_refused_unless_allowed(http_server: LocalServer) -> None:
    url = http_server.set("/feed", body=b"x")
    with pytest.raises(BlockedURL, match="non-public address"):
        HttpClient(HttpSettings()).fetch(url, max_bytes=1000)
    assert not http_server.received("/feed")


@pytest.mark.parametrize("host", ["127.0.0.1", "0x7f000001", "127.1"])
def test_redirect_into_loopback_refused(http_server: LocalServer, host: str) -> None:
    """The first host is trusted by name; the address it redirects to is loopback (in any form) and is not."""
    http_server.set("/hop", status=302, headers={"Location": f"http://{host}:{http_server.port}/admin"})
    http_server.set("/admin", body=b"secret")
    trusting_localhost = HttpClient(HttpSettings(allow_private_hosts=["localhost"]))
    with pytest.raises(BlockedURL, match="127.0.0.1 is a non-public address"):
        trusting_localhost.fetch(f"http://localhost:{http_server.port}/hop", max_bytes=1000)
    assert http_server.received("/hop") and not http_server.received("/admin")


def test_metadata_address_refused() -> None:
    with pytest.raises(BlockedURL, match="169.254.169.254"):
        client(connect_timeout=1).fetch("http://169.254.169.254/latest/meta-data/", max_bytes=1000)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://x/"])
def test_non_http_schemes_refused(url: str) -> None:
    with pytest.raises(BlockedURL, match="only http and https"):
        client().fetch(url, max_bytes=1000)


def test_redirect_to_other_scheme_refused(http_server: LocalServer) -> None:
    http_server.set("/hop", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(BlockedURL, match="only http and https"):
        client().fetch(http_server.url("/hop"), max_bytes=1000)


def test_too_many_redirects(http_server: LocalServer) -> None:
    http_server.set("/loop", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 2 redirects"):
        client(max_redirects=2).fetch(http_server.url("/loop"), max_bytes=1000)
    assert len(http_server.received("/loop")) == 3


def test_declared_oversize_refused_before_reading(http_server: LocalServer) -> None:
    url = http_server.set("/big", body=b"x" * 50_000)
    with pytest.raises(FetchError, match="exceeds the cap of 10000") as err:
        client().fetch(url, max_bytes=10_000)
    assert err.value.kind == "too_large"


def test_gzip_bomb_refused(http_server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 5_000_000)
    url = http_server.set("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < 10_000
    with pytest.raises(FetchError, match="exceeds the cap") as err:
        client().fetch(url, max_bytes=100_000)
    assert err.value.kind == "too_large"


def test_slow_server_hits_total_timeout(http_server: LocalServer) -> None:
    url = http_server.set("/slow", Answer(body=b"y" * 20_000, trickle=0.2))
    with pytest.raises(FetchError, match="total timeout") as err:
        client(total_timeout=1).fetch(url, max_bytes=100_000)
    assert err.value.kind == "timeout"


def test_server_error_is_an_error(http_server: LocalServer) -> None:
    url = http_server.set("/down", status=503, body=b"busy")
    with pytest.raises(FetchError, match="HTTP 503") as err:
        client().fetch(url, max_bytes=1000)
    assert err.value.kind == "http_5xx"


@pytest.mark.parametrize(("status", "header", "wait"), [
    (429, "7", 7.0), (503, "120", 120.0), (429, "-5", 0.0), (429, "soon", None), (500, "7", None),
])
def test_a_feed_hosts_retry_after_is_on_its_error(http_server: LocalServer, status: int, header: str,
                                                  wait: float | None) -> None:
    url = http_server.set("/busy", status=status, headers={"Retry-After": header})
    with pytest.raises(FetchError, match=f"HTTP {status}") as err:
        client().fetch(url, max_bytes=1000)
    assert err.value.retry_after == wait


def test_retry_after_as_an_http_date() -> None:
    later = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
    wait = Response("u", 429, {"retry-after": later}, b"", 0).retry_after()
    assert wait is not None and 85 <= wait <= 90
    assert Response("u", 429, {"retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"}, b"", 0).retry_after() == 0
    assert Response("u", 429, {"retry-after": "Someday"}, b"", 0).retry_after() is None


def test_post_returns_any_status_and_retry_after(http_server: LocalServer) -> None:
    url = http_server.set("/hook", status=429, headers={"Retry-After": "3"})
    response = HttpClient(HttpSettings(), guard=False).post(url, content=b"{}", headers={}, timeout=5)
    assert response.status == 429 and response.retry_after() == 3.0
    assert http_server.received("/hook", "POST")[0].body == b"{}"


@pytest.mark.parametrize(("url", "address"), TRAPS)
def test_the_fetcher_refuses_every_form_of_a_private_address(http_server: LocalServer, url: str,
                                                             address: str) -> None:
    """The same traps as `config check` (tests/test_addresses.py), on the real client, port and all."""
    http_server.set("/rss", body=b"<rss/>")
    parts = urlsplit(url)
    aimed = url.replace(parts.netloc, f"{parts.netloc}:{http_server.port}", 1)
    with pytest.raises(BlockedURL, match="non-public address"):
        HttpClient(HttpSettings(connect_timeout=1)).fetch(aimed, max_bytes=1000)
    assert not http_server.received("/rss")


@pytest.mark.parametrize("host", ["127.1", "0x7f000001", "0177.0.0.1", "2130706433", "127.0.0.1.",
                                  "0x7f.0.1"])
def test_an_allowed_private_host_is_fetched_in_any_form(http_server: LocalServer, host: str) -> None:
    """A browser reads these as 127.0.0.1, and so does the fetcher: allowed, it fetches (httpx alone
    refuses `0177.0.0.1` with InvalidURL, and hands `127.1` to the resolver as a name)."""
    http_server.set("/rss", body=b"<rss/>")
    response = client().fetch(f"http://{host}:{http_server.port}/rss", max_bytes=1000)
    assert response.content == b"<rss/>" and response.url == http_server.url("/rss")


@pytest.mark.parametrize("answer", ["2002:7f00:1::", "64:ff9b::7f00:1", "::127.0.0.1", "::ffff:10.0.0.1",
                                    "100.64.0.1", "169.254.169.254", "fd00::1"])
def test_a_name_resolving_to_a_private_form_is_refused_at_connect(monkeypatch: pytest.MonkeyPatch,
                                                                  answer: str) -> None:
    """What DNS answers goes through the same rule: a public-looking name proves nothing."""
    family = socket.AF_INET6 if ":" in answer else socket.AF_INET
    monkeypatch.setattr(socket, "getaddrinfo", lambda *_a, **_k: [(family, socket.SOCK_STREAM, 6, "",
                                                                    (answer, 80))])
    with pytest.raises(BlockedURL, match=f"feeds.example resolves to {ipaddress.ip_address(answer)}"):
        HttpClient(HttpSettings()).fetch("http://feeds.example/rss", max_bytes=1000)


def test_the_request_goes_to_the_addresses_that_were_checked(monkeypatch: pytest.MonkeyPatch,
                                                             http_server: LocalServer) -> None:
    """libcurl connects where the guard's own lookup pointed, never where a second lookup would: a name
    no resolver knows is fetched at the address the check saw (DNS rebinding gets no second answer)."""
    http_server.set("/rss", body=b"<rss/>")
    seen: list[str] = []

    def answer(host: str, *_a: object, **_k: object) -> list[tuple[object, ...]]:
        seen.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 80))]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    http = HttpClient(HttpSettings(allow_private_hosts=["feeds.example"]))
    response = http.fetch(f"http://feeds.example:{http_server.port}/rss", max_bytes=1000)
    assert response.content == b"<rss/>" and seen == ["feeds.example"]
    assert http_server.received("/rss")[0].headers["host"] == f"feeds.example:{http_server.port}"


@pytest.mark.parametrize(("url", "kind"), [
    ("http://1.2.3.09/rss", "invalid_url"), ("http://news.example:99999/rss", "invalid_url"),
    ("http://[oops/rss", "invalid_url"), ("http://\u2603.example/rss", "invalid_url"),
])
def test_a_url_that_does_not_parse_is_a_fetch_error(url: str, kind: str) -> None:
    with pytest.raises(FetchError) as failed:
        client().fetch(url, max_bytes=1000)
    assert failed.value.kind == kind and url in str(failed.value)


@pytest.mark.parametrize("location", ["http://1.2.3.09:1/x", "http://xn--zz.example/x",
                                      "http://news.example:99999/x", "http://[::1/x"])
def test_a_redirect_that_does_not_parse_is_a_fetch_error(http_server: LocalServer, location: str) -> None:
    http_server.set("/hop", status=302, headers={"Location": location})
    with pytest.raises(FetchError) as failed:
        client().fetch(http_server.url("/hop"), max_bytes=1000)
    assert failed.value.kind in ("invalid_url", "blocked")



def test_a_header_value_holding_a_line_break_is_left_out(http_server: LocalServer) -> None:
    """An ETag is the server's to write; sent back with a line break in it, it would add a header."""
    url = http_server.set("/feed", body=b"<rss/>")
    client().fetch(url, max_bytes=1000, headers={"If-None-Match": '"v1"\r\nX-Injected: yes', "X-Kept": "1"})
    received = http_server.received("/feed")[0].headers
    assert "x-injected" not in received and "if-none-match" not in received and received["x-kept"] == "1"
