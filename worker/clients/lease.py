"""A lease: work that one replica must do alone, held under a Redis key that holds the holder's token.

SET NX PX with a random token; renewed and released by scripts that touch
the key only while it still holds that token (Redis's documented
single-instance lock pattern). So a holder whose lease expired while it was
paused or slow can neither extend nor delete the lease another replica took
meanwhile, and a holder that dies holds the work only until the lease expires.
Feed polls (fetch/lease.py) and the deliver claims (deliver/ledger.py) both use it.
"""

from __future__ import annotations

import secrets
import time

from worker.clients.redis import Redis

# Only the holder's token may extend or delete a lease; SET NX takes a free one.
_RENEW = """
local held = redis.call('get', KEYS[1])
if held == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if held then return 0 end
return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


class Lease:
    """One holder's lease on `key`; `token` names the holder (a new random one unless given)."""

    def __init__(self, store: Redis, key: str, seconds: float, token: str | None = None) -> None:
        self.store = store
        self.key = key
        self.ms = max(1000, int(seconds * 1000))
        self.token = token or secrets.token_hex(16)
        self._until = 0.0  # monotonic time until which the lease is surely ours
        self._renew = store.script(_RENEW)
        self._release = store.script(_RELEASE)

    def renew(self) -> bool:
        """Take the lease if free, or extend it if ours; False when another holder has it."""
        started = time.monotonic()
        held = self._renew.flag([self.key], [self.token, self.ms])
        self._until = started + self.ms / 1000 if held else 0.0
        return held

    def keep(self, margin: float) -> bool:
        """True when the lease is ours for at least `margin` more seconds, renewing it only when needed."""
        return time.monotonic() + margin < self._until or self.renew()

    def release(self) -> None:
        """Give the lease up, if it is still ours; another holder's is left alone."""
        self._until = 0.0
        self._release.run([self.key], [self.token])
