"""One root exception for Newswatch; each subsystem derives its own from it.

Callers catch `NewswatchError` at the edge (the CLI, a stage loop) and report
its message, which always names the file, feed, URL or alert involved and what
to do about it.
"""

from __future__ import annotations

from typing import Literal

# Why a fetch failed, in bounded words: the `kind` label of newswatch_fetch_errors_total, a feed's
# `last_error_kind` in `newswatch feeds status`, and what the extract stage maps onto its fallback
# reasons. A new kind is added here, with its meaning below, or mypy refuses it where it is raised.
FetchErrorKind = Literal["blocked", "invalid_url", "connect", "timeout", "redirects", "too_large", "http_4xx",
                         "http_5xx", "parse"]
FETCH_ERROR_KINDS: dict[FetchErrorKind, str] = {
    "blocked": "the URL or a redirect points where the worker must not go (private address, bad scheme)",
    "invalid_url": "the URL, or a redirect's Location, does not parse as a URL (host, port or characters)",
    "connect": "no connection, or it broke off (DNS, refused, reset, TLS)",
    "timeout": "the server, or the turn for its host, took longer than the timeouts allow",
    "redirects": "more redirects than http.max_redirects",
    "too_large": "the body is larger than the cap for feeds or pages",
    "http_4xx": "the server answered 400-499 (gone, forbidden, too many requests...)",
    "http_5xx": "the server answered 500 or more",
    "parse": "the document is not a feed (RSS, Atom, RDF or JSON Feed)",
}


def http_error_kind(status: int) -> FetchErrorKind:
    """The kind of an HTTP error status (>= 400); a status past 599 counts with the 5xx."""
    return "http_4xx" if status < 500 else "http_5xx"


class NewswatchError(Exception):
    """Root of every error Newswatch raises on purpose."""


class ConfigError(NewswatchError):
    """The configuration cannot be used; `problems` lists every `file:line: key: why` line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class ServiceUnavailable(NewswatchError):
    """Kafka or Redis does not answer at the configured address."""


class FetchError(NewswatchError):
    """A feed or page could not be fetched; the message names the URL and the reason."""

    def __init__(self, url: str, reason: str, *, kind: FetchErrorKind,
                 retry_after: float | None = None) -> None:
        self.url = url
        self.reason = reason
        self.kind = kind
        self.retry_after = retry_after  # seconds the server asked us to wait (429, 503 Retry-After)
        super().__init__(f"{url}: {reason}")


class BlockedURL(FetchError):
    """A URL or redirect points where the worker must not go (private address, bad scheme)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, reason, kind="blocked")


class RecordError(NewswatchError):
    """A message on a topic does not follow its schema."""


class DeliveryError(NewswatchError):
    """A destination refused or failed an alert; `retryable` says whether trying again may help."""

    def __init__(self, destination: str, reason: str, *, retryable: bool,
                 retry_after: float | None = None) -> None:
        self.destination = destination
        self.reason = reason
        self.retryable = retryable
        self.retry_after = retry_after
        super().__init__(f"destination {destination}: {reason}")
