"""`newswatch dlq replay`: send the dead letters again, once each, losing none that fail again.

It reads the dead-letter topic with its own consumer group up to the end it
saw when it started, so letters that fail again (re-produced at the end) wait
for the next replay instead of looping now. Each batch is resolved (sent, or
re-produced with its attempts counted and acknowledged) before its offsets
are committed; the ledger skips letters already sent, so replaying twice or
after a crash sends nothing twice.
"""

from __future__ import annotations

import time

from kafka.structs import TopicPartition

from worker.clients.http import HttpClient
from worker.clients.kafka import Consumer, Kafka, Message, Producer
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.delivery import Deliverer, Job
from worker.deliver.ledger import Ledger
from worker.deliver.stage import Destinations
from worker.errors import RecordError
from worker.logs import get_logger
from worker.pace import Pacer
from worker.records import DeadLetter, parse_record

log = get_logger(__name__)
JOIN_TIMEOUT = 60.0


def replay(config: Config) -> dict[str, int]:
    """Replay up to the current end of the dead-letter topic; print and return the counts."""
    kafka, store = Kafka(config.settings.kafka), Redis(config.settings.redis)
    kafka.ensure_topics()
    ledger = Ledger(store, config.settings.deliver.sent_ttl)
    destinations = Destinations(config, HttpClient(config.settings.http, guard=False), Pacer(store))
    deliverer = Deliverer(config.settings.deliver, ledger, kafka.topic("deadletter"))
    consumer = kafka.consumer(f"{config.settings.kafka.group_prefix}dlq-replay", ["deadletter"])
    producer = kafka.producer()
    counts = {"replayed": 0, "delivered": 0, "failed_again": 0, "already_sent": 0}
    try:
        batch, ends = _join(consumer)
        while True:
            batch = [m for m in batch if m.offset < ends.get(TopicPartition(m.topic, m.partition), 0)]
            _resolve(batch, ledger, deliverer, destinations, producer, counts)
            consumer.commit(batch)
            positions = consumer.positions()
            if all(positions.get(tp, 0) >= end for tp, end in ends.items()):
                break
            batch = consumer.poll(1.0)
    finally:
        consumer.close()
        producer.close()
        deliverer.close()
        destinations.http.close()
        store.close()
    print("dead letters replayed: {replayed}, delivered: {delivered}, failed again: {failed_again}, "
          "already sent before: {already_sent}".format(**counts))
    return counts


def _join(consumer: Consumer) -> tuple[list[Message], dict[TopicPartition, int]]:
    """Wait for the group to hand us the partitions; what that poll read, and the ends to replay to."""
    first: list[Message] = []
    deadline = time.monotonic() + JOIN_TIMEOUT
    while not consumer.assigned and time.monotonic() < deadline:
        first += consumer.poll(0.5)
    return first, consumer.ends()


def _resolve(batch: list[Message], ledger: Ledger, deliverer: Deliverer, destinations: Destinations,
             producer: Producer, counts: dict[str, int]) -> None:
    """Send the batch's letters; re-produce (and wait for Kafka to have) those that fail again."""
    jobs = [job for job in map(_job, batch) if job is not None]
    fresh = [j for j in jobs if not ledger.sent(j.payload.id, j.destination)]
    delivered, letters = deliverer.deliver(fresh, destinations.senders)
    producer.send_all(letters)
    counts["replayed"] += len(jobs)
    counts["already_sent"] += len(jobs) - len(fresh)
    counts["delivered"] += delivered
    counts["failed_again"] += len(letters)


def _job(message: Message) -> Job | None:
    try:
        letter = parse_record(DeadLetter, message.value)
    except RecordError as exc:
        log.error("unreadable dead letter left in place", offset=message.offset, error=str(exc))
        return None
    payload = letter.alert or letter.digest or letter.feed_health
    if payload is None:
        log.error("dead letter without an alert, digest or notice", offset=message.offset)
        return None
    return Job(payload, letter.destination, letter.attempts)
