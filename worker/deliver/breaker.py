"""A circuit breaker per destination, shared by every deliver replica in one Redis hash.

closed: alerts go out; each failed attempt counts, each answer resets the
count. After `open_after` failures in a row it opens: nothing is sent but one
probe (the oldest waiting alert) when `next_probe` comes, at the schedule's
pace capped at `probe_max`. While that probe is in flight it is half-open; an
answer closes it and what waited flows out in order, another failure opens it
again with the next, longer wait. An "answer" is anything but a retryable
failure: a 4xx says the receiver is up and this one request is wrong.

The transitions are pure (`Breaker`); `Breakers` applies them under
WATCH/MULTI, so two replicas reporting at once never lose a count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from worker.clients.redis import Redis, Watched
from worker.config.models import RetrySchedule
from worker.deliver.retry import probe_delay

State = Literal["closed", "open", "half-open"]


@dataclass(frozen=True)
class Breaker:
    state: State = "closed"
    failures: int = 0  # failed attempts in a row, any alert
    failed_probes: int = 0  # since it last opened
    next_probe: float = 0.0
    opened_at: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0

    @property
    def closed(self) -> bool:
        return self.state == "closed"

    def failed(self, schedule: RetrySchedule, reason: str, now: float,
               retry_after: float | None = None) -> Breaker:
        """A retryable failure: count it; open after `open_after` in a row; a failed probe reopens."""
        seen = replace(self, failures=self.failures + 1, last_error=reason, last_error_at=now)
        if self.state == "half-open":
            probes = self.failed_probes + 1
            return replace(seen, state="open", failed_probes=probes,
                           next_probe=now + probe_delay(schedule, probes, retry_after))
        if self.state == "closed" and seen.failures >= schedule.open_after:
            return replace(seen, state="open", failed_probes=0, opened_at=now,
                           next_probe=now + probe_delay(schedule, 0, retry_after))
        return seen  # closed below the threshold, or an attempt begun before it opened

    def answered(self) -> Breaker:
        """The destination answered: closed, counts reset; the last error stays for `status`."""
        return replace(self, state="closed", failures=0, failed_probes=0, next_probe=0.0, opened_at=0.0)

    def probing(self, now: float) -> Breaker | None:
        """Half-open when a probe is due; None when it is not, or the breaker is closed.

        A breaker found half-open lost its prober (it died mid-probe, or the
        lease holder is probing, which keeps everyone else out): probe again.
        """
        if not self.closed and now >= self.next_probe:
            return replace(self, state="half-open")
        return None


class Breakers:
    def __init__(self, store: Redis) -> None:
        self.store = store

    def key(self, destination: str) -> str:
        return self.store.keys.breaker(destination)

    def load(self, destination: str, watched: Watched | None = None) -> Breaker:
        """The breaker's state; read through `watched` when it WATCHes the key for an update."""
        return decode((watched or self.store).hgetall(self.key(destination)))

    def update(self, destination: str, change: Callable[[Breaker], Breaker | None]) -> Breaker | None:
        """Apply `change` to the current state atomically; None (nothing written) when it returns None."""
        key = self.key(destination)
        result: list[Breaker | None] = [None]

        def apply(watched: Watched) -> None:
            after = change(self.load(destination, watched))
            result[0] = after
            if after is not None:
                watched.multi().hset(key, asdict(after))

        self.store.transaction(apply, key)
        return result[0]

    def failed(self, destination: str, schedule: RetrySchedule, reason: str,
               retry_after: float | None = None) -> Breaker | None:
        return self.update(destination, lambda b: b.failed(schedule, reason, time.time(), retry_after))

    def answered(self, destination: str) -> None:
        state, failures = self.store.hmget(self.key(destination), ["state", "failures"])
        if (state or "closed") != "closed" or int(failures or 0):  # one read when nothing changes
            self.update(destination, lambda b: None if b.closed and not b.failures else b.answered())


def decode(raw: dict[str, str]) -> Breaker:
    values: dict[str, Any] = {}
    for f in fields(Breaker):
        if f.name in raw:
            text = raw[f.name]
            values[f.name] = int(text) if f.type == "int" else float(text) if f.type == "float" else text
    return Breaker(**values)


def label(breaker: Breaker, waiting: int) -> Literal["ok", "retrying", "open"]:
    """The state operators see: sending normally, retrying some alerts, or holding everything back."""
    if not breaker.closed:
        return "open"
    return "retrying" if waiting or breaker.failures else "ok"
