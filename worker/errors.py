"""One root exception for Newswatch; each subsystem derives its own from it.

Callers catch `NewswatchError` at the edge (the CLI, a stage loop) and report
its message, which always names the file, feed, URL or alert involved and what
to do about it.
"""

from __future__ import annotations


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

    def __init__(self, url: str, reason: str, *, kind: str = "http",
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
