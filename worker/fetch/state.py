"""What every fetcher replica knows about a feed, kept in one Redis hash per feed.

Validators for conditional GETs, health for `newswatch feeds status`, the
shared next-due time that keeps replicas from polling twice, and the recent
publication times the adaptive interval learns from.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

from worker.clients.redis import Redis
from worker.errors import FetchErrorKind
from worker.records import FeedHealthState

RECENT = 30  # publication times kept for the adaptive interval


@dataclass
class FeedState:
    etag: str = ""
    last_modified: str = ""
    body_digest: str = ""
    last_success: float = 0.0
    last_poll: float = 0.0
    last_error: str = ""
    last_error_kind: FetchErrorKind | Literal[""] = ""
    last_error_at: float = 0.0
    failures: int = 0
    next_due: float = 0.0
    retry_after_until: float = 0.0  # the host's Retry-After held the feed until then
    interval: float = 0.0
    entries_seen: int = 0
    recent: list[float] = field(default_factory=list)
    health: FeedHealthState = "ok"  # see feed_health.py
    health_since: float = 0.0
    health_changes: int = 0  # numbers each change, for its notice's stable id

    def remember(self, published: list[float]) -> None:
        self.recent = sorted({*self.recent, *published})[-RECENT:]


class FeedStates:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def key(self, feed_id: str) -> str:
        return self.redis.keys.feed(feed_id)

    def load(self, feed_id: str) -> FeedState:
        return _decode(self.redis.hgetall(self.key(feed_id)))

    def load_many(self, feed_ids: list[str]) -> dict[str, FeedState]:
        pipe = self.redis.pipeline()
        for feed_id in feed_ids:
            pipe.hgetall(self.key(feed_id))
        return {feed_id: _decode(raw) for feed_id, raw in zip(feed_ids, pipe.execute(), strict=True)}

    def save(self, feed_id: str, state: FeedState) -> None:
        values: dict[str, str | int | float] = {
            k: json.dumps(v) if isinstance(v, list) else v for k, v in asdict(state).items()}
        self.redis.hset(self.key(feed_id), values)


def _decode(raw: dict[str, str]) -> FeedState:
    state = FeedState()
    for name, read in _READERS.items():
        if name in raw:
            setattr(state, name, read(raw[name], getattr(state, name)))
    return state


def _reader(name: str, kind: Any) -> Callable[[str, Any], Any]:
    """How a field's stored string becomes its value, from the field's type (resolved, not its text).

    A word a Literal does not know (written by another version) reads as the field's default, so the
    state's types hold whatever Redis holds.
    """
    if kind in (int, float, str):
        return lambda value, _: kind(value)
    if kind == list[float]:
        return lambda value, _: [float(v) for v in json.loads(value)]
    words = _words(kind)
    if words:
        return lambda value, default: value if value in words else default
    raise TypeError(f"FeedState.{name}: no reader for {kind!r}; teach fetch/state.py's _reader the type")


def _words(kind: Any) -> frozenset[str]:
    """The strings of a Literal, or of a union of Literals; empty for any other type."""
    if get_origin(kind) is Literal:
        return frozenset(a for a in get_args(kind) if isinstance(a, str))
    parts = [_words(arg) for arg in get_args(kind)]
    return frozenset().union(*parts) if parts and all(parts) else frozenset()


_READERS = {f.name: _reader(f.name, get_type_hints(FeedState)[f.name]) for f in fields(FeedState)}
