"""A pace per destination shared by every deliver replica: Slack takes about one message a second.

The script reserves the next free slot (`max(now, last + interval)`) and
returns how long to wait for it; Redis runs it atomically, so replicas queue
behind each other instead of all posting at once.
"""

from __future__ import annotations

import time

from worker.clients.redis import Redis

_RESERVE = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local last = tonumber(redis.call('get', KEYS[1]) or '0')
local slot = math.max(now, last + interval)
redis.call('set', KEYS[1], tostring(slot), 'PX', math.ceil((slot - now + interval) * 1000) + 1000)
return tostring(slot - now)
"""


class Pacer:
    def __init__(self, store: Redis) -> None:
        self.store = store
        self._reserve = store.client.register_script(_RESERVE)

    def wait(self, destination: str, interval: float) -> float:
        """Sleep until this destination's next slot; return how long that was."""
        delay = float(self._reserve(keys=[self.store.key("pace", destination)], args=[time.time(), interval]))
        if delay > 0:
            time.sleep(delay)
        return delay
