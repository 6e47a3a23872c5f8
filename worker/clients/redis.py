"""The one place that speaks redis-py; everything above uses this wrapper and its key table (keys.py).

Every Redis error leaves here as a `ServiceUnavailable` (its cause kept, so
the outage tracker still tells "does not answer" from "refused the command"):
no Redis failure is the fault of the record being processed, so the stage
loop rewinds and retries instead of rejecting the record. Callers get the
commands they use, pipelines of Newswatch's own type (`Pipeline`, and
`Watched` inside `transaction` for WATCH/MULTI) and Lua scripts registered
once (`script`) whose replies are read as typed values; never redis-py's
client or its pipeline.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Self, cast

import redis
from redis.commands.core import Script as _RawScript

from worker.clients import outage
from worker.clients.keys import Keys
from worker.config.models import RedisSettings
from worker.errors import ServiceUnavailable

_outage: outage.Outage | None = None  # this process's Redis, for errors that do not say which
Scalar = str | int | float


class Pipeline:
    """Commands queued here go to Redis in one round trip by `execute`, which returns their replies in
    order; from `Redis.pipeline(transaction=True)` or `Watched.multi`, atomically (MULTI/EXEC)."""

    def __init__(self, raw: redis.client.Pipeline, settings: RedisSettings) -> None:
        self._raw = raw
        self._settings = settings

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.reset()

    def execute(self) -> list[Any]:
        with _translated(self._settings):
            return self._raw.execute()

    def get(self, key: str) -> None:
        self._raw.get(key)

    def mget(self, keys: Sequence[str]) -> None:
        self._raw.mget(list(keys))

    def set(self, key: str, value: Scalar, *, ex: int | None = None, nx: bool = False,
            get: bool = False) -> None:
        """SET; with `get`, its reply is the value the key held before (None: it was free)."""
        self._raw.set(key, value, ex=ex, nx=nx, get=get)

    def incr(self, key: str) -> None:
        self._raw.incr(key)

    def exists(self, key: str) -> None:
        self._raw.exists(key)

    def expire(self, key: str, seconds: int) -> None:
        self._raw.expire(key, seconds)

    def delete(self, *keys: str) -> None:
        self._raw.delete(*keys)

    def hget(self, key: str, field: str) -> None:
        self._raw.hget(key, field)

    def hgetall(self, key: str) -> None:
        self._raw.hgetall(key)

    def hset(self, key: str, mapping: Mapping[str, Scalar]) -> None:
        # redis-py types `mapping` as an invariant Mapping that no plain dict satisfies
        self._raw.hset(key, mapping=cast(Any, dict(mapping)))

    def hdel(self, key: str, *fields: str) -> None:
        self._raw.hdel(key, *fields)

    def hincrby(self, key: str, field: str, amount: int = 1) -> None:
        self._raw.hincrby(key, field, amount)

    def sadd(self, key: str, *members: str) -> None:
        self._raw.sadd(key, *members)

    def srem(self, key: str, *members: str) -> None:
        self._raw.srem(key, *members)

    def scard(self, key: str) -> None:
        self._raw.scard(key)

    def lrange(self, key: str, start: int = 0, end: int = -1) -> None:
        self._raw.lrange(key, start, end)

    def zcard(self, key: str) -> None:
        self._raw.zcard(key)

    def zrange(self, key: str, start: int, end: int, *, withscores: bool = False) -> None:
        """ZRANGE; with `withscores`, its reply is a list of (member, score)."""
        self._raw.zrange(key, start, end, withscores=withscores)

    def zrem(self, key: str, *members: str) -> None:
        self._raw.zrem(key, *members)

    def script(self, script: Script, keys: Sequence[str], args: Sequence[Scalar] = ()) -> None:
        """Run `script` here: its reply is in `execute`'s, as `Script.run` would return it (the script is
        loaded first when the server lacks it, one more round trip per `execute` that runs scripts)."""
        script.queue(self._raw, keys, args)


class Watched:
    """Inside `Redis.transaction`: the watched keys read at once, then `multi()` for the writes that
    go through only if none of them changed meanwhile."""

    def __init__(self, raw: redis.client.Pipeline, settings: RedisSettings) -> None:
        self._raw = raw
        self._settings = settings

    def hget(self, key: str, field: str) -> str | None:
        with _translated(self._settings):
            return cast(str | None, self._raw.hget(key, field))

    def hgetall(self, key: str) -> dict[str, str]:
        with _translated(self._settings):
            return cast(dict[str, str], self._raw.hgetall(key))

    def multi(self) -> Pipeline:
        self._raw.multi()
        return Pipeline(self._raw, self._settings)


Reply = int | str | list[Any] | None


class Script:
    """A Lua script loaded once per server (EVALSHA); its reply read as the type the script returns."""

    def __init__(self, raw: _RawScript, settings: RedisSettings) -> None:
        self._raw = raw
        self._settings = settings

    def run(self, keys: Sequence[str], args: Sequence[Scalar] = ()) -> Reply:
        with _translated(self._settings):
            return cast(Reply, self._raw(keys=list(keys), args=list(args)))

    def queue(self, pipe: redis.client.Pipeline, keys: Sequence[str], args: Sequence[Scalar]) -> None:
        """Queue a run on redis-py's `pipe` (through `Pipeline.script`)."""
        self._raw(keys=list(keys), args=list(args), client=pipe)

    def integer(self, keys: Sequence[str], args: Sequence[Scalar] = ()) -> int:
        """A script that returns a number (a Lua boolean true is 1, false or nil 0)."""
        reply = self.run(keys, args)
        if isinstance(reply, list):
            raise TypeError(f"Lua script returned a table, not a number: {reply!r}")
        return int(reply or 0)

    def flag(self, keys: Sequence[str], args: Sequence[Scalar] = ()) -> bool:
        """A script that returns 1 or 0 (true or false)."""
        return bool(self.integer(keys, args))

    def strings(self, keys: Sequence[str], args: Sequence[Scalar] = ()) -> list[str]:
        """A script that returns a table (array) of values, each read as a string."""
        reply = self.run(keys, args)
        if not isinstance(reply, list):
            raise TypeError(f"Lua script returned {reply!r}, not a table")
        return [str(value) for value in reply]


class Redis:
    """A connection pool plus the key table under the prefix that lets deployments share one Redis."""

    def __init__(self, settings: RedisSettings) -> None:
        self.settings = settings
        self.keys = Keys(settings.key_prefix)
        self._scripts: dict[str, Script] = {}
        self._client: redis.Redis = redis.Redis.from_url(
            settings.url, decode_responses=True, socket_timeout=10, socket_connect_timeout=5,
            health_check_interval=30, retry_on_timeout=True,
        )
        global _outage
        _outage = self.outage = outage.watch("Redis", _safe(settings.url), self._client.ping)

    def ping(self) -> None:
        with _translated(self.settings):
            self._client.ping()

    def close(self) -> None:
        self._client.close()

    # -- pipelines and scripts

    def pipeline(self, transaction: bool = False) -> Pipeline:
        """Commands sent in one round trip by `execute()`; atomic (MULTI/EXEC) with `transaction`."""
        return Pipeline(self._client.pipeline(transaction=transaction), self.settings)

    def transaction(self, apply: Callable[[Watched], None], *watched: str) -> None:
        """`apply` with `watched` WATCHed, then EXEC what it queued after `multi()`; on a conflict, again."""
        raw = self._client.pipeline(transaction=True)
        try:
            while True:
                try:
                    with _translated(self.settings):
                        raw.watch(*watched)  # type: ignore[no-untyped-call]
                    apply(Watched(raw, self.settings))
                    with _translated(self.settings):
                        raw.execute()
                    return
                except redis.WatchError:
                    continue  # another client wrote a watched key in between: read it again
        finally:
            raw.reset()

    def script(self, source: str) -> Script:
        """The script of `source`, made once per connection pool (leases make theirs per lease)."""
        if source not in self._scripts:
            self._scripts[source] = Script(self._client.register_script(source), self.settings)
        return self._scripts[source]

    # -- the commands callers use outside pipelines

    def get(self, key: str) -> str | None:
        with _translated(self.settings):
            return cast(str | None, self._client.get(key))

    def set(self, key: str, value: Scalar, *, ex: int | None = None, px: int | None = None,
            nx: bool = False) -> bool:
        """True when written (with `nx`: False when the key was there)."""
        with _translated(self.settings):
            return bool(self._client.set(key, value, ex=ex, px=px, nx=nx))

    def mget(self, keys: Sequence[str]) -> list[str | None]:
        if not keys:
            return []
        with _translated(self.settings):
            return cast(list[str | None], self._client.mget(list(keys)))

    def exists(self, key: str) -> bool:
        with _translated(self.settings):
            return bool(self._client.exists(key))

    def delete(self, *keys: str) -> int:
        with _translated(self.settings):
            return int(self._client.delete(*keys)) if keys else 0

    def hget(self, key: str, field: str) -> str | None:
        with _translated(self.settings):
            return cast(str | None, self._client.hget(key, field))

    def hgetall(self, key: str) -> dict[str, str]:
        with _translated(self.settings):
            return cast(dict[str, str], self._client.hgetall(key))

    def hmget(self, key: str, fields: Sequence[str]) -> list[str | None]:
        with _translated(self.settings):
            return cast(list[str | None], self._client.hmget(key, list(fields)))

    def hset(self, key: str, mapping: Mapping[str, Scalar]) -> None:
        with _translated(self.settings):
            # redis-py types `mapping` as an invariant Mapping that no plain dict satisfies
            self._client.hset(key, mapping=cast(Any, dict(mapping)))

    def lrange(self, key: str, start: int = 0, end: int = -1) -> list[str]:
        with _translated(self.settings):
            return cast(list[str], self._client.lrange(key, start, end))

    def smembers(self, key: str) -> builtins.set[str]:
        with _translated(self.settings):
            return cast(builtins.set[str], self._client.smembers(key))

    def scard(self, key: str) -> int:
        with _translated(self.settings):
            return int(self._client.scard(key))

    def zrange(self, key: str, start: int, end: int) -> list[str]:
        with _translated(self.settings):
            return cast(list[str], self._client.zrange(key, start, end))

    def zrangebyscore(self, key: str, low: float | str, high: float | str, limit: int) -> list[str]:
        """The first `limit` members scored within [low, high], lowest score first."""
        with _translated(self.settings):
            return cast(list[str], self._client.zrangebyscore(key, low, high, start=0, num=limit))

    def zmscore(self, key: str, members: Sequence[str]) -> list[float | None]:
        with _translated(self.settings):
            return self._client.zmscore(key, list(members))

    def zero_scores(self, key: str) -> None:
        """Score every member of the sorted set `key` 0 in one command (ZUNIONSTORE onto itself, weight 0)."""
        with _translated(self.settings):
            self._client.zunionstore(key, {key: 0})

    def dump(self, key: str) -> bytes | None:
        """The key's value as Redis serialises it (DUMP), whatever its type: to look for what it holds."""
        with _translated(self.settings):
            return cast(bytes | None, self._client.execute_command(  # type: ignore[no-untyped-call]
                "DUMP", key, NEVER_DECODE=True))

    def scan(self, pattern: str) -> list[str]:
        """Every key matching `pattern` (SCAN, never KEYS: a big Redis keeps answering others meanwhile)."""
        with _translated(self.settings):
            return list(self._client.scan_iter(match=pattern, count=1000))

    def delete_prefix(self, prefix: str | None = None) -> int:
        """Delete every key under `prefix` (default: this deployment's); for tests, the demo and ops."""
        prefix = self.settings.key_prefix if prefix is None else prefix
        if not prefix:
            raise ValueError("refusing to delete every key of the Redis: give a key prefix")
        keys = self.scan(_glob_escape(prefix) + "*")
        for start in range(0, len(keys), 1000):
            self.delete(*keys[start:start + 1000])
        return len(keys)


def unavailable(settings: RedisSettings, exc: Exception) -> ServiceUnavailable:
    if isinstance(exc, redis.ConnectionError | redis.TimeoutError):
        return ServiceUnavailable(
            f"Redis at {_safe(settings.url)} does not answer ({exc}); start it with `make up` "
            f"or set NEWSWATCH_REDIS_URL")
    return ServiceUnavailable(
        f"Redis at {_safe(settings.url)} refused a command ({type(exc).__name__}: {exc}); check that it "
        f"is a primary (not a read-only replica), has memory left (maxmemory) and can write its AOF/RDB")


@contextmanager
def _translated(settings: RedisSettings) -> Iterator[None]:
    try:
        yield
    except redis.WatchError:
        raise  # not a failure: `transaction` reads again
    except redis.RedisError as exc:
        raise unavailable(settings, exc) from exc


def recognise(exc: BaseException) -> outage.Outage | None:
    """Redis did not answer (refused, reset, timed out, still loading its data), not a bad command."""
    return _outage if isinstance(exc, redis.ConnectionError | redis.TimeoutError) else None


def _glob_escape(text: str) -> str:
    return "".join(f"\\{ch}" if ch in "*?[]\\" else ch for ch in text)


def _safe(url: str) -> str:
    """The URL without its password, which must never reach a log."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url
