"""The one place that opens Redis connections; key names are built here too."""

from __future__ import annotations

import redis

from worker.clients import outage
from worker.config.models import RedisSettings
from worker.errors import ServiceUnavailable

_outage: outage.Outage | None = None  # this process's Redis, for errors that do not say which


class Redis:
    """A connection pool plus the key prefix that lets several deployments share one Redis."""

    def __init__(self, settings: RedisSettings) -> None:
        self.settings = settings
        self.client: redis.Redis = redis.Redis.from_url(
            settings.url, decode_responses=True, socket_timeout=10, socket_connect_timeout=5,
            health_check_interval=30, retry_on_timeout=True,
        )
        global _outage
        _outage = self.outage = outage.watch("Redis", _safe(settings.url), self.client.ping)

    def key(self, *parts: str) -> str:
        return self.settings.key_prefix + ":".join(parts)

    def ping(self) -> None:
        try:
            self.client.ping()
        except redis.RedisError as exc:
            raise unavailable(self.settings, exc) from exc

    def close(self) -> None:
        self.client.close()


def unavailable(settings: RedisSettings, exc: Exception) -> ServiceUnavailable:
    return ServiceUnavailable(
        f"Redis at {_safe(settings.url)} does not answer ({exc}); start it with `make up` "
        f"or set NEWSWATCH_REDIS_URL")


def _recognise(exc: BaseException) -> outage.Outage | None:
    """Redis did not answer (refused, reset, timed out, still loading its data), not a bad command."""
    return _outage if isinstance(exc, redis.ConnectionError | redis.TimeoutError) else None


outage.recognise(_recognise)


def _safe(url: str) -> str:
    """The URL without its password, which must never reach a log."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url
