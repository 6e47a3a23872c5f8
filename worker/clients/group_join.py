"""A fix for kafka-python 3.0.12's group join, which can leave a consumer with no partitions for good.

`KafkaConsumer.poll(timeout)` waits for a JoinGroup/SyncGroup attempt only
until its timeout, and leaves the attempt running. When the attempt finishes
while no poll waits for it (a slow or busy machine, a short poll timeout), the
next poll either:

- starts a new JoinGroup and throws the finished one away, if the member still
  wants to rejoin: the broker logs "Leader ... re-joining group during Stable"
  and runs one more rebalance; or
- does nothing at all, if the finished attempt's own assignment step made
  `need_rejoin()` false (a rejoin that a metadata change asked for): the member
  stays REBALANCING with heartbeats off, the broker drops it after
  `session.timeout.ms`, and it never joins again. Its stage sits with no
  partitions and nothing in the logs says why.

Both come from one line of `join_group_async` that treats a finished attempt
like no attempt. The fix: a finished attempt is collected (its assignment, or
its error, handled as if a poll had waited for it), and a member with an
attempt outstanding always goes back to collect it. Applied once, by
worker/adaptations.py, to the one version it was written against (pyproject
pins it); tests/clients/test_group_join.py reproduces the bug.
"""

from __future__ import annotations

from typing import Any

import kafka
from kafka.coordinator.base import BaseCoordinator
from kafka.coordinator.consumer import ConsumerCoordinator

FIXED_VERSION = "3.0.12"
_MARK = "_newswatch_join_fix"


def apply() -> bool:
    """Patch the coordinator classes once; False when the installed kafka-python is another version."""
    if kafka.__version__ != FIXED_VERSION:
        return False
    if getattr(BaseCoordinator, _MARK, False):
        return True
    join = BaseCoordinator._do_join_and_sync_async
    ensure = BaseCoordinator.join_group_async
    need_rejoin = ConsumerCoordinator.need_rejoin

    async def join_group_async(self: Any, timeout_ms: Any = None) -> Any:
        attempt = self._join_task
        # join_group_async replaces a finished attempt with a new one; hand that
        # new one the finished attempt's outcome instead of a second JoinGroup.
        self._newswatch_finished = attempt if attempt is not None and attempt.is_done else None
        return await ensure(self, timeout_ms)

    async def do_join_and_sync_async(self: Any) -> Any:
        finished, self._newswatch_finished = getattr(self, "_newswatch_finished", None), None
        if finished is not None:
            if finished.exception is not None:
                raise finished.exception
            return finished.value
        return await join(self)

    def consumer_need_rejoin(self: Any) -> bool:
        return self._join_task is not None or bool(need_rejoin(self))

    BaseCoordinator.join_group_async = join_group_async
    BaseCoordinator._do_join_and_sync_async = do_join_and_sync_async
    ConsumerCoordinator.need_rejoin = consumer_need_rejoin
    setattr(BaseCoordinator, _MARK, True)
    return True
