"""The seen-set outlives a Redis that lost its keys, for the entries this process sent."""

from __future__ import annotations

from worker.clients.redis import Redis
from worker.fetch.seen import SeenSet


def test_entries_sent_before_redis_lost_its_keys_are_not_new_again(redis_store: Redis) -> None:
    seen = SeenSet(redis_store, ttl=3600)
    assert seen.unseen(["a", "b"]) == ["a", "b"]
    seen.mark(["a", "b"])
    redis_store.client.delete(redis_store.key("seen", "a"), redis_store.key("seen", "b"))  # the loss
    assert seen.unseen(["a", "b", "c"]) == ["c"]
    assert SeenSet(redis_store, ttl=3600).unseen(["a", "b", "c"]) == ["c"]  # written back for the others
