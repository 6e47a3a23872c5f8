"""Sending what waits: one replica per destination at a time, in order, at the breaker's pace.

Every deliver replica runs `tick` twice a second. For a destination with
something due (a retry whose time has come, or an open breaker's probe), a
replica takes the destination's lease (`ledger.Lease`, token-safe) and drains
it on a thread of its own: in arrival order, paced by the sender (Slack's one
a second), starting a POST only while the lease has longer left than a POST
can take (renewing it when needed) and stopping the moment it cannot. So each
parked alert is taken by exactly one replica, and one that dies mid-drain
loses nothing: the alert stays parked until it is delivered and written off
in the same transaction, and another replica takes over when the lease expires.

An open breaker sends one probe, the alert that has waited longest. When it
is answered the breaker closes and everything waiting is released at once,
in order; when it fails, the alerts whose whole schedule has passed become
dead letters (produced and acknowledged by Kafka before they stop waiting).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import get_args

from worker import metrics
from worker.clients.kafka import Outgoing
from worker.clients.lease import Lease
from worker.deliver.breaker import Breaker, label
from worker.deliver.delivery import NO_SUCH_DESTINATION, Deliverer, Retries
from worker.deliver.destinations import Destinations, Roster, Sender
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger
from worker.deliver.outcomes import State, state
from worker.deliver.retry import expired, retry_delay
from worker.errors import DeliveryError
from worker.logs import get_logger
from worker.records import Payload

log = get_logger(__name__)
BATCH = 50
Produce = Callable[[Iterable[Outgoing]], None]


class Redelivery:
    def __init__(self, deliverer: Deliverer, retries: Retries, ledger: Ledger, destinations: Destinations,
                 stop: threading.Event | None = None) -> None:
        self.deliverer = deliverer
        self.retries = retries
        self.parked = retries.parked
        self.breakers = retries.breakers
        self.ledger = ledger
        self.destinations = destinations
        self.stop = stop or threading.Event()
        # a POST (and the Slack pace before it) starts only while the lease has `margin` left
        self.margin = 10 + deliverer.settings.timeout
        self.lease_seconds = 30 + 2 * deliverer.settings.timeout
        # each destination drains on its own thread: a receiver that hangs holds back only its own alerts
        self._pool = ThreadPoolExecutor(deliverer.settings.threads, thread_name_prefix="redeliver")
        self._busy: set[str] = set()
        self._lock = threading.Lock()

    def tick(self, produce: Produce) -> int:
        """Start draining each destination with something due; report each one's state. How many started."""
        started = 0
        now = time.time()
        for destination in sorted(self.parked.destinations() | set(self.destinations.senders)):
            waiting = self.parked.waiting(destination)
            breaker = self.breakers.load(destination)
            current = state(label(breaker, waiting.count), self.deliverer.outcomes.load(destination))
            report(destination, current, waiting.count, waiting.age(now))
            if not (waiting.count and _has_work(breaker, waiting.next_due, now)):
                continue
            with self._lock:
                if destination in self._busy:
                    continue
                self._busy.add(destination)
            self._pool.submit(self.drain, destination, produce)
            started += 1
        return started

    def follow(self, stop: threading.Event) -> None:
        """Stop draining (between two alerts) once `stop`, the process's, is set."""
        self.stop = stop

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def drain(self, destination: str, produce: Produce) -> None:
        """Send what is due for `destination` now, if no other replica holds its lease."""
        try:
            roster = self.destinations.current  # once: the whole drain goes by one config
            sender = roster.senders.get(destination)
            if sender is None and destination in roster.disabled:
                return  # disabled: its alerts wait until it is enabled again
            lease = self.ledger.lease(f"destination:{destination}", self.lease_seconds)
            if not lease.renew():
                return  # another replica drains it
            try:
                self._drain_held(destination, sender or _Missing(destination), lease, produce, roster)
            finally:
                lease.release()
        except Exception:  # noqa: BLE001 - Redis or Kafka away: a later tick tries again
            log.exception("sending waiting alerts failed; retrying at a later tick", destination=destination)
        finally:
            with self._lock:
                self._busy.discard(destination)

    def _drain_held(self, destination: str, sender: Sender, lease: Lease, produce: Produce,
                    roster: Roster) -> int:
        done = 0
        while not self.stop.is_set():
            breaker = self.breakers.load(destination)
            if not breaker.closed:
                return done + self._probe(destination, sender, lease, produce, roster)
            jobs = self.parked.due(destination, time.time(), BATCH)
            if not jobs:
                return done
            answered = not breaker.failures  # nothing to reset until an attempt fails
            for job in jobs:
                if self.stop.is_set() or not lease.keep(self.margin):
                    return done
                done += 1
                if not self._try(job, sender, produce, roster, reset=not answered):
                    break  # the breaker may have opened: look again before the next
                answered = True
        return done

    def _probe(self, destination: str, sender: Sender, lease: Lease, produce: Produce, roster: Roster) -> int:
        head = self.parked.head(destination, 1)
        if not head or not lease.keep(self.margin):
            return 0
        if self.breakers.update(destination, lambda b: b.probing(time.time())) is None:
            return 0  # not due yet, or another replica's report changed it
        log.info("probing destination", destination=destination, alert=head[0].id)
        if self._try(head[0], sender, produce, roster):
            self.parked.release(destination)
            log.info("destination answers again; sending what waited, in order", destination=destination)
            return 1 + self._drain_held(destination, sender, lease, produce, roster)
        self._expire(destination, produce, roster)
        return 1

    def _try(self, job: Job, sender: Sender, produce: Produce, roster: Roster, reset: bool = True) -> bool:
        """One attempt at a parked job; True when the destination answered (delivered or refused).

        `reset=False` when this drain already saw the destination answer and nothing fail since:
        its breaker is known to be closed with no failures, so a delivery need not write it.
        """
        if self.ledger.sent(job.id, job.destination):
            self.parked.remove(job)  # sent by another path too (a replay after a crash)
            return True
        error = self.deliverer.send(sender, job)
        if error is None:
            self.parked.delivered(job)
            self.deliverer.delivered(job)
            if reset:
                self.breakers.answered(job.destination)
            return True
        failed = job.model_copy(update={"attempts": job.attempts + 1, "reason": error.reason})
        schedule = roster.schedule(job.destination)
        if not error.retryable or expired(schedule, job.parked_at, time.time()):
            produce([self.deliverer.dead_letter(failed, error.reason)])
            self.parked.remove(job)
        else:
            due = time.time() + retry_delay(schedule, failed.attempts, error.retry_after)
            self.parked.reschedule(failed, due)
        if error.retryable:
            self.breakers.failed(job.destination, schedule, error.reason, error.retry_after)
            return False
        self.breakers.answered(job.destination)
        return True

    def _expire(self, destination: str, produce: Produce, roster: Roster) -> None:
        """Dead-letter the alerts, oldest first, whose whole schedule passed while the destination failed."""
        schedule = roster.schedule(destination)
        last = self.breakers.load(destination).last_error  # for alerts never tried themselves
        now = time.time()
        while jobs := [j for j in self.parked.head(destination, BATCH)
                       if expired(schedule, j.parked_at, now)]:
            produce([self.deliverer.dead_letter(job, job.reason or last) for job in jobs])
            for job in jobs:
                self.parked.remove(job)


def _has_work(breaker: Breaker, next_due: float | None, now: float) -> bool:
    if breaker.closed:
        return next_due is not None and next_due <= now
    return now >= breaker.next_probe


class _Missing:
    """A destination removed from the config: what waits for it becomes a dead letter."""

    def __init__(self, destination: str) -> None:
        self.id = destination

    def send(self, payload: Payload) -> None:
        raise DeliveryError(self.id, NO_SUCH_DESTINATION, retryable=False)


def report(destination: str, current: State, waiting: int, oldest_age: float) -> None:
    """Every replica exports the same shared state; the alert rules take the max over replicas."""
    for name in get_args(State):
        metrics.DESTINATION_STATE.labels(destination, name).set(1 if name == current else 0)
    metrics.WAITING.labels(destination).set(waiting)
    metrics.OLDEST_WAITING.labels(destination).set(oldest_age)
