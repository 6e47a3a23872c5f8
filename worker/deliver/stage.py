"""The deliver stage: match records in; alerts sent, collected into digests, or dead-lettered.

Per batch: every "alert" decision becomes an Alert for each of its route's
destinations; digest routes hand theirs to the digest store, the rest are
sent (see `delivery`). Dead letters are returned to the stage loop, which has
Kafka acknowledge them before it commits the batch. A flusher thread sends
the digests whose period has closed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.alerts import build_alert
from worker.deliver.delivery import Deliverer, Job
from worker.deliver.destinations import Sender, senders
from worker.deliver.digest import Digests
from worker.deliver.flood import FloodControl
from worker.deliver.ledger import Ledger
from worker.deliver.notices import NoticeCore
from worker.errors import NewswatchError
from worker.health import Health
from worker.logs import get_logger
from worker.pace import Pacer
from worker.records import FeedHealth, Match
from worker.runtime import ConsumerStage

log = get_logger(__name__)
FLUSH_EVERY = 2.0
Produce = Callable[[Iterable[Outgoing]], None]


class Destinations:
    """The current config's senders, swapped whole when the config is reloaded."""

    def __init__(self, config: Config, http: HttpClient, pacer: Pacer) -> None:
        self.http = http
        self.pacer = pacer
        self.update(config)

    def update(self, config: Config) -> None:
        self.senders: dict[str, Sender] = senders(config, self.http, self.pacer)
        self.disabled = {d.id for d in config.destinations if not d.enabled}


class DeliverCore:
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
                alert = build_alert(match, decision)
                for destination in decision.destinations:
                    if destination in disabled:
                        log.debug("destination disabled; not sent", alert=alert.id, destination=destination)
                    elif decision.digest and not self.deliverer.ledger.sent(alert.id, destination):
                        self.digests.add(alert, destination, decision.digest)
                    elif not decision.digest and (self.flood is None or self.flood.admit(alert, destination)):
                        jobs.append(Job(alert, destination))
        _, letters = self.deliverer.deliver(jobs, self.destinations.senders)
        return letters


class DeliverStage:
    def __init__(self, config: Config, kafka: Kafka, store: Redis, health: Health) -> None:
        self.kafka = kafka
        self.stop = threading.Event()
        self.ledger = Ledger(store, config.settings.deliver.sent_ttl)
        self.destinations = Destinations(config, HttpClient(config.settings.http, guard=False), Pacer(store))
        self.deliverer = Deliverer(config.settings.deliver, self.ledger, kafka.topic("deadletter"), self.stop)
        self.digests = Digests(store, self.ledger)
        self.flood = FloodControl(store, self.digests, self.ledger, config)
        core = DeliverCore(self.destinations, self.deliverer, self.digests, self.flood)
        self.consumer = ConsumerStage("deliver", kafka, core, Match, "matches", health=health)
        self.notices = NoticeCore(self.destinations, self.deliverer, config)
        self.notice_consumer = ConsumerStage("deliver-notices", kafka, self.notices, FeedHealth, "notices",
                                             health=health)

    def update(self, config: Config) -> None:
        self.destinations.update(config)
        self.flood.update(config)
        self.notices.update(config)

    def run(self, stop: threading.Event) -> None:
        threading.Thread(target=_relay, args=(stop, self.stop), daemon=True).start()
        flusher = threading.Thread(target=self._flush_until_stopped, name="digest-flusher", daemon=True)
        flusher.start()
        failed: list[BaseException] = []
        notices = threading.Thread(target=self._notices_until_stopped, args=(stop, failed),
                                   name="deliver-notices")
        notices.start()
        try:
            self.consumer.run(stop)
        finally:
            self.stop.set()
            flusher.join(timeout=30)
            notices.join(timeout=60)
        if failed:
            raise NewswatchError(f"the feed-health notices consumer stopped: {failed[0]}") from failed[0]

    def _notices_until_stopped(self, stop: threading.Event, failed: list[BaseException]) -> None:
        """The notices consumer; its failure stops the stage, as a stage's failure stops the process."""
        try:
            self.notice_consumer.run(self.stop)
        except Exception as exc:
            log.exception("feed-health notices consumer stopped on an error; stopping the deliver stage")
            failed.append(exc)
            stop.set()
            self.deliverer.close()
            self.destinations.http.close()

    def _flush_until_stopped(self) -> None:
        producer = self.kafka.producer()
        try:
            while not self.stop.wait(FLUSH_EVERY):
                try:
                    self.flush(producer.send_all)
                except Exception:  # noqa: BLE001 - Redis or Kafka away: the next tick tries again
                    log.exception("digest flush failed; retrying at the next tick")
        finally:
            producer.close()

    def flush(self, produce: Produce) -> int:
        """Send every closed digest period once; returns how many were resolved."""
        done = 0
        for period in self.digests.due():
            if not self.ledger.claim(period.id, 120):
                continue  # another replica is sending it
            try:
                if not self.ledger.sent(period.id, period.destination):
                    _, letters = self.deliverer.deliver([Job(self.digests.load(period), period.destination)],
                                                        self.destinations.senders)
                    produce(letters)  # a failed digest is a dead letter before it is deleted here
                self.digests.close(period)
                done += 1
            finally:
                self.ledger.release(period.id)
        return done


def _relay(outer: threading.Event, inner: threading.Event) -> None:
    """Retries wait on the stage's own event; the process's stop sets it."""
    outer.wait()
    inner.set()


def deliver_stage(config: Config, kafka: Kafka, redis: Redis, health: Health) -> DeliverStage:
    """The deliver stage of `newswatch run`: group <prefix>deliver, reading matches."""
    return DeliverStage(config, kafka, redis, health)
