"""Delivering a batch: each destination in its own lane, in parallel; one destination's alerts in order.

Each alert gets one attempt here. When it fails with something that may get
better (a 5xx, 408/425/429, no answer) it is parked in Redis with its
destination's retry schedule (see `parked`, `redelivery`) and the batch goes
on, so the `matches` offset is committed once the alert is parked. A 4xx that
will not get better, or a destination missing from the config, makes it a dead
letter at once, returned to the stage loop so Kafka has it before the batch
is committed. While a destination has alerts waiting, or its breaker is not
closed, new alerts join the end of its queue unsent: they go out in order
when it answers again.

Without a parking place (`newswatch dlq replay`), a failed attempt is a dead
letter again at once, its attempts counted.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

from worker import metrics
from worker.clients.kafka import Outgoing
from worker.clients.redis import Pipeline
from worker.config.models import DeliverSettings
from worker.deliver.breaker import Breaker, Breakers, decode
from worker.deliver.destinations import Roster, Sender
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger
from worker.deliver.outcomes import Outcomes
from worker.deliver.parked import ParkedAlerts
from worker.deliver.retry import retry_delay
from worker.errors import DeliveryError
from worker.logs import get_logger
from worker.records import Alert, DeadLetter, Digest, FeedHealth

log = get_logger(__name__)
NO_SUCH_DESTINATION = "no such destination in the config; define it, then replay"


@dataclass(frozen=True)
class Retries:
    """Where failed deliveries wait, and the breakers that decide when to try again."""

    parked: ParkedAlerts
    breakers: Breakers


@dataclass(frozen=True)
class View:
    """One atomic read of a delivery's state: sent already? what waits before it? the breaker."""

    sent: bool
    waiting: int = 0
    breaker: Breaker = Breaker()

    @property
    def clear(self) -> bool:
        return self.waiting == 0 and self.breaker.closed


class Deliverer:
    def __init__(self, settings: DeliverSettings, ledger: Ledger, deadletter_topic: str,
                 retries: Retries | None = None) -> None:
        self.settings = settings
        self.ledger = ledger
        self.topic = deadletter_topic
        self.retries = retries
        self.outcomes = Outcomes(ledger.store)
        self._pool = ThreadPoolExecutor(settings.threads, thread_name_prefix="deliver")

    def deliver(self, jobs: Sequence[Job], destinations: Roster) -> tuple[int, list[Outgoing]]:
        """Send, park or dead-letter every job, all by the one config of `destinations`; return how many
        were delivered now and the dead letters."""
        lanes: dict[str, list[Job]] = {}
        for job in jobs:
            lanes.setdefault(job.destination, []).append(job)
        results = list(self._pool.map(lambda lane: self._lane(lane, destinations), lanes.values()))
        return sum(n for n, _ in results), [letter for _, letters in results for letter in letters]

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _lane(self, jobs: list[Job], destinations: Roster) -> tuple[int, list[Outgoing]]:
        """One destination's jobs in order. Their views are read in one round trip; once one of them is
        parked or fails, the destination's state has changed, and each job after it is read again alone."""
        delivered, letters = 0, []
        done: set[str] = set()  # sent in this lane: a job read twice in the batch is sent once
        changed = False
        for job, read in zip(jobs, self.views(jobs), strict=True):
            view = self.view(job) if changed else read
            if view.sent or job.id in done:
                continue  # sent before a crash, a rebalance or an earlier replay
            sender = destinations.senders.get(job.destination)
            if sender is None:  # disabled (its variable unset) or gone from the config: kept, with why
                reason = destinations.disabled.get(job.destination, NO_SUCH_DESTINATION)
                letters.append(self.dead_letter(job, reason))
            elif self.retries and not view.clear:
                self.retries.parked.park(job, due=time.time())  # behind what waits; sent in order
                changed = True
            else:
                sent, letter = self._attempt(sender, job, view, destinations)
                delivered += sent
                letters += [letter] if letter is not None else []
                if sent:
                    done.add(job.id)
                changed = changed or not sent
        return delivered, letters

    def _attempt(self, sender: Sender, job: Job, view: View,
                 destinations: Roster) -> tuple[bool, Outgoing | None]:
        """One attempt: (True, None) delivered, (False, None) parked for a retry, or the dead letter."""
        recorded = self.ledger.store.pipeline()  # the outcome and the ledger written in one round trip
        error = self.send(sender, job, recorded)
        if error is None:
            self.ledger.mark_sent(job.id, job.destination, recorded)
            recorded.execute()
            self.delivered(job)
            if self.retries and view.breaker.failures:
                self.retries.breakers.answered(job.destination)
            return True, None
        failed = job.model_copy(update={"attempts": job.attempts + 1, "reason": error.reason})
        if self.retries is None or not error.retryable:
            if self.retries:
                self.retries.breakers.answered(job.destination)  # it answered: the request is wrong
            return False, self.dead_letter(failed, error.reason)
        schedule = destinations.schedule(job.destination)
        self.retries.parked.park(failed, due=time.time() + retry_delay(schedule, 1, error.retry_after))
        self.retries.breakers.failed(job.destination, schedule, error.reason, error.retry_after)
        return False, None

    def view(self, job: Job) -> View:
        return self.views([job])[0]

    def views(self, jobs: Sequence[Job]) -> list[View]:
        """Each job's view, all read at once (one round trip, one atomic read): the ledger's marks in one
        command, each destination's queue and breaker once, however many of its jobs the batch holds."""
        if not jobs:
            return []
        retries = self.retries
        pipe = self.ledger.store.pipeline(transaction=True)
        pipe.mget([self.ledger.key(job.id, job.destination) for job in jobs])
        if retries is None:
            return [View(mark is not None) for mark in pipe.execute()[0]]
        destinations = list(dict.fromkeys(job.destination for job in jobs))
        for destination in destinations:
            pipe.zcard(retries.parked.order_key(destination))
            pipe.hgetall(retries.breakers.key(destination))
        marks, *held = pipe.execute()
        states = {destination: (int(waiting), decode(cast(dict[str, str], breaker)))
                  for destination, waiting, breaker in zip(destinations, held[::2], held[1::2], strict=True)}
        return [View(mark is not None, *states[job.destination])
                for job, mark in zip(jobs, marks, strict=True)]

    def send(self, sender: Sender, job: Job, pipe: Pipeline | None = None) -> DeliveryError | None:
        """POST once; the error when it failed (logged), None when the receiver took it. Either way the
        destination's outcomes record it, for `destinations status` (a delivery on `pipe` when given)."""
        try:
            sender.send(job.payload)
        except DeliveryError as exc:
            if exc.retryable:
                metrics.RETRIED.labels(job.destination).inc()
            log.info("delivery failed", alert=job.id, destination=job.destination, reason=exc.reason,
                     attempt=job.attempts + 1, retryable=exc.retryable)
            self.outcomes.failed(job.destination, exc.reason)
            return exc
        self.outcomes.delivered(job.destination, pipe)
        return None

    def delivered(self, job: Job) -> None:
        """Count and log a delivery the ledger has recorded."""
        metrics.SENT.labels(job.destination).inc()
        if isinstance(job.payload, Alert):
            metrics.LATENCY.observe(max(0.0, time.time() - job.payload.first_seen.timestamp()))
        log.info("alert delivered", alert=job.id, destination=job.destination, attempt=job.attempts + 1,
                 article=getattr(job.payload, "article_id", None), route=job.payload.route)

    def dead_letter(self, job: Job, reason: str) -> Outgoing:
        """The dead letter of `job`, logged and counted, for the caller to have Kafka keep; `reason`:
        the receiver's last answer (or its lack), or the config's."""
        metrics.DEAD.labels(job.destination).inc()
        log.warning("alert dead-lettered; `newswatch dlq replay` sends it again", alert=job.id,
                    destination=job.destination, route=job.payload.route, reason=reason,
                    attempts=job.attempts)
        letter = DeadLetter(alert=job.payload if isinstance(job.payload, Alert) else None,
                            digest=job.payload if isinstance(job.payload, Digest) else None,
                            feed_health=job.payload if isinstance(job.payload, FeedHealth) else None,
                            destination=job.destination, reason=reason, attempts=job.attempts)
        return Outgoing(self.topic, job.id, letter.to_json())
