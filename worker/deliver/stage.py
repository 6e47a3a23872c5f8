"""The deliver stage: match records in; alerts sent, collected into digests, or dead-lettered.

Per batch: every "alert" decision becomes an Alert for each of its route's
destinations, except those another route's alert of the story reaches
(`shared`, see dedup), which that alert names; digest routes hand theirs to
the digest store, the rest are sent (see `delivery`) or parked for a retry.
An alert for a disabled destination is not dropped: it is dead-lettered at
once with the reason ("destination disabled: SLACK_WEBHOOK_URL unset"), so
enabling the destination and running `newswatch dlq replay` delivers it.
Dead letters are returned to the stage loop, which has Kafka acknowledge
them before it commits the batch. A flusher stage sends the digests whose
period has closed (a failing digest is parked like an alert), and a
redelivery stage sends what waits for a retry (see `background`).
"""

from __future__ import annotations

import threading

from worker.clients.connections import Clients
from worker.clients.kafka import Message, Outgoing
from worker.config.models import Config
from worker.deliver.alerts import alerts_of
from worker.deliver.background import Background
from worker.deliver.delivery import Deliverer
from worker.deliver.destinations import Destinations, Roster
from worker.deliver.digest import Digests
from worker.deliver.flood import FloodControl
from worker.deliver.job import Job
from worker.deliver.notices import NoticeCore
from worker.deliver.redelivery import Produce, Redelivery
from worker.deliver.wiring import wire
from worker.health import Health
from worker.logs import get_logger
from worker.records import Alert, FeedHealth, MatchHead
from worker.runtime import ConsumerStage, StageCore
from worker.stages import Stage, supervise

log = get_logger(__name__)
FLUSH_EVERY = 2.0
REDELIVER_EVERY = 0.5  # how soon a due retry or probe is noticed


class DeliverCore(StageCore[MatchHead]):
    def __init__(self, destinations: Destinations, deliverer: Deliverer, digests: Digests,
                 flood: FloodControl | None = None) -> None:
        self.destinations = destinations
        self.deliverer = deliverer
        self.digests = digests
        self.flood = flood

    def update(self, config: Config) -> None:
        """The new config's roster, swapped in whole; the batch under way keeps the one it took."""
        self.destinations.update(config)

    def handle(self, items: list[tuple[Message, MatchHead]]) -> list[Outgoing]:
        jobs: list[Job] = []
        roster = self.destinations.current  # once: the whole batch goes by one config
        disabled = roster.disabled
        for _, match in items:
            for decision, destination, alert in alerts_of(match):
                if destination in disabled:  # dead-lettered with the reason by the deliverer
                    jobs.append(Job(payload=alert, destination=destination))
                elif decision.digest:
                    if not self.deliverer.ledger.sent(alert.id, destination):
                        self.digests.add(alert, destination, decision.digest)
                elif self._admit(alert, destination, roster):
                    jobs.append(Job(payload=alert, destination=destination))
        _, letters = self.deliverer.deliver(jobs, roster)
        return letters

    def _admit(self, alert: Alert, destination: str, roster: Roster) -> bool:
        """Whether to send now: within its route's burst budget (the rest goes in the window's summary)."""
        return self.flood is None or self.flood.admit(alert, destination, roster.bursts.get(alert.route))


class Delivery:
    """The deliver stage's shared parts, and its four stages: the consumers of matches and of feed-health
    notices, the digest flusher and the redelivery loop, each run and joined by the supervisor.

    The redelivery loop comes first in `stages()`: it owns the parts the others share (the destinations'
    HTTP client, the deliverer's threads), so it is opened first and closed last.
    """

    def __init__(self, config: Config, clients: Clients, health: Health) -> None:
        kafka, store = clients.kafka, clients.redis
        self.wiring = wire(config, store, kafka.topic("deadletter"))
        self.ledger, self.destinations = self.wiring.ledger, self.wiring.destinations
        self.deliverer = self.wiring.deliverer
        self.redelivery = Redelivery(self.deliverer, self.wiring.retries, self.ledger, self.destinations)
        self.digests = Digests(store, self.ledger)
        self.flood = FloodControl(store, self.digests, self.ledger)
        core = DeliverCore(self.destinations, self.deliverer, self.digests, self.flood)
        self.consumer = ConsumerStage("deliver", kafka, core, MatchHead, "matches", health=health)
        self.notices = NoticeCore(self.destinations, self.deliverer)
        self.notice_consumer = ConsumerStage("deliver-notices", kafka, self.notices, FeedHealth, "notices",
                                             health=health)
        self.flusher = Background("deliver-digests", kafka, FLUSH_EVERY, self.flush)
        self.retrier = Background("deliver-retries", kafka, REDELIVER_EVERY, self.redelivery.tick,
                                  started=self.redelivery.follow, done=self._close)

    def stages(self) -> list[Stage]:
        return [self.retrier, self.flusher, self.notice_consumer, self.consumer]

    def run(self, stop: threading.Event) -> None:
        """The four stages, supervised, until `stop` is set (as `newswatch run --stage deliver`)."""
        supervise(self.stages(), stop)

    def _close(self) -> None:
        """Wait for the drains under way, then the deliveries, then close the destinations' HTTP client."""
        try:
            self.redelivery.close()
        finally:
            self.wiring.close()

    def flush(self, produce: Produce) -> int:
        """Send (or park for a retry) every closed digest period once; returns how many were resolved."""
        done = 0
        for period in self.digests.due():
            lease = self.ledger.claim(period.id, 120)
            if lease is None:
                continue  # another replica is sending it
            try:
                job = Job(payload=self.digests.load(period), destination=period.destination)
                _, letters = self.deliverer.deliver([job], self.destinations.current)
                produce(letters)  # a refused digest is a dead letter before it is deleted here
                self.digests.close(period)
                done += 1
            finally:
                lease.release()
        return done



def deliver_stages(config: Config, clients: Clients, health: Health) -> list[Stage]:
    """The deliver stage of `newswatch run`: its four stages (see `Delivery`)."""
    return Delivery(config, clients, health).stages()
