"""Delivering a batch: each destination in its own lane, in parallel; one destination's alerts in order.

An alert is tried up to `settings.deliver.attempts` times with backoff;
after the last failure, or at once when the receiver says the request itself
is wrong (a 4xx other than 408, 425 and 429), it becomes a dead letter, returned to the stage
loop so Kafka has it before the batch is committed. A destination that fails
`TRIP_AFTER` alerts in a row is not tried again in this batch: its remaining
alerts go straight to the dead-letter topic ("destination failing; skipped"),
so one dead receiver cannot hold every other alert back for hours.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from worker import metrics
from worker.clients.kafka import Outgoing
from worker.config.models import DeliverSettings
from worker.deliver.destinations import Sender
from worker.deliver.ledger import Ledger
from worker.deliver.retry import backoff
from worker.errors import DeliveryError, NewswatchError
from worker.logs import get_logger
from worker.records import Alert, DeadLetter, Digest, FeedHealth, Payload

log = get_logger(__name__)
TRIP_AFTER = 3


class Interrupted(NewswatchError):
    """The process is stopping mid-retry; the batch is left uncommitted and read again."""


@dataclass(frozen=True)
class Job:
    payload: Payload
    destination: str
    attempts: int = 0  # attempts made before, when replaying a dead letter


class Deliverer:
    def __init__(self, settings: DeliverSettings, ledger: Ledger, deadletter_topic: str,
                 stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.ledger = ledger
        self.topic = deadletter_topic
        self.stop = stop or threading.Event()
        self._pool = ThreadPoolExecutor(settings.threads, thread_name_prefix="deliver")

    def deliver(self, jobs: Sequence[Job], senders: Mapping[str, Sender]) -> tuple[int, list[Outgoing]]:
        """Send every job; return how many were delivered now and the dead letters of the rest."""
        lanes: dict[str, list[Job]] = {}
        for job in jobs:
            lanes.setdefault(job.destination, []).append(job)
        results = list(self._pool.map(lambda lane: self._lane(lane, senders.get(lane[0].destination)),
                                      lanes.values()))
        return sum(n for n, _ in results), [letter for _, letters in results for letter in letters]

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _lane(self, jobs: list[Job], sender: Sender | None) -> tuple[int, list[Outgoing]]:
        delivered, letters, failures = 0, [], 0
        reason: str | None
        for job in jobs:
            if self.ledger.sent(job.payload.id, job.destination):
                continue  # sent before a crash, a rebalance or an earlier replay
            if sender is None:
                reason, tried = "no such destination in the config; define it, then replay", 0
            elif failures >= TRIP_AFTER:
                reason, tried = "destination failing; skipped", 0
            else:
                reason, tried = self._attempt(sender, job)
            if reason is None:
                delivered, failures = delivered + 1, 0
            else:
                failures += 1
                letters.append(self._dead_letter(job, reason, tried))
        return delivered, letters

    def _attempt(self, sender: Sender, job: Job) -> tuple[str | None, int]:
        """Try until delivered (None) or given up (the reason); and how many attempts that took."""
        for attempt in range(1, self.settings.attempts + 1):
            try:
                sender.send(job.payload)
            except DeliveryError as exc:
                if not exc.retryable or attempt == self.settings.attempts:
                    return exc.reason, attempt
                metrics.RETRIED.labels(job.destination).inc()
                wait = backoff(attempt, self.settings, exc.retry_after)
                log.info("delivery failed; retrying", alert=job.payload.id, destination=job.destination,
                         reason=exc.reason, attempt=attempt, retry_in=round(wait, 2))
                if self.stop.wait(wait):
                    stopping = f"stopping while retrying {job.payload.id} to {job.destination}"
                    raise Interrupted(stopping) from None
                continue
            self.ledger.mark_sent(job.payload.id, job.destination)
            metrics.SENT.labels(job.destination).inc()
            if isinstance(job.payload, Alert):
                metrics.LATENCY.observe(max(0.0, time.time() - job.payload.first_seen.timestamp()))
            log.info("alert delivered", alert=job.payload.id, destination=job.destination, attempt=attempt,
                     article=getattr(job.payload, "article_id", None), route=job.payload.route)
            return None, attempt
        raise AssertionError("unreachable: attempts >= 1")

    def _dead_letter(self, job: Job, reason: str, tried: int) -> Outgoing:
        metrics.DEAD.labels(job.destination).inc()
        log.warning("alert dead-lettered; `newswatch dlq replay` sends it again", alert=job.payload.id,
                    destination=job.destination, route=job.payload.route, reason=reason, attempts=tried)
        letter = DeadLetter(alert=job.payload if isinstance(job.payload, Alert) else None,
                            digest=job.payload if isinstance(job.payload, Digest) else None,
                            feed_health=job.payload if isinstance(job.payload, FeedHealth) else None,
                            destination=job.destination, reason=reason,
                            attempts=job.attempts + tried)
        return Outgoing(self.topic, job.payload.id, letter.to_json())
