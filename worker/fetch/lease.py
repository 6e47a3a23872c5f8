"""A lease per feed, so one replica polls it at a time (see worker/clients/lease.py).

The lease expires by itself, so a replica that dies mid-poll holds its feed
for at most the lease time; the token it returns is what releases it.
"""

from __future__ import annotations

from worker.clients.lease import Lease
from worker.clients.redis import Redis


class Leases:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def acquire(self, feed_id: str, seconds: float) -> str | None:
        """A token when the lease is ours for `seconds`, None when another replica holds it."""
        lease = Lease(self.redis, self.redis.keys.lease(feed_id), seconds)
        return lease.token if lease.renew() else None

    def release(self, feed_id: str, token: str) -> None:
        """Release the lease `token` holds; one that expired and was taken by another replica stays theirs."""
        Lease(self.redis, self.redis.keys.lease(feed_id), 0, token).release()
