"""`newswatch dlq list|show|replay`: the dead letters still pending, and sending them again, once each.

Pending means past the replay group's committed offsets: what a replay would
read. `list` and `show` read them with that group and commit nothing.

`replay` reads them up to the end it saw when it started and tries each
letter once (an operator replays when the destination is fixed), so letters
that fail again (re-produced at the end) wait for the next replay instead of
looping now. Each batch is resolved (sent, or re-produced with its attempts
counted and acknowledged) before its offsets are committed; the ledger skips
letters already sent, so replaying twice or after a crash sends nothing
twice. Letters a filter leaves out are re-produced unchanged, so they stay
pending. A letter for a destination that is still disabled is not tried: it
is kept with the reason ("destination disabled: SLACK_WEBHOOK_URL unset").
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from worker.clients.kafka import Consumer, Kafka, Message, Outgoing, Partition, Producer
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.delivery import Deliverer
from worker.deliver.destinations import Destinations
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger
from worker.deliver.wiring import wire
from worker.errors import RecordError
from worker.logs import get_logger
from worker.records import DeadLetter, parse_record

log = get_logger(__name__)
JOIN_TIMEOUT = 60.0


@dataclass(frozen=True)
class Selection:
    """Which dead letters a command acts on; empty fields select everything."""

    destination: str | None = None
    route: str | None = None
    older_than: float | None = None  # seconds since the letter failed
    newer_than: float | None = None

    def __call__(self, letter: DeadLetter, now: float | None = None) -> bool:
        age = (now or time.time()) - letter.failed_at.timestamp()
        return ((self.destination is None or letter.destination == self.destination)
                and (self.route is None or self.route in routes_of(letter))
                and (self.older_than is None or age >= self.older_than)
                and (self.newer_than is None or age <= self.newer_than))


def routes_of(letter: DeadLetter) -> list[str]:
    if letter.alert is not None:
        return letter.alert.routes or [letter.alert.route]
    return [letter.digest.route] if letter.digest is not None else []


def payload_id(letter: DeadLetter) -> str:
    return letter.payload.id if letter.payload is not None else ""


def pending(config: Config, select: Selection = Selection()) -> list[DeadLetter]:
    """The selected dead letters a replay would read now, oldest first; commits nothing."""
    kafka = Kafka(config.settings.kafka)
    kafka.ensure_topics(["deadletter"])
    consumer = kafka.consumer(_group(config), ["deadletter"])
    try:
        letters = [letter for batch in _batches(consumer) for _, letter in _parsed(batch)]
    finally:
        consumer.close()
    return [letter for letter in letters if select(letter)]


def replay(config: Config, select: Selection = Selection(),
           report: Callable[[str], None] = print) -> dict[str, int]:
    """Replay the selected letters up to the current end of the topic; report and return the counts."""
    kafka, store = Kafka(config.settings.kafka), Redis(config.settings.redis)
    kafka.ensure_topics()
    wiring = wire(config, store, kafka.topic("deadletter"), park=False)
    consumer = kafka.consumer(_group(config), ["deadletter"])
    producer = kafka.producer()
    counts = {"replayed": 0, "delivered": 0, "failed_again": 0, "already_sent": 0, "left": 0}
    reasons: Counter[tuple[str, str]] = Counter()
    resolve = _Resolver(wiring.ledger, wiring.deliverer, wiring.destinations, producer, select, counts,
                        reasons)
    try:
        for batch in _batches(consumer):
            resolve(batch)
            consumer.commit(batch)
    finally:
        consumer.close()
        producer.close()
        wiring.close()
        store.close()
    report("dead letters replayed: {replayed}, delivered: {delivered}, failed again: {failed_again}, "
           "already sent before: {already_sent}, left for later (not selected): {left}".format(**counts))
    for (destination, reason), n in sorted(reasons.items()):
        report(f"  failed again: {n} to {destination}: {reason}")
    return counts


def _group(config: Config) -> str:
    return f"{config.settings.kafka.group_prefix}dlq-replay"


def _batches(consumer: Consumer) -> Iterator[list[Message]]:
    """The group's pending messages in batches, up to the ends seen once the partitions are ours."""
    first: list[Message] = []
    deadline = time.monotonic() + JOIN_TIMEOUT
    while not consumer.assigned and time.monotonic() < deadline:
        first += consumer.poll(0.5)
    ends = consumer.ends()
    batch = first
    while True:
        yield [m for m in batch if m.offset < ends.get(Partition(m.topic, m.partition), 0)]
        positions = consumer.positions()
        if all(positions.get(tp, 0) >= end for tp, end in ends.items()):
            return
        batch = consumer.poll(1.0)


def _parsed(batch: list[Message]) -> Iterator[tuple[Message, DeadLetter]]:
    for message in batch:
        try:
            letter = parse_record(DeadLetter, message.value)
        except RecordError as exc:
            log.error("unreadable dead letter left in place", offset=message.offset, error=str(exc))
            continue
        if letter.payload is None:
            log.error("dead letter without an alert, digest or notice", offset=message.offset)
            continue
        yield message, letter


@dataclass
class _Resolver:
    """Resolves one batch: send the selected letters; re-produce (and await) the rest and the failures."""

    ledger: Ledger
    deliverer: Deliverer
    destinations: Destinations
    producer: Producer
    select: Selection
    counts: dict[str, int]
    reasons: Counter[tuple[str, str]]

    def __call__(self, batch: list[Message]) -> None:
        jobs: list[Job] = []
        kept: list[Outgoing] = []
        for message, letter in _parsed(batch):
            if not self.select(letter):
                kept.append(Outgoing(message.topic, message.key or payload_id(letter), message.value or b""))
                self.counts["left"] += 1
                continue
            if letter.payload is not None:  # always: _parsed keeps only letters with one
                jobs.append(Job(payload=letter.payload, destination=letter.destination,
                                attempts=letter.attempts))
        fresh = [j for j in jobs if not self.ledger.sent(j.payload.id, j.destination)]
        # a disabled destination's letters are kept, with why
        delivered, letters = self.deliverer.deliver(fresh, self.destinations.current)
        self.producer.send_all(kept + letters)
        for outgoing in letters:
            again = parse_record(DeadLetter, outgoing.value)
            self.reasons[(again.destination, again.reason)] += 1
        self.counts["replayed"] += len(jobs)
        self.counts["already_sent"] += len(jobs) - len(fresh)
        self.counts["delivered"] += delivered
        self.counts["failed_again"] += len(letters)


def age(letter: DeadLetter, now: datetime | None = None) -> float:
    return ((now or datetime.now(UTC)) - letter.failed_at).total_seconds()
