"""Run-time mutes (`newswatch mute story|entity|route ID --for 12h`), kept in Redis for every replica.

A mute silences a story, an entity or a route until a time; what it holds
back is still matched and recorded (status "muted"), never sent. Each mute is
one key that expires by itself when the mute does, so nothing needs to
remember to lift it, and an index lets a replica read every mute in two
commands, however many other keys the Redis holds (no SCAN):

  mute:<kind>:<id>  string, JSON {until, reason, by, at}  TTL: until the mute ends
  mutes             zset, member "<kind>:<id>" scored by its end (epoch seconds); TTL: the latest end

A replica reads them at most every `MAX_AGE` seconds, once per batch (see
`RuntimeMutes`), so a mute or unmute reaches every replica within that.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import get_args

from worker.clients.redis import Redis
from worker.records import Mute, MuteKind

MAX_AGE = 2.0  # seconds a replica may act on the mutes it read before reading them again
RUNTIME_KINDS: tuple[MuteKind, ...] = ("story", "entity", "route")

# KEYS: the mute's key, the index. ARGV: member, value, end (epoch s), ttl (s), now (epoch s).
_PUT = """
redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[4])
redis.call('zremrangebyscore', KEYS[2], '-inf', ARGV[5])
redis.call('zadd', KEYS[2], ARGV[3], ARGV[1])
if redis.call('ttl', KEYS[2]) < tonumber(ARGV[4]) then redis.call('expire', KEYS[2], ARGV[4]) end
return 1
"""


class MuteStore:
    """The run-time mutes in Redis: set, lift, read."""

    def __init__(self, store: Redis) -> None:
        self.store = store
        self._put = store.script(_PUT)

    def put(self, mute: Mute, now: datetime) -> None:
        ttl = math.ceil((mute.until - now).total_seconds())
        if ttl <= 0:
            raise ValueError(f"a mute must end after now; {mute.until_text()} has passed")
        value = mute.model_copy(update={"at": now}).model_dump_json(include={"until", "reason", "by", "at"})
        keys = self.store.keys
        self._put.integer([keys.mute(mute.kind, mute.id), keys.mutes()],
                          [f"{mute.kind}:{mute.id}", value, mute.until.timestamp(), ttl, now.timestamp()])

    def remove(self, kind: MuteKind, mute_id: str) -> bool:
        """Lift a mute; False when there was none."""
        with self.store.pipeline(transaction=True) as pipe:
            pipe.delete(self.store.keys.mute(kind, mute_id))
            pipe.zrem(self.store.keys.mutes(), f"{kind}:{mute_id}")
            deleted, _ = pipe.execute()
        return bool(deleted)

    def active(self, now: datetime) -> list[Mute]:
        """Every run-time mute that holds at `now`, soonest end first."""
        members = self.store.zrangebyscore(self.store.keys.mutes(), f"({now.timestamp()}", "+inf", 10_000)
        if not members:
            return []
        with self.store.pipeline() as pipe:
            pipe.mget([self.store.keys.mute(*_split(m)) for m in members])
            (values,) = pipe.execute()
        mutes = [_mute(member, value) for member, value in zip(members, values, strict=True) if value]
        return [m for m in mutes if m is not None and m.holds(now)]

    def story_of(self, some_id: str) -> str | None:
        """The story id for a story id or an alert id (what alerts carry as their id), if Redis knows it."""
        keys = self.store.keys
        if self.store.exists(keys.story(some_id)):
            return some_id
        article = self.store.get(keys.alert(some_id))
        assigned = self.store.get(keys.story("article", article)) if article else None
        return assigned.split(" ")[0] if assigned else None


class RuntimeMutes:
    """The run-time mutes as one replica sees them: read again when older than `max_age` seconds."""

    def __init__(self, store: MuteStore, max_age: float = MAX_AGE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.max_age = max_age
        self._clock = clock
        self._read_at = -math.inf
        self._mutes: list[Mute] = []

    def current(self, now: datetime) -> list[Mute]:
        if self._clock() - self._read_at >= self.max_age:
            self._mutes = self.store.active(now)
            self._read_at = self._clock()
        return [m for m in self._mutes if m.holds(now)]


def _split(member: str) -> tuple[str, str]:
    kind, _, mute_id = member.partition(":")
    return kind, mute_id


def _mute(member: str, value: str) -> Mute | None:
    kind, mute_id = _split(member)
    if kind not in get_args(MuteKind):
        return None  # written by a newer version: not ours to judge
    return Mute.model_validate({"kind": kind, "id": mute_id, **json.loads(value)})
