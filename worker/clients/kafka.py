"""The one place that speaks kafka-python; everything above uses these wrappers and their types.

Producers are idempotent with `acks=all`: a record counts as sent only when
the broker has it. Consumers never auto-commit: the stage loop commits an
offset only after what the record caused is durable. What callers get back is
ours (`Message`, `Partition`, and kafka_producer.py's `Outgoing`), and so are
the errors (kafka_errors.py: a `ServiceUnavailable` to retry, or
`RecordTooLarge` to reject); every client is built with the options of
kafka_options.py (TLS, SASL, pass-through options).
"""

from __future__ import annotations

import enum
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import CommitFailedError, KafkaError, RebalanceInProgressError, TopicAlreadyExistsError
from kafka.structs import MemberState, OffsetAndMetadata, TopicPartition

from worker.clients import outage
from worker.clients.kafka_errors import UNREACHABLE, translate
from worker.clients.kafka_logs import lines as library_lines
from worker.clients.kafka_options import client_options
from worker.clients.kafka_producer import Outgoing, Producer
from worker.clients.kafka_topics import RetentionDrift, log_bytes, retention_drifts, topic_configs
from worker.config.models import KafkaSettings
from worker.logs import get_logger, register_secret

__all__ = ["TOPICS", "Consumer", "GroupState", "Kafka", "Membership", "Message", "Outgoing", "Partition",
           "Producer"]
log = get_logger(__name__)
TOPICS = ("entries", "articles", "matches", "deadletter", "rejected", "notices")
IDLE_FETCH_WAIT_MS = 1000  # how long the broker may hold an idle consumer's fetch (`Consumer.poll`)


@dataclass(frozen=True)
class Partition:
    """One partition of one topic: what assignments, end offsets, positions and lag are keyed by."""

    topic: str
    partition: int


class GroupState(enum.Enum):
    """A member's state in its group. STABLE: joined (with or without partitions); anything else for
    long means the join is stuck."""

    UNJOINED = "unjoined"
    REBALANCING = "rebalancing"
    STABLE = "stable"
    UNKNOWN = "unknown"  # a state this kafka-python version has that we do not know


_GROUP_STATES = {MemberState.UNJOINED: GroupState.UNJOINED, MemberState.REBALANCING: GroupState.REBALANCING,
                 MemberState.STABLE: GroupState.STABLE}


@dataclass(frozen=True)
class Membership:
    state: GroupState
    coordinator: str
    generation: str
    last_error: str

    def fields(self) -> dict[str, str]:
        """For a log line: each field by name, the state as its word."""
        return {"state": self.state.value, "coordinator": self.coordinator, "generation": self.generation,
                "last_error": self.last_error}


@dataclass(frozen=True)
class Message:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes | None
    timestamp_ms: int

    @classmethod
    def of(cls, record: Any) -> Message:
        """Ours, from a kafka-python ConsumerRecord."""
        key = record.key.decode("utf-8", "replace") if record.key is not None else None
        return cls(record.topic, record.partition, record.offset, key, record.value, record.timestamp)


class Kafka:
    """Connection settings for one process, and the factory of its clients."""

    def __init__(self, settings: KafkaSettings, client_id: str = "newswatch") -> None:
        self.settings = settings
        self.client_id = client_id
        self.servers = settings.bootstrap.split(",")
        if settings.sasl_password is not None:
            register_secret(settings.sasl_password.get_secret_value())
        client_options(settings, "admin", client_id)  # refuses unknown pass-through options at once
        library_lines.outage = self.outage = outage.watch("Kafka", settings.bootstrap, self._probe)

    def topic(self, name: str) -> str:
        return self.settings.topic(name)

    def _probe(self) -> None:
        """Raise unless a broker serves requests (not merely accepts connections)."""
        KafkaAdminClient(**client_options(self.settings, "admin", f"{self.client_id}-probe",
                                          {"bootstrap_timeout_ms": 3000, "request_timeout_ms": 3000})).close()

    def _admin(self) -> KafkaAdminClient:
        try:
            return KafkaAdminClient(**client_options(self.settings, "admin", self.client_id,
                                                     {"request_timeout_ms": 15000}))
        except KafkaError as exc:
            raise translate(self.settings, exc) from exc

    def delete_topics(self, names: Iterable[str] = TOPICS) -> None:
        """Remove this prefix's topics: for throwaway prefixes (tests, the demo), never production."""
        admin = self._admin()
        try:
            existing = set(admin.list_topics())
            doomed = [self.topic(n) for n in names if self.topic(n) in existing]
            if doomed:
                admin.delete_topics(doomed)
        except KafkaError as exc:
            raise translate(self.settings, exc) from exc
        finally:
            admin.close()

    def disk_bytes(self, names: Iterable[str]) -> dict[str, int]:
        """Bytes each topic (unprefixed name) takes on the brokers' disks, replicas counted."""
        admin = self._admin()
        try:
            sizes = log_bytes(admin, [self.topic(n) for n in names])
        except KafkaError as exc:
            raise translate(self.settings, exc) from exc
        finally:
            admin.close()
        return {name[len(self.settings.topic_prefix):]: size for name, size in sizes.items()}

    def ensure_topics(self, names: Iterable[str] = TOPICS) -> list[RetentionDrift]:
        """Create the worker's topics when missing, with the config's retention; existing topics are left
        as they are, and those whose retention differs from the config's are logged and returned."""
        names = list(names)
        admin = self._admin()
        try:
            existing = set(admin.list_topics())
            wanted = [NewTopic(self.topic(n), self.settings.partitions, self.settings.replication_factor,
                               topic_configs=topic_configs(self.settings, n))
                      for n in names if self.topic(n) not in existing]
            if wanted:
                try:
                    admin.create_topics(wanted)
                except TopicAlreadyExistsError:
                    pass  # another process created it first
                log.info("topics created", topics=[t.name for t in wanted])
                _wait_for_leaders(admin, [t.name for t in wanted])
            drifts = retention_drifts(admin, self.settings, names)
        except KafkaError as exc:
            raise translate(self.settings, exc) from exc
        finally:
            admin.close()
        for drift in drifts:
            log.warning("topic retention differs from the config; left as it is", **drift.fields())
        return drifts

    def producer(self) -> Producer:
        # zstd (kafka-python's, through the zstandard package; brokers 2.1 and later): the disk of
        # gzip at level 9 for a fraction of its CPU, and a third less than lz4 (bench/retention.py)
        tuned = {"linger_ms": 5, "compression_type": "zstd", "batch_size": 1024 * 1024,
                 "max_request_size": 8 * 1024 * 1024, "delivery_timeout_ms": 120000}
        options = client_options(self.settings, "producer", self.client_id, tuned)

        def make() -> KafkaProducer:
            try:
                return KafkaProducer(acks="all", enable_idempotence=True, retries=2**31 - 1, **options)
            except KafkaError as exc:
                raise translate(self.settings, exc) from exc

        return Producer(make, self.settings)

    def progress(self, group: str, topics: Sequence[str]) -> dict[Partition, tuple[int, int]]:
        """Per partition of `topics`: the offset `group` has committed (0 before its first commit) and
        the end offset. Read without joining the group, so its members are not disturbed."""
        raw = KafkaConsumer(group_id=group, enable_auto_commit=False,
                            **client_options(self.settings, "consumer", f"{self.client_id}-progress"))
        try:
            names = [self.topic(t) for t in topics]
            _await_metadata(raw, names)
            partitions = [TopicPartition(name, number) for name in names
                          for number in raw.partitions_for_topic(name) or ()]
            ends = raw.end_offsets(partitions)
            return {Partition(tp.topic, tp.partition): (raw.committed(tp) or 0, ends[tp])
                    for tp in partitions}
        except KafkaError as exc:
            raise translate(self.settings, exc, ",".join(topics)) from exc
        finally:
            raw.close(autocommit=False)

    def consumer(self, group: str, topics: Sequence[str]) -> Consumer:
        tuned = {
            "max_poll_interval_ms": 300000,
            # a member that died stops holding its partitions (and any rebalance of its group)
            # after 10 s, not 30; heartbeats go from kafka-python's IO thread every 3 s
            "session_timeout_ms": 10000, "heartbeat_interval_ms": 3000,
            "fetch_max_bytes": 16 * 1024 * 1024, "max_partition_fetch_bytes": 8 * 1024 * 1024,
            # a topic created, or given partitions, after the consumer joined is seen within 30 s
            # instead of kafka-python's default 5 minutes
            "metadata_max_age_ms": 30000,
            # kafka-python keeps one fetch in flight per broker, and leaves partitions with records
            # still buffered out of it: a fetch long-polling idle partitions holds back a busy
            # partition's next records until the broker answers. 200 ms, not 500, bounds that stall
            # (seen: 0.5 s of idle extract workers in some rounds of bench/extract.py) while records
            # flow; an idle consumer waits longer (see `Consumer.poll`)
            "fetch_max_wait_ms": 200}
        try:
            raw = KafkaConsumer(group_id=group, enable_auto_commit=False, auto_offset_reset="earliest",
                                max_poll_records=self.settings.max_batch,
                                **client_options(self.settings, "consumer", self.client_id, tuned))
        except KafkaError as exc:
            raise translate(self.settings, exc) from exc
        return Consumer(raw, self.settings, group, [self.topic(t) for t in topics])


def _await_metadata(raw: KafkaConsumer, topics: list[str], timeout: float = 30.0) -> None:
    """Load the topics' partitions into the consumer's metadata before it joins its group.

    A member that joins before its metadata lists a topic is assigned none of
    it, and kafka-python does not always rejoin when the metadata arrives: the
    stage would sit idle. Joining with the partitions known avoids that race.
    """
    deadline = time.monotonic() + timeout
    missing = list(topics)
    while missing and time.monotonic() < deadline:
        missing = [t for t in missing if not raw.partitions_for_topic(t)]
        if missing:
            time.sleep(0.2)
    if missing:
        log.warning("no partitions known for topics; the group may assign them late", topics=missing)


def _wait_for_leaders(admin: KafkaAdminClient, topics: list[str], timeout: float = 30.0) -> None:
    """Return once every partition of `topics` has a leader.

    Consumers that join their group before a new topic's metadata is out get no
    partitions and wait for the next metadata refresh; waiting here means the
    first start of a fresh installation consumes at once.
    """
    deadline = time.monotonic() + timeout
    while True:
        described = admin.describe_topics(topics)
        if all(t["error_code"] == 0 and t["partitions"] and all(p["leader_id"] >= 0 for p in t["partitions"])
               for t in described):
            return
        if time.monotonic() > deadline:
            log.warning("new topics have no leader yet; consumers may wait for a metadata refresh",
                        topics=topics)
            return
        time.sleep(0.2)


class _Assignment(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self) -> None:
        self.partitions: set[TopicPartition] = set()
        self.lock = threading.Lock()
        self.empty_since: float | None = time.monotonic()

    def on_partitions_revoked(self, revoked: Any) -> None:
        with self.lock:
            self.partitions -= set(revoked)
            if not self.partitions and self.empty_since is None:
                self.empty_since = time.monotonic()

    def on_partitions_assigned(self, assigned: Any) -> None:
        with self.lock:
            self.partitions |= set(assigned)
            if self.partitions:
                self.empty_since = None


class Consumer:
    """A group member that hands out batches and commits only what it is told is done."""

    def __init__(self, raw: KafkaConsumer, settings: KafkaSettings, group: str, topics: list[str]) -> None:
        self._raw = raw
        self._settings = settings
        self.group = group
        self.topics = topics
        self._assignment = _Assignment()
        with library_lines.guard:
            library_lines.groups.setdefault(group, "")
        _await_metadata(raw, topics)
        raw.subscribe(topics, listener=self._assignment)
        self._fetch_config: dict[str, Any] = raw._fetcher.config
        self._busy_wait = self._fetch_config["fetch_max_wait_ms"]

    @property
    def assigned(self) -> set[Partition]:
        with self._assignment.lock:
            return {Partition(tp.topic, tp.partition) for tp in self._assignment.partitions}

    @property
    def fetch_wait_ms(self) -> int:
        """How long the broker may hold this member's next fetch: short while records flow, long while
        idle (see `poll`)."""
        return int(self._fetch_config["fetch_max_wait_ms"])

    def unassigned_for(self) -> float | None:
        """Seconds since this member last owned a partition (or was created); None while it owns some."""
        with self._assignment.lock:
            since = self._assignment.empty_since
        return None if since is None else time.monotonic() - since

    def membership(self) -> Membership:
        """Where this member stands in its group, as kafka-python sees it, for a stall warning."""
        coordinator = self._raw._coordinator
        with library_lines.guard:
            last_error = library_lines.groups.get(self.group, "")
        return Membership(_GROUP_STATES.get(coordinator.state, GroupState.UNKNOWN),
                          str(coordinator.coordinator_id), str(coordinator._generation.generation_id),
                          last_error or "none")

    def poll(self, timeout: float, max_records: int | None = None) -> list[Message]:
        """Up to `max_records` records; none, after `timeout`, while no broker answers.

        kafka-python 3.0.12 raises from poll when a metadata refresh it waits
        for cannot connect (seen right after a broker's SIGTERM); the stage
        would stop on it, though the next poll after the broker's return works.
        """
        try:
            batches = self._raw.poll(timeout_ms=int(timeout * 1000), max_records=max_records)
        except UNREACHABLE as exc:
            outage.report(exc, f"consumer of group {self.group}")
            time.sleep(timeout)
            return []
        except KafkaError as exc:  # not authorised, no such topic: retried, and said why
            raise translate(self._settings, exc, ",".join(self.topics)) from exc
        messages = [Message.of(r) for records in batches.values() for r in records]
        # Nothing came, so nothing is buffered and the next fetch asks for every partition: the broker
        # answers it as soon as a record arrives anywhere, so it may wait long at no cost in latency.
        # Each empty fetch costs kafka-python's thread about 1.5 ms, which at 200 ms was most of an idle
        # worker's CPU. Records flowing: back to the short wait that bounds the stall (see `consumer`).
        self._fetch_config["fetch_max_wait_ms"] = self._busy_wait if messages else max(self._busy_wait,
                                                                                          IDLE_FETCH_WAIT_MS)
        return messages

    def keep_alive(self) -> None:
        """Poll with every partition paused, so a long batch does not cost the group membership.

        A rebalance inside this poll can hand us new, unpaused partitions; any
        records they return are rewound so they are read again after the batch.
        """
        self._raw.pause(*self._raw.assignment())
        for message in self.poll(0.1):
            self._raw.seek(TopicPartition(message.topic, message.partition), message.offset)
        self._raw.pause(*self._raw.assignment())

    def resume(self) -> None:
        self._raw.resume(*self._raw.paused())

    def rewind(self, messages: Sequence[Message]) -> None:
        """Seek back to the first of `messages` per partition, to process them again."""
        first: dict[TopicPartition, int] = {}
        for m in messages:
            tp = TopicPartition(m.topic, m.partition)
            first[tp] = min(first.get(tp, m.offset), m.offset)
        owned = self._raw.assignment()
        for tp, offset in first.items():
            if tp in owned:
                self._raw.seek(tp, offset)

    def commit(self, messages: Sequence[Message]) -> bool:
        """Commit past `messages`; False when the group moved on (the new owner re-reads them)."""
        upto: dict[TopicPartition, int] = {}
        for m in messages:
            tp = TopicPartition(m.topic, m.partition)
            upto[tp] = max(upto.get(tp, -1), m.offset + 1)
        owned = self._raw.assignment()
        offsets = {tp: OffsetAndMetadata(o, "", -1) for tp, o in upto.items() if tp in owned}
        if not offsets:
            return not upto
        try:
            self._raw.commit(offsets=offsets)
        except (CommitFailedError, RebalanceInProgressError) as exc:
            # kafka-python 3 raises the second while the group rebalances: the same "not now, re-read"
            log.warning("commit refused after a rebalance; the partitions' new owner re-reads them",
                        group=self.group, error=str(exc))
            return False
        except UNREACHABLE as exc:  # the batch is read again once the broker answers: harmless
            outage.report(exc, f"commit of group {self.group}")
            return False
        return len(offsets) == len(upto)

    def ends(self) -> dict[Partition, int]:
        """The end offset of each assigned partition: where the next record produced will go."""
        owned = list(self._raw.assignment())
        return {Partition(tp.topic, tp.partition): end for tp, end in self._raw.end_offsets(owned).items()} \
            if owned else {}

    def positions(self) -> dict[Partition, int]:
        """The offset of the next record this consumer will read, per assigned partition."""
        return {Partition(tp.topic, tp.partition): self._raw.position(tp) for tp in self._raw.assignment()}

    def lag(self) -> dict[Partition, int]:
        """Messages not yet consumed per assigned partition (end offset minus position)."""
        positions = self.positions()
        return {p: max(0, end - positions.get(p, end)) for p, end in self.ends().items()}

    def close(self) -> None:
        self._raw.close(autocommit=False)
