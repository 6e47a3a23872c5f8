"""Feed health for the team that owns the feeds: one message when a feed fails, goes silent or recovers.

After each poll the feed's health is assessed from its shared state:

- failing: `feed_health.failing_after` polls failed in a row;
- silent: it answers, but its newest publication is older than
  `feed_health.silent_after` times its usual gap (the median gap between its
  recent publications, the same times the adaptive interval learns from;
  unknown, and never silent, with fewer than three);
- ok otherwise; a failure or two short of `failing_after` keeps the
  health it had, so one timeout does not "recover" a silent feed.

The health is kept in the feed's state in Redis, which only the poll holding
the feed's lease writes, so a change is seen once across every fetcher
replica, not once per poll or per replica. A change produces a `FeedHealth`
record on the notices topic, acknowledged by Kafka before the state is
saved; deliver sends it to `feed_health.to` with the ledger, retries and
dead letters of alerts. Its id numbers the change, so a poll repeated after
a crash between the two repeats the same id, which the ledger drops.
"""

from __future__ import annotations

from datetime import UTC, datetime

from worker.clients.kafka import Outgoing, Producer
from worker.config.models import Feed, FeedHealthSettings
from worker.fetch.cadence import usual_gap
from worker.fetch.state import FeedState
from worker.logs import get_logger
from worker.records import FeedHealth, FeedHealthState, stable_id

log = get_logger(__name__)


def assess(state: FeedState, settings: FeedHealthSettings, now: float) -> FeedHealthState:
    """The feed's health after this poll; a failure or two short of failing changes nothing yet."""
    if state.failures >= settings.failing_after:
        return "failing"
    if state.failures > 0:
        return state.health
    gap = usual_gap(state.recent)
    if state.failures == 0 and gap is not None and now - max(state.recent) > settings.silent_after * gap:
        return "silent"
    return "ok"


class FeedHealthWatch:
    def __init__(self, settings: FeedHealthSettings, producer: Producer, topic: str) -> None:
        self.settings = settings
        self.producer = producer
        self.topic = topic

    def observe(self, feed: Feed, state: FeedState, now: float) -> None:
        """Update `state`'s health; on a change, first have Kafka hold its notice (when anyone listens)."""
        health = assess(state, self.settings, now)
        previous = state.health
        if health == previous:
            return
        number = state.health_changes + 1
        notice = FeedHealth(
            id=stable_id("feed-health", feed.id, str(number)), feed_id=feed.id, feed_url=feed.url,
            state="recovered" if health == "ok" else health, previous=previous, failures=state.failures,
            last_error=state.last_error or None, last_success=_at(state.last_success),
            last_published=_at(max(state.recent, default=0.0)), usual_gap=usual_gap(state.recent),
            at=datetime.fromtimestamp(now, UTC))
        if self.settings.to:
            self.producer.send_all([Outgoing(self.topic, feed.id, notice.to_json())])
        state.health, state.health_since, state.health_changes = health, now, number
        log.warning("feed health changed", feed=feed.id, url=feed.url, health=health, previous=previous,
                    failures=state.failures, notice=notice.id, to=self.settings.to)


def _at(epoch: float) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch else None
