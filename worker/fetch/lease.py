"""A lease per feed, so one replica polls it at a time.

SET NX PX with a random token, released by a script that deletes the key
only if it still holds our token: Redis's documented single-instance lock
pattern. The lease expires by itself, so a replica that dies mid-poll holds
its feed for at most the lease time.
"""

from __future__ import annotations

import secrets

from worker.clients.redis import Redis

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class Leases:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._release = redis.client.register_script(_RELEASE)

    def acquire(self, feed_id: str, seconds: float) -> str | None:
        """A token when the lease is ours for `seconds`, None when another replica holds it."""
        token = secrets.token_hex(16)
        taken = self.redis.client.set(self.redis.key("lease", feed_id), token, nx=True,
                                      px=int(seconds * 1000))
        return token if taken else None

    def release(self, feed_id: str, token: str) -> None:
        self._release(keys=[self.redis.key("lease", feed_id)], args=[token])
