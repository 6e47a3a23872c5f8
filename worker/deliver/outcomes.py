"""Each destination's last delivery outcomes, shared by every replica (and `dlq replay`) in Redis.

The breaker counts only failures that may get better, since it decides when
to try again; a receiver that refuses every alert (410 Gone, 404, 401)
answers, so its breaker stays closed and nothing there says it fails. Here
every attempt counts, whatever its kind: when the destination last took an
alert, when it last failed and why, and how many attempts have failed since
it last took one, which is what `newswatch destinations status` reports.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from worker.clients.redis import Pipeline, Redis

State = Literal["ok", "retrying", "failing", "open"]


@dataclass(frozen=True)
class Outcome:
    last_delivered_at: float = 0.0
    last_failed_at: float = 0.0
    last_error: str = ""
    failed_since_delivered: int = 0  # attempts failed (retryable or refused) since the last delivery

    @property
    def failing(self) -> bool:
        """The destination's last attempt failed."""
        return self.failed_since_delivered > 0


def state(breaker_label: str, outcome: Outcome) -> State:
    """A destination's state: the breaker's word (`breaker.label`), unless the last attempt failed and
    the breaker does not hold alerts back, which is `failing`."""
    if breaker_label == "open":
        return "open"
    if outcome.failing:
        return "failing"
    return "retrying" if breaker_label == "retrying" else "ok"


class Outcomes:
    def __init__(self, store: Redis) -> None:
        self.store = store

    def delivered(self, destination: str, pipe: Pipeline | None = None) -> None:
        """Record a delivery; on `pipe` when it goes with other writes (one round trip)."""
        fields: dict[str, float] = {"last_delivered_at": time.time(), "failed_since_delivered": 0}
        if pipe is None:
            self.store.hset(self.store.keys.outcome(destination), fields)
        else:
            pipe.hset(self.store.keys.outcome(destination), fields)

    def failed(self, destination: str, reason: str) -> None:
        key = self.store.keys.outcome(destination)
        pipe = self.store.pipeline(transaction=True)
        pipe.hset(key, {"last_failed_at": time.time(), "last_error": reason})
        pipe.hincrby(key, "failed_since_delivered", 1)
        pipe.execute()

    def load(self, destination: str) -> Outcome:
        raw = self.store.hgetall(self.store.keys.outcome(destination))
        return Outcome(last_delivered_at=float(raw.get("last_delivered_at", 0)),
                       last_failed_at=float(raw.get("last_failed_at", 0)),
                       last_error=raw.get("last_error", ""),
                       failed_since_delivered=int(raw.get("failed_since_delivered", 0)))
