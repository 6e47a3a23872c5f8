"""The stage loop against the real Kafka: a bad record is rejected alone, a failed service is waited out,
and a consumer that cannot join its group is replaced. Nothing is lost, nothing produced twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pytest

from tests.kit.running import running
from tests.kit.waiting import wait_until
from worker import runtime
from worker.clients.kafka import Consumer, Kafka, Message, Outgoing, Partition
from worker.errors import ServiceUnavailable
from worker.health import Health
from worker.records import Entry, Rejected
from worker.runtime import ConsumerStage, StageCore

pytestmark = pytest.mark.integration
KEY = "one-partition"  # every input on one partition, in order, so a bad record sits between good ones


class Nothing(StageCore[Entry]):
    def handle(self, items: list[tuple[Message, Entry]]) -> list[Outgoing]:
        return []


class Echo(StageCore[Entry]):
    """Each entry's id to the articles topic; entries named in `broken` always raise, those in `flaky`
    raise ServiceUnavailable (as a Redis or Kafka outage does) the first `outage` times they are seen."""

    def __init__(self, kafka: Kafka, broken: frozenset[str] = frozenset(),
                 flaky: frozenset[str] = frozenset(), outage: int = 0) -> None:
        self.topic = kafka.topic("articles")
        self.broken, self.flaky, self.outage = broken, flaky, outage
        self.seen: Counter[str] = Counter()

    def handle(self, items: list[tuple[Message, Entry]]) -> list[Outgoing]:
        for _, entry in items:
            self.seen[entry.id] += 1
            if entry.id in self.broken:
                raise ValueError(f"entry {entry.id} cannot be handled")
            if entry.id in self.flaky and self.seen[entry.id] <= self.outage:
                raise ServiceUnavailable("Redis at 127.0.0.1:6379 does not answer")
        return [Outgoing(self.topic, entry.id, entry.id.encode()) for _, entry in items]


def entry(n: int) -> Entry:
    return Entry(id=f"e{n}", feed_id="f", feed_url="http://f.test/feed", url=f"http://f.test/{n}",
                 link=f"http://f.test/{n}", title=f"Item {n}")


def produce(kafka: Kafka, values: list[bytes]) -> None:
    producer = kafka.producer()
    try:
        producer.send_all([Outgoing(kafka.topic("entries"), KEY, value) for value in values])
    finally:
        producer.close()


class Outputs:
    """Everything on the articles and rejected topics, read by a group of its own."""

    def __init__(self, kafka: Kafka) -> None:
        self.kafka = kafka
        self.consumer: Consumer = kafka.consumer(kafka.settings.group_prefix + "outputs",
                                                 ["articles", "rejected"])
        self.messages: list[Message] = []

    def read(self) -> Outputs:
        self.messages += self.consumer.poll(0.2)
        return self

    def read_to_end(self) -> None:
        """Read up to the topics' ends as they are now (call it once nothing produces any more), and close."""
        try:
            partitions = 2 * self.kafka.settings.partitions
            assert wait_until(lambda: len(self.read().consumer.assigned) == partitions, timeout=90)
            ends = self.consumer.ends()
            assert wait_until(lambda: self._past(ends), timeout=90)
        finally:
            self.consumer.close()

    def _past(self, ends: Mapping[Partition, int]) -> bool:
        positions = self.read().consumer.positions()
        return all(positions.get(tp, 0) >= end for tp, end in ends.items())

    @property
    def articles(self) -> Counter[str]:
        return Counter(m.key or "" for m in self.messages if m.topic == self.kafka.topic("articles"))

    @property
    def rejected(self) -> list[Rejected]:
        return [Rejected.model_validate_json(m.value or b"") for m in self.messages
                if m.topic == self.kafka.topic("rejected")]


def test_a_bad_record_is_rejected_once_and_its_partition_goes_on(kafka: Kafka) -> None:
    """An undecodable message and a record whose handling always raises, between good ones in one
    partition and batch: each bad one is on the rejected topic once, with why; each good one produced once."""
    core = Echo(kafka, broken=frozenset({"e2"}))
    produce(kafka, [entry(0).to_json(), entry(1).to_json(), b"{not json", entry(2).to_json(),
                    entry(3).to_json(), entry(4).to_json()])
    outputs = Outputs(kafka)
    with running(ConsumerStage("extract", kafka, core, Entry, "entries", health=Health())):
        assert wait_until(lambda: len(outputs.read().articles) == 4 and len(outputs.rejected) == 2,
                          timeout=120), (outputs.articles, outputs.rejected)
    outputs.read_to_end()
    assert outputs.articles == Counter({"e0": 1, "e1": 1, "e3": 1, "e4": 1})
    rejected = sorted(outputs.rejected, key=lambda r: r.offset)
    assert [(r.stage, r.offset) for r in rejected] == [("extract", 2), ("extract", 3)]
    assert rejected[0].value == "{not json"
    assert "ValueError: entry e2 cannot be handled" in rejected[1].error
    assert entry(2).id in rejected[1].value


def test_a_service_that_fails_then_recovers_loses_nothing_and_rejects_nothing(kafka: Kafka) -> None:
    """A service error is no record's fault: the batch is read again until the service answers."""
    core = Echo(kafka, flaky=frozenset({"e1"}), outage=3)
    produce(kafka, [entry(n).to_json() for n in range(4)])
    outputs = Outputs(kafka)
    with running(ConsumerStage("match", kafka, core, Entry, "entries", health=Health())):
        assert wait_until(lambda: len(outputs.read().articles) == 4, timeout=120), outputs.articles
    outputs.read_to_end()
    assert outputs.articles == Counter({f"e{n}": 1 for n in range(4)})
    assert outputs.rejected == []
    assert core.seen["e1"] == 3 + 1  # three failed attempts, then the one that went through


def test_a_stage_whose_join_is_held_warns_and_recreates_its_consumer(
        kafka: Kafka, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member that owns the partitions and stops polling holds every new member's join
    (until its max.poll.interval.ms); the stage must notice, say so, and try again with a new consumer."""
    monkeypatch.setattr(runtime, "JOIN_TIMEOUT", 3.0)
    group = kafka.settings.group_prefix + "held"
    holder = kafka.consumer(group, ["entries"])
    assert wait_until(lambda: not holder.poll(0.2) and bool(holder.assigned), timeout=90)
    health = Health()
    with running(ConsumerStage("extract", kafka, Nothing(), Entry, "entries", group=group, health=health)):
        assert wait_until(lambda: any("recreating the consumer" in r.getMessage() for r in caplog.records),
                          timeout=90)
        assert "extract.partitions" in health.ready()
        warning = next(r.getMessage() for r in caplog.records if "recreating the consumer" in r.getMessage())
        assert group in warning and "coordinator" in warning and "last_error" in warning
        holder.close()  # the holder leaves: the stage's consumer gets the partitions
        assert wait_until(lambda: "extract.partitions" not in health.ready(), timeout=120), health.ready()
