"""Digest routes: alerts collected per route, destination and period in Redis, sent once per period.

An alert handed to a digest is recorded in the ledger as done for that
destination in the same transaction, so a re-read batch does not put it into
a later digest too. When a period has closed, one deliver replica claims the
digest (a short Redis claim that expires if that replica dies), sends it
once under its own stable id, and only then deletes it.

Flood control (`flood.py`) hands a route's alerts past its burst budget to
the same store, as a period marked with the budget (`Period.budget`), so
they are sent, summarised, like any digest.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from worker.clients.redis import Redis
from worker.deliver.ledger import Ledger
from worker.records import Alert, Digest, stable_id


@dataclass(frozen=True)
class Period:
    route: str
    destination: str
    start: float
    length: float
    budget: int = 0  # the route's burst budget, when the period holds the alerts past it

    @property
    def member(self) -> str:
        member = f"{self.route}|{self.destination}|{self.start:.0f}|{self.length:.0f}"
        return f"{member}|{self.budget}" if self.budget else member

    @property
    def id(self) -> str:
        kind = f"flood {self.budget}" if self.budget else "digest"
        return stable_id(kind, self.route, self.destination, f"{self.start:.0f}")

    @classmethod
    def parse(cls, member: str) -> Period:
        route, destination, start, length, *budget = member.split("|")
        return cls(route, destination, float(start), float(length), int(budget[0]) if budget else 0)


class Digests:
    def __init__(self, store: Redis, ledger: Ledger) -> None:
        self.store = store
        self.ledger = ledger

    def add(self, alert: Alert, destination: str, length: float, budget: int = 0) -> None:
        length = max(1.0, length)
        period = Period(alert.route, destination, math.floor(time.time() / length) * length, length, budget)
        pipe = self.store.pipeline(transaction=True)
        pipe.hset(self._key(period), {alert.id: alert.to_json().decode()})
        pipe.expire(self._key(period), int(length) + 7 * 86400)
        pipe.sadd(self.store.keys.digests(), period.member)
        self.ledger.mark_sent(alert.id, destination, pipe, digest=period.id)  # a re-read batch skips it
        pipe.execute()

    def due(self, now: float | None = None) -> list[Period]:
        now = time.time() if now is None else now
        periods = [Period.parse(m) for m in self.store.smembers(self.store.keys.digests())]
        return sorted((p for p in periods if p.start + p.length <= now), key=lambda p: p.start)

    def load(self, period: Period) -> Digest:
        raw = self.store.hgetall(self._key(period))
        # in an order that is the same on every load: a retried digest splits into the same Slack parts
        alerts = sorted((Alert.model_validate_json(v) for v in raw.values()),
                        key=lambda a: (a.first_seen, a.id))
        return Digest(id=period.id, route=period.route, alerts=alerts, budget=period.budget or None,
                      period_start=datetime.fromtimestamp(period.start, UTC),
                      period_end=datetime.fromtimestamp(period.start + period.length, UTC))

    def close(self, period: Period) -> None:
        pipe = self.store.pipeline(transaction=True)
        pipe.delete(self._key(period))
        pipe.srem(self.store.keys.digests(), period.member)
        pipe.execute()

    def _key(self, period: Period) -> str:
        return self.store.keys.digest(period.member)
