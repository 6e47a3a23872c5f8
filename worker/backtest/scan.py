"""Reading the stored articles and judging each under both configs, in one process per core.

Matching is the cost, and it is per article, so the partitions of the span
are split among worker processes, each reading its own with the span reader
(no group, nothing committed) and judging its articles with both configs'
matchers. The matchers are compiled once, before the workers fork, so a
worker starts at once and shares the parent's memory. What a worker hands
back is small: only the articles that would alert under either config, each
with its dedup fingerprint (computed in the worker, where it is parallel) and,
where the configs disagree, why.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from worker.backtest.judge import Difference, Side, differences
from worker.backtest.stories import Print
from worker.clients.kafka import Kafka, Message
from worker.clients.kafka_span import PartitionSpan, read_span
from worker.config.models import KafkaSettings
from worker.errors import RecordError
from worker.records import Article, parse_record


@dataclass(frozen=True, slots=True)
class Fired:
    """A stored article that would alert under either config: the routes each would alert, and why not
    both."""

    at_ms: int
    partition: int
    offset: int
    article: str
    url: str
    title: str
    print_: Print
    old: tuple[str, ...]
    new: tuple[str, ...]
    why: tuple[Difference, ...]


@dataclass
class Scanned:
    """What the workers found: the alerting articles, and how many records they read and could not."""

    fired: list[Fired] = field(default_factory=list)
    read: int = 0
    unreadable: int = 0

    def add(self, other: Scanned) -> None:
        self.fired.extend(other.fired)
        self.read += other.read
        self.unreadable += other.unreadable


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, set up in the parent before it forks."""

    kafka: KafkaSettings
    before: Side
    after: Side
    routes: frozenset[str] | None  # only these routes (--route), or all
    threshold: float  # the dedup threshold, which sets the LSH bands


def scan(job: Job, spans: Sequence[PartitionSpan], workers: int, progress: Callable[[int], None]) -> Scanned:
    """Judge every article of `spans`; `progress` is called with the records read so far."""
    groups = [g for g in split(spans, workers) if g]
    if len(groups) <= 1:
        return _scan_group(job, [s for g in groups for s in g], progress)
    context = multiprocessing.get_context("fork")  # the workers share the compiled matchers
    counter = context.Value("q", 0)
    found = Scanned()
    with ProcessPoolExecutor(len(groups), mp_context=context, initializer=_start,
                             initargs=(job, counter)) as pool:
        futures: list[Future[Scanned]] = [pool.submit(_scan_in_worker, group) for group in groups]
        pending: set[Future[Scanned]] = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
            progress(counter.value)
            for future in futures:
                if future.done() and future.exception() is not None:
                    raise future.exception()  # type: ignore[misc]
        for future in futures:
            found.add(future.result())
    progress(found.read)
    return found


def split(spans: Sequence[PartitionSpan], workers: int) -> list[list[PartitionSpan]]:
    """The spans in `workers` groups of about as many records each (largest first, to the lightest)."""
    groups: list[list[PartitionSpan]] = [[] for _ in range(max(1, workers))]
    loads = [0] * len(groups)
    for span in sorted(spans, key=lambda s: -s.records):
        lightest = loads.index(min(loads))
        groups[lightest].append(span)
        loads[lightest] += span.records
    return groups


_worker: dict[str, Any] = {}


def _start(job: Job, counter: Any) -> None:
    _worker["job"], _worker["counter"] = job, counter


def _scan_in_worker(spans: list[PartitionSpan]) -> Scanned:
    return _scan_group(_worker["job"], spans, _Shared(_worker["counter"]))


class _Shared:
    """Adds a worker's progress to the counter all workers share (the parent shows the sum)."""

    def __init__(self, counter: Any) -> None:
        self.counter = counter
        self.reported = 0

    def __call__(self, read: int) -> None:
        with self.counter.get_lock():
            self.counter.value += read - self.reported
        self.reported = read


def _scan_group(job: Job, spans: Sequence[PartitionSpan], progress: Callable[[int], None]) -> Scanned:
    found = Scanned()
    for batch in read_span(Kafka(job.kafka, client_id="newswatch-backtest"), spans):
        for message in batch:
            try:
                article = parse_record(Article, message.value)
            except RecordError:
                found.unreadable += 1
                continue
            fired = _judge(job, article, message)
            if fired is not None:
                found.fired.append(fired)
        found.read += len(batch)
        progress(found.read)
    return found


def _judge(job: Job, article: Article, message: Message) -> Fired | None:
    """The article's `Fired` when it would alert under either config (on the chosen routes)."""
    at = datetime.fromtimestamp(message.timestamp_ms / 1000, UTC)
    old, new = job.before.judge(article, at), job.after.judge(article, at)
    chosen = job.routes
    before = tuple(r for r in old.alerting if chosen is None or r in chosen)
    after = tuple(r for r in new.alerting if chosen is None or r in chosen)
    if not (before or after):
        return None
    why = tuple(d for d in differences(old, new, job.before, job.after)
                if chosen is None or d.route in chosen) if before != after else ()
    return Fired(message.timestamp_ms, message.partition, message.offset, article.id, article.url,
                 article.title, Print.of(article.title, article.text, job.threshold), before, after, why)
