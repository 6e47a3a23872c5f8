"""The deliver stage: match records in; alerts sent, collected into digests, or dead-lettered.

Per batch: every "alert" decision becomes an Alert for each of its route's
destinations, except those another route's alert of the story reaches
(`shared`, see dedup), which that alert names; digest routes hand theirs to
the digest store, the rest are sent (see `delivery`) or parked for a retry.
An alert for a disabled destination is not dropped: it is dead-lettered at
once with the reason ("destination disabled: SLACK_WEBHOOK_URL unset"), so
enabling the destination and running `newswatch dlq replay` delivers it.
Dead letters are returned to the stage loop, which has Kafka acknowledge
them before it commits the batch. A flusher thread sends the digests whose
period has closed (a failing digest is parked like an alert), and a
redelivery thread sends what waits for a retry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from worker.clients.kafka import Kafka, Message, Outgoing
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.alerts import build_alert
from worker.deliver.delivery import Deliverer
from worker.deliver.destinations import Destinations
from worker.deliver.digest import Digests
from worker.deliver.flood import FloodControl
from worker.deliver.job import Job
from worker.deliver.notices import NoticeCore
from worker.deliver.redelivery import Produce, Redelivery
from worker.deliver.wiring import wire
from worker.errors import NewswatchError
from worker.health import Health
from worker.logs import get_logger
from worker.records import FeedHealth, Match
from worker.runtime import ConsumerStage, StageCore
from worker.stages import Stage

log = get_logger(__name__)
FLUSH_EVERY = 2.0
REDELIVER_EVERY = 0.5  # how soon a due retry or probe is noticed


class DeliverCore(StageCore[Match]):
    def __init__(self, destinations: Destinations, deliverer: Deliverer, digests: Digests,
                 flood: FloodControl | None = None) -> None:
        self.destinations = destinations
        self.deliverer = deliverer
        self.digests = digests
        self.flood = flood

    def handle(self, items: list[tuple[Message, Match]]) -> list[Outgoing]:
        jobs: list[Job] = []
        disabled = self.destinations.disabled
        for _, match in items:
            for decision in match.routes:
                if decision.status != "alert":
                    continue
                for destination in decision.destinations:
                    if destination in decision.shared:
                        continue
                    alert = build_alert(match, decision, destination)
                    if destination in disabled:  # dead-lettered with the reason by the deliverer
                        jobs.append(Job(payload=alert, destination=destination))
                    elif decision.digest and not self.deliverer.ledger.sent(alert.id, destination):
                        self.digests.add(alert, destination, decision.digest)
                    elif not decision.digest and (self.flood is None or self.flood.admit(alert, destination)):
                        jobs.append(Job(payload=alert, destination=destination))
        _, letters = self.deliverer.deliver(jobs, self.destinations)
        return letters


class DeliverStage(Stage):
    """Two consumers (matches, feed-health notices) and two helper threads (digests, retries)."""

    def __init__(self, config: Config, kafka: Kafka, store: Redis, health: Health) -> None:
        self.kafka = kafka
        self.stop = threading.Event()  # the helpers' and the notices consumer's; set by the process's stop
        self.wiring = wire(config, store, kafka.topic("deadletter"))
        self.ledger, self.destinations = self.wiring.ledger, self.wiring.destinations
        self.deliverer = self.wiring.deliverer
        self.redelivery = Redelivery(self.deliverer, self.wiring.retries, self.ledger, self.destinations,
                                     self.stop)
        self.digests = Digests(store, self.ledger)
        self.flood = FloodControl(store, self.digests, self.ledger, config)
        core = DeliverCore(self.destinations, self.deliverer, self.digests, self.flood)
        self.consumer = ConsumerStage("deliver", kafka, core, Match, "matches", health=health)
        self.notices = NoticeCore(self.destinations, self.deliverer, config)
        self.notice_consumer = ConsumerStage("deliver-notices", kafka, self.notices, FeedHealth, "notices",
                                             health=health)
        self._threads: list[threading.Thread] = []
        self._failed: list[BaseException] = []

    def update(self, config: Config) -> None:
        self.destinations.update(config)
        self.flood.update(config)
        self.notices.update(config)

    def start(self, stop: threading.Event) -> None:
        threading.Thread(target=_relay, args=(stop, self.stop), daemon=True).start()
        self.consumer.start(stop)
        self._threads = [threading.Thread(target=self._repeat, args=(every, work, name, done), name=name,
                                          daemon=True)
                         for name, every, work, done in (
                             ("digest-flusher", FLUSH_EVERY, self.flush, None),
                             ("redelivery", REDELIVER_EVERY, self.redelivery.tick, self.redelivery.close))]
        self._threads.append(threading.Thread(target=self._notices_until_stopped, name="deliver-notices"))
        for thread in self._threads:
            thread.start()

    def step(self, stop: threading.Event) -> None:
        """A batch of matches; the stage fails (and the process stops) once the notices consumer failed."""
        if self._failed:
            raise NewswatchError(f"the feed-health notices consumer stopped: {self._failed[0]}") \
                from self._failed[0]
        self.consumer.step(stop)

    def close(self) -> None:
        self.stop.set()
        self.consumer.close()  # first: the group hands its partitions on while the helpers finish
        for thread in self._threads:
            thread.join(timeout=60)
        self.wiring.close()

    def _notices_until_stopped(self) -> None:
        """The notices consumer; its failure fails the stage, as a stage's failure stops the process."""
        try:
            self.notice_consumer.run(self.stop)
        except Exception as exc:
            log.exception("feed-health notices consumer stopped on an error; stopping the deliver stage")
            self._failed.append(exc)

    def _repeat(self, every: float, work: Callable[[Produce], int], name: str,
                done: Callable[[], None] | None) -> None:
        """Run `work` every `every` seconds until the stage stops, with a producer for its dead letters;
        then `done`, which waits for work still in flight, before that producer closes."""
        producer = self.kafka.producer()
        failing_since: float | None = None  # one warning per outage, not one traceback per tick
        try:
            while not self.stop.wait(every):
                try:
                    work(producer.send_all)
                except Exception as exc:  # noqa: BLE001 - Redis or Kafka away: the next tick tries again
                    if failing_since is None:
                        failing_since = time.monotonic()
                        log.warning("background delivery work failing; retrying every tick", work=name,
                                    error=str(exc), error_type=type(exc).__name__, exc_info=True)
                    continue
                if failing_since is not None:
                    log.info("background delivery work going again", work=name,
                             failed_for=round(time.monotonic() - failing_since, 1))
                    failing_since = None
        finally:
            if done is not None:
                done()
            producer.close()

    def flush(self, produce: Produce) -> int:
        """Send (or park for a retry) every closed digest period once; returns how many were resolved."""
        done = 0
        for period in self.digests.due():
            lease = self.ledger.claim(period.id, 120)
            if lease is None:
                continue  # another replica is sending it
            try:
                job = Job(payload=self.digests.load(period), destination=period.destination)
                _, letters = self.deliverer.deliver([job], self.destinations)
                produce(letters)  # a refused digest is a dead letter before it is deleted here
                self.digests.close(period)
                done += 1
            finally:
                lease.release()
        return done


def _relay(outer: threading.Event, inner: threading.Event) -> None:
    """Retries wait on the stage's own event; the process's stop sets it."""
    outer.wait()
    inner.set()
