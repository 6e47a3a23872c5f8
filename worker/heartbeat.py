"""The worker's periodic health line.

"14 feeds: 11 ok, 2 backing off, 1 failing; 37 alerts sent in the last hour".

A quiet log is only reassuring if it says, now and then, that quiet is
health: polls that bring nothing and alerts that go out log at debug or once,
so a minute after the start and every five minutes then, one line sums up
the feeds (from Redis, as every replica sees them; the same words as
`newswatch feeds status`) and the alerts this process sent and dead-lettered
in the last hour.
"""

from __future__ import annotations

import time
from collections import deque

from prometheus_client import Counter

from worker import metrics
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.fetch.status import feed_status, summary
from worker.logs import human_duration

FIRST = 60.0  # the first line comes within the first minute, so a new operator sees one early
EVERY = 300.0
WINDOW = 3600.0


def _total(counter: Counter) -> float:
    return sum(s.value for m in counter.collect() for s in m.samples if s.name.endswith("_total"))


class Heartbeat:
    def __init__(self, redis: Redis, every: float = EVERY) -> None:
        self.redis = redis
        self.every = every
        self.started = time.monotonic()
        self.due = self.started + min(FIRST, every)
        self._samples: deque[tuple[float, float, float]] = deque([(self.started, _total(metrics.SENT),
                                                                   _total(metrics.DEAD))])

    def line(self, config: Config, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        sent, dead = _total(metrics.SENT), _total(metrics.DEAD)
        while len(self._samples) > 1 and self._samples[1][0] <= now - WINDOW:
            self._samples.popleft()
        since, sent_before, dead_before = self._samples[0]
        self._samples.append((now, sent, dead))
        span = ("in the last hour" if now - since >= WINDOW - 1
                else f"in the last {human_duration(now - since)}")
        alerts = f"{int(sent - sent_before)} alert{'s' if sent - sent_before != 1 else ''} sent {span}"
        if dead > dead_before:
            alerts += f", {int(dead - dead_before)} dead-lettered (`newswatch dlq list`)"
        return f"{summary(feed_status(config, self.redis))}; {alerts}"

    def beat(self, config: Config) -> str | None:
        """The line when one is due, else None."""
        now = time.monotonic()
        if now < self.due:
            return None
        self.due = now + self.every
        return self.line(config, now)
