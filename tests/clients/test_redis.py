"""The Redis wrapper against the real Redis: prefix deletion, WATCH retries, errors as ServiceUnavailable."""

from __future__ import annotations

import pytest

from worker.clients.lease import Lease
from worker.clients.redis import Redis, Watched
from worker.errors import ServiceUnavailable
from worker.fetch.lease import Leases


def test_delete_prefix_deletes_only_the_prefix(redis_store: Redis) -> None:
    prefix = redis_store.settings.key_prefix
    other = Redis(redis_store.settings.model_copy(update={"key_prefix": prefix + "x*"}))
    try:
        for i in range(1200):  # more than one DEL's worth
            redis_store.set(redis_store.keys.seen(str(i)), 1, ex=60)
        other.set(other.keys.seen("kept"), 1, ex=60)
        assert other.delete_prefix() == 1  # the '*' in its prefix is a character, not a pattern
        assert redis_store.delete_prefix() == 1200
        assert redis_store.scan(prefix + "*") == []
    finally:
        other.close()


def test_a_transaction_reads_again_after_a_conflicting_write(redis_store: Redis) -> None:
    key, calls = redis_store.keys.breaker("hook"), []

    def apply(watched: Watched) -> None:
        seen = watched.hget(key, "n")
        calls.append(seen)
        if len(calls) == 1:
            redis_store.hset(key, {"n": "other"})  # another replica writes between our read and EXEC
        watched.multi().hset(key, {"n": f"{seen}+1"})

    redis_store.transaction(apply, key)
    assert calls == [None, "other"] and redis_store.hget(key, "n") == "other+1"


def test_redis_errors_leave_as_service_unavailable(redis_store: Redis) -> None:
    key = redis_store.keys.seen("a-string")
    redis_store.set(key, "1", ex=60)
    with pytest.raises(ServiceUnavailable, match="refused a command"):
        redis_store.hgetall(key)  # WRONGTYPE: not the record's fault, so retried, never rejected
    pipe = redis_store.pipeline()
    pipe.hgetall(key)
    with pytest.raises(ServiceUnavailable, match="refused a command"):
        pipe.execute()


def test_a_stale_holder_cannot_release_a_new_holders_feed_lease(redis_store: Redis) -> None:
    leases = Leases(redis_store)
    stale = leases.acquire("wire", 30)
    assert stale is not None and leases.acquire("wire", 30) is None
    redis_store.delete(redis_store.keys.lease("wire"))  # as if it expired while its poll was paused
    fresh = leases.acquire("wire", 30)
    assert fresh is not None
    leases.release("wire", stale)  # the stale poll ends: it must not free the feed for a third replica
    assert redis_store.get(redis_store.keys.lease("wire")) == fresh and leases.acquire("wire", 30) is None
    leases.release("wire", fresh)
    assert redis_store.get(redis_store.keys.lease("wire")) is None


def test_a_stale_holder_cannot_renew_or_release_a_new_holders_claim(redis_store: Redis) -> None:
    key = redis_store.keys.claim("digest-1")
    stale, fresh = Lease(redis_store, key, 30), Lease(redis_store, key, 30)
    assert stale.renew() and not fresh.renew()
    redis_store.delete(key)  # the digest send outlived its claim
    assert fresh.renew()
    assert not stale.renew() and not stale.keep(1.0)
    stale.release()
    assert redis_store.get(key) == fresh.token
