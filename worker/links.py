"""Links from strangers made safe to fetch and to show: absolute http(s) with a host, or refused.

A feed's link becomes a page the extractor fetches and the link of an alert
in Slack, where `<url|text>` is markup: a `|`, `<`, `>` or space inside a URL
would end it early or forge a different link. `safe_link` therefore keeps only
absolute `http`/`https` URLs with a host, writes the host as browsers and the
fetcher read it (`worker.addresses.parse_host`: IDNA for names, `0x7f.1` as
127.0.0.1), drops user info (`https://bank.example@evil.example/` shows one
host and goes to another), and percent-encodes every character RFC 3986 does
not allow in its part, so what comes out holds only unreserved, reserved and
`%XX` characters. Nothing in the path, query or fragment is removed, only
encoded: a bidi override in `/safe\u202egpj.exe` becomes `%E2%80%AE`, so the
link still opens the page the feed named (dropping it would open
`/safegpj.exe`); as WHATWG URL parsing does, only tabs and line breaks
anywhere, and controls and spaces at the ends, are dropped. It is
idempotent: a safe link is its own normal form, which is how the records
check their URLs.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from worker.addresses import URLRefused, host_text, parse_host, trimmed
from worker.text import scalar_values

MAX_LINK = 2_048  # what every browser and server takes; longer "links" are payloads, not pages
LinkProblem = Literal["unsafe_link", "invalid_link"]
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 3986 characters allowed as they are, beside unreserved (alphanumerics and -._~) and %XX
_PATH_SAFE = "!$&'()*+,;=:@/%"
_QUERY_SAFE = _PATH_SAFE + "?"


class LinkError(ValueError):
    """Why a link was refused: a bounded `problem` for metrics and a `detail` for the log."""

    def __init__(self, problem: LinkProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem: LinkProblem = problem
        self.detail = detail


def safe_link(raw: str, base: str | None = None) -> str:
    """The normal form of `raw` (resolved against `base` when relative); raises `LinkError`."""
    text = trimmed(scalar_values(raw))
    if not text:
        raise LinkError("invalid_link", "the link is empty")
    try:
        parts = urlsplit(urljoin(base, text) if base else text)
        port = parts.port
    except ValueError as exc:
        raise LinkError("invalid_link", f"the link does not parse ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        what = f"{scheme}:" if scheme else "a link without a scheme and no base to resolve it against"
        raise LinkError("unsafe_link", f"only http and https links are followed, not {what}")
    host = wire_host(parts.hostname or "")
    netloc = host if port is None else f"{host}:{port}"
    link = urlunsplit((scheme, netloc, _encode(parts.path, _PATH_SAFE), _encode(parts.query, _QUERY_SAFE),
                       _encode(parts.fragment, _QUERY_SAFE)))
    if len(link) > MAX_LINK:
        raise LinkError("invalid_link", f"the link is {len(link)} characters long, over {MAX_LINK}")
    return link


def is_safe_link(value: str) -> bool:
    try:
        return safe_link(value) == value
    except LinkError:
        return False


def wire_host(host: str) -> str:
    """The host as it goes on the wire, read as browsers and the fetcher read it (`parse_host`)."""
    if host in ("", "."):
        raise LinkError("invalid_link", "the link has no host")
    try:
        return host_text(parse_host(host))
    except URLRefused as exc:
        raise LinkError("invalid_link", exc.reason) from None


def _encode(part: str, safe: str) -> str:
    """`part` with every character outside RFC 3986 percent-encoded; existing `%XX` escapes kept."""
    return quote(_STRAY_PERCENT.sub("%25", part), safe=safe)
