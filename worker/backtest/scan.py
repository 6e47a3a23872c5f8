"""Reading the stored articles and judging each under both configs, in one process per core.

Matching is the cost, and it is per article, so the partitions of the span
are split among worker processes, each reading its own with the span reader
(no group, nothing committed) and judging its articles with both configs'
matchers. The matchers are compiled once, before the workers fork, so a
worker starts at once and shares the parent's memory. What a worker hands
back is small: only the articles that would alert under either config, with,
where the configs disagree, why.

Dedup needs a fingerprint (MinHash) of each article whose story matters,
which costs about half as much as matching it. Only the routes some article
changes can have a different count of alerts. When the change is confined to
some entities, it names the routes it most likely alters
(`worker.backtest.change`), and an article alerting on one of those is
fingerprinted as it is judged. Any other changed route's articles are
fingerprinted in a second pass that reads again just the stretch of each
partition that holds them: a change to one entity's aliases pays for the few
routes that see it, not for every article that alerts, and most often reads
the span once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

from worker.backtest.change import Change
from worker.backtest.judge import Difference, Side, differences
from worker.backtest.stories import Print
from worker.clients.kafka import Kafka, Message
from worker.clients.kafka_span import PartitionSpan, ahead, read_span
from worker.config.models import KafkaSettings
from worker.errors import RecordError
from worker.match.matcher import fold_texts
from worker.records import Article, parse_record


class Fired(NamedTuple):
    """A stored article that would alert under either config: the routes each would alert, and why not
    both. A tuple: workers send one back for most articles and the parent unpickles them all, serially
    (some 600,000 for a million articles: 1.6 CPU s as tuples, 3.6 as a frozen dataclass)."""

    at_ms: int
    partition: int
    offset: int
    article: str
    url: str
    title: str
    old: tuple[str, ...]
    new: tuple[str, ...]
    why: tuple[Difference, ...]
    print_: Print | None = None  # its dedup fingerprint, once the second pass took it


@dataclass
class Scanned:
    """What the workers found: the alerting articles, and how many records they read and could not."""

    fired: list[Fired] = field(default_factory=list)
    read: int = 0
    unreadable: int = 0
    changed: frozenset[str] = frozenset()  # the routes on which some article alerts under one config only
    alerting: int = 0  # articles that alert under either config (`fired` keeps those on changed routes)

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
    change: Change | None = None  # when it is confined to some entities: the articles it cannot alter


def scan(job: Job, spans: Sequence[PartitionSpan], workers: int, progress: Callable[[int], None]) -> Scanned:
    """Judge every article of `spans` (`progress` is told the records read so far), then fingerprint the
    articles that alert on a route some article changes; `Scanned.fired` holds those, fingerprinted."""
    groups = [g for g in split(spans, workers) if g]
    with _Pool(job, len(groups)) as pool:
        found = Scanned()
        for part in pool.run(_judge_all, [(g, frozenset()) for g in groups], progress):
            found.add(part)
        found.changed = frozenset(d.route for f in found.fired for d in f.why)
        wanted = {(f.partition, f.offset) for f in found.fired
                  if f.print_ is None and found.changed.intersection(f.old + f.new)}
        prints: dict[tuple[int, int], Print] = {}
        tasks = [(narrowed, frozenset(w)) for g in groups
                 if (narrowed := _narrowed(g, w := {k for k in wanted if k[0] in _numbers(g)}))]
        for part_prints in pool.run(_fingerprint_all, tasks, None):
            prints.update(part_prints)
    found.alerting = len(found.fired)
    found.fired = [f if f.print_ else f._replace(print_=prints[f.partition, f.offset]) for f in found.fired
                   if found.changed.intersection(f.old + f.new)]
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
T = TypeVar("T")
Task = Callable[[Job, list[PartitionSpan], frozenset[tuple[int, int]], Callable[[int], None]], T]


class _Pool:
    """Runs a task per group of partitions: in forked workers (they share the compiled matchers), or in
    this process when there is one group."""

    def __init__(self, job: Job, workers: int) -> None:
        self.job = job
        _worker["job"] = job
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1:
            context = multiprocessing.get_context("fork")
            self.counter = context.Value("q", 0)
            self.pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                            initargs=(job, self.counter))

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def run(self, task: Task[T], groups: list[tuple[list[PartitionSpan], frozenset[tuple[int, int]]]],
            progress: Callable[[int], None] | None) -> list[T]:
        show = progress or (lambda _: None)
        if self.pool is None:
            return [task(self.job, spans, wanted, show) for spans, wanted in groups]
        with self.counter.get_lock():
            self.counter.value = 0
        futures: list[Future[T]] = [self.pool.submit(_in_worker, task, spans, wanted)
                                    for spans, wanted in groups]
        pending: set[Future[T]] = set(futures)
        while pending:
            _, pending = wait(pending, timeout=0.25, return_when=FIRST_EXCEPTION)
            show(self.counter.value)
            for future in futures:
                if future.done() and future.exception() is not None:
                    future.result()  # raises it here
        return [future.result() for future in futures]


def _start(job: Job, counter: Any) -> None:
    _worker["job"], _worker["counter"] = job, counter


def _in_worker(task: Task[T], spans: list[PartitionSpan], wanted: frozenset[tuple[int, int]]) -> T:
    return task(_worker["job"], spans, wanted, _Shared(_worker["counter"]))


def _numbers(spans: list[PartitionSpan]) -> set[int]:
    return {s.partition.partition for s in spans}


def _narrowed(spans: list[PartitionSpan], wanted: set[tuple[int, int]]) -> list[PartitionSpan]:
    """Each span cut down to the stretch between the first and last offset wanted in it (none: left out)."""
    out = []
    for span in spans:
        offsets = [o for p, o in wanted if p == span.partition.partition]
        if offsets:
            out.append(replace(span, start=min(offsets), stop=max(offsets) + 1))
    return out


class _Shared:
    """Adds a worker's progress to the counter all workers share (the parent shows the sum)."""

    def __init__(self, counter: Any) -> None:
        self.counter = counter
        self.reported = 0

    def __call__(self, read: int) -> None:
        with self.counter.get_lock():
            self.counter.value += read - self.reported
        self.reported = read


def _judge_all(job: Job, spans: list[PartitionSpan], _: frozenset[tuple[int, int]],
               progress: Callable[[int], None]) -> Scanned:
    found = Scanned()
    for batch in ahead(read_span(Kafka(job.kafka, client_id="newswatch-backtest"), spans)):
        for message in batch:
            try:
                article = parse_record(Article, message.value, stored=True)
            except RecordError:
                found.unreadable += 1
                continue
            fired = _judge(job, article, message)
            if fired is not None:
                found.fired.append(fired)
        found.read += len(batch)
        progress(found.read)
    return found


def _fingerprint_all(job: Job, spans: list[PartitionSpan], wanted: frozenset[tuple[int, int]],
                     _: Callable[[int], None]) -> dict[tuple[int, int], Print]:
    """The dedup fingerprints of the `wanted` (partition, offset) articles of `spans`."""
    prints = {}
    for batch in read_span(Kafka(job.kafka, client_id="newswatch-backtest"), spans):
        for message in batch:
            if (message.partition, message.offset) in wanted:
                article = parse_record(Article, message.value, stored=True)
                prints[message.partition, message.offset] = Print.of(fold_texts(article), job.threshold)
    return prints


def _judge(job: Job, article: Article, message: Message) -> Fired | None:
    """The article's `Fired` when it would alert under either config (on the chosen routes), fingerprinted
    when it alerts on a route the change most likely alters."""
    at = datetime.fromtimestamp(message.timestamp_ms / 1000, UTC)
    folds = fold_texts(article)
    old, change = job.before.judge(article, at, folds=folds), job.change
    if change is None or not change.spares(article, folds):
        new = job.after.judge(article, at, folds=folds)
    else:
        new = old if change.alike else job.after.judge(article, at, old.result)
    chosen = job.routes
    before = tuple(r for r in old.alerting if chosen is None or r in chosen)
    after = tuple(r for r in new.alerting if chosen is None or r in chosen)
    if not (before or after):
        return None
    why = tuple(d for d in differences(old, new, job.before, job.after)
                if chosen is None or d.route in chosen) if before != after else ()
    likely = change is not None and not change.routes.isdisjoint(before + after)
    print_ = Print.of(folds, job.threshold) if likely else None
    return Fired(message.timestamp_ms, message.partition, message.offset, article.id, article.url,
                 article.title, before, after, why, print_)
