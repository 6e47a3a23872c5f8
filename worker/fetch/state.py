"""What every fetcher replica knows about a feed, kept in one Redis hash per feed.

Validators for conditional GETs, health for `newswatch feeds status`, the
shared next-due time that keeps replicas from polling twice, and the recent
publication times the adaptive interval learns from.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields

from worker.clients.redis import Redis

RECENT = 30  # publication times kept for the adaptive interval


@dataclass
class FeedState:
    etag: str = ""
    last_modified: str = ""
    body_digest: str = ""
    last_success: float = 0.0
    last_poll: float = 0.0
    last_error: str = ""
    last_error_kind: str = ""
    last_error_at: float = 0.0
    failures: int = 0
    next_due: float = 0.0
    retry_after_until: float = 0.0  # the host's Retry-After held the feed until then
    interval: float = 0.0
    entries_seen: int = 0
    recent: list[float] = field(default_factory=list)
    health: str = "ok"  # ok, failing or silent: see feed_health.py
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
    for f in fields(FeedState):
        if f.name not in raw:
            continue
        value = raw[f.name]
        if f.name == "recent":
            state.recent = [float(v) for v in json.loads(value)]
        elif f.type == "int":
            setattr(state, f.name, int(value))
        elif f.type == "float":
            setattr(state, f.name, float(value))
        else:
            setattr(state, f.name, value)
    return state
