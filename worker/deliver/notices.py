"""Feed-health notices: fetch's `FeedHealth` records, sent to `settings.feed_health.to` like alerts.

A second consumer of the deliver stage reads the notices topic (group
`<prefix>deliver-notices`) and hands each notice to the same `Deliverer` as
alerts, so a notice gets the ledger (once per destination), the retry
schedule, pacing and dead letters; `newswatch dlq replay` sends a
dead-lettered notice again. Keeping notices off the matches topic leaves
that topic one record type, and a burst of alerts never delays the news
that a feed died.
"""

from __future__ import annotations

from worker.clients.kafka import Message, Outgoing
from worker.deliver.delivery import Deliverer
from worker.deliver.destinations import Destinations
from worker.deliver.job import Job
from worker.records import FeedHealth
from worker.runtime import StageCore


class NoticeCore(StageCore[FeedHealth]):
    def __init__(self, destinations: Destinations, deliverer: Deliverer) -> None:
        self.destinations = destinations
        self.deliverer = deliverer

    def handle(self, items: list[tuple[Message, FeedHealth]]) -> list[Outgoing]:
        roster = self.destinations.current  # once: the whole batch goes by one config
        # as for alerts, a notice for a disabled destination is kept as a dead letter, with why
        jobs = [Job(payload=notice, destination=dest) for _, notice in items for dest in roster.notices_to]
        _, letters = self.deliverer.deliver(jobs, roster)
        return letters
