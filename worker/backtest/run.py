"""`newswatch backtest`: the span, the two compiled configs, the scan, the report, and the exit status.

It sends nothing and writes nothing to Redis or Kafka: the articles are read
with the span reader (no group), stories and claims live in memory. The
articles are read from the cluster and topic prefix of the current config
(the one deployed); the new config's dedup settings decide stories.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Never

from tqdm import tqdm

from worker.backtest.change import Change
from worker.backtest.judge import Side
from worker.backtest.report import Report, gaps, route_changes
from worker.backtest.scan import Job, scan
from worker.clients.kafka import Kafka
from worker.clients.kafka_span import plan_span
from worker.config.messages import did_you_mean
from worker.config.models import Config, parse_duration
from worker.dates import parse_iso
from worker.errors import NewswatchError
from worker.match.matcher import Matcher


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime

    @classmethod
    def of(cls, since: float | None, start: datetime | None, end: datetime | None,
           now: datetime | None = None) -> Span:
        """`--since` seconds back from now, or `--from`/`--to` (to: now by default)."""
        now = now or datetime.now(UTC)
        if since is not None and start is not None:
            raise NewswatchError("--since and --from: give one of them (--since 7d, or --from 2026-11-01 "
                                 "[--to 2026-11-08])")
        span = cls(start or now - timedelta(seconds=since or 7 * 86400.0), end or now)
        if span.start >= span.end:
            raise NewswatchError(f"--from {span.start.isoformat()} is not before --to "
                                 f"{span.end.isoformat()}; give a span that starts before it ends")
        return span

    @classmethod
    def parse(cls, since: str | None, start: str | None, end: str | None) -> Span:
        """The span of the command's `--since`, `--from` and `--to` options, as written."""
        try:
            seconds = parse_duration(since) if since else None
        except ValueError as exc:
            raise NewswatchError(f"--since: {exc}") from None
        return cls.of(seconds, _time(start, "--from"), _time(end, "--to"))


def _time(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    if (at := parse_iso(text)) is None:
        raise NewswatchError(f"{option} {text}: not an ISO time or date; write e.g. 2026-11-01 or "
                             f"2026-11-01T08:00Z")
    return at


@dataclass(frozen=True)
class Request:
    current: Config
    new: Config
    current_folder: str
    new_folder: str
    span: Span
    route: str | None = None
    workers: int = 0  # 0: one per core this process may use

    def worker_count(self) -> int:
        return self.workers or len(os.sched_getaffinity(0))


def backtest(request: Request, progress: bool | None = None) -> Report:
    """Run the backtest; `progress` shows a bar with articles per second (default: on a terminal)."""
    routes = _routes(request)
    started = time.monotonic()
    kafka = Kafka(request.current.settings.kafka, client_id="newswatch-backtest")
    spans = plan_span(kafka, "articles", _ms(request.span.start), _ms(request.span.end))
    compiling = time.monotonic()
    job = _compiled(request)
    compiled = time.monotonic() - compiling
    show = sys.stderr.isatty() if progress is None else progress
    gc.freeze()  # the matchers stay out of every collection from now on, the forked workers' too
    # Nor does anything else, until the report is made, here and in the workers (forked with it off).
    # Judging leaves no cyclic garbage (3,000 bench articles judged: nothing for `gc.collect` to find),
    # so all is freed as it goes; but the workers keep the alerting articles and this process takes them
    # all in, some 600,000 tuples for a million articles, which each full collection walked again:
    # unpickling 600,000 took 3.0 to 4.4 CPU s with collections, 0.9 without.
    gc.disable()
    try:
        with tqdm(total=sum(s.records for s in spans), unit=" articles", unit_scale=True, disable=not show,
                  desc="backtest", file=sys.stderr) as bar:
            scanned = scan(job, spans, request.worker_count(), _advance(bar))
        changes = route_changes(scanned.fired, routes, scanned.changed, request.new.settings.dedup)
    finally:
        gc.enable()
        gc.unfreeze()
    return Report(current=request.current_folder, new=request.new_folder, topic=kafka.topic("articles"),
                  start=request.span.start, end=request.span.end, deleted=gaps(spans), articles=scanned.read,
                  unreadable=scanned.unreadable, alerting=scanned.alerting,
                  seconds=round(time.monotonic() - started, 3), compile_seconds=round(compiled, 3),
                  routes=changes)


def _compiled(request: Request) -> Job:
    """Both configs compiled, with no garbage collection meanwhile: compiling allocates millions of
    objects that all stay, and at 100k entities collecting them as they came was half the time of the
    two builds (16 s, 8 s without)."""
    gc.disable()
    try:
        before, after = Matcher.build(request.current), Matcher.build(request.new)
        return Job(request.current.settings.kafka, Side(before), Side(after),
                   frozenset((request.route,)) if request.route else None,
                   request.new.settings.dedup.threshold, Change.of(before, after))
    finally:
        gc.enable()


def failed(report: Report, on_removed: bool, on_added: int | None) -> list[str]:
    """Why `--fail-on-removed` / `--fail-on-added N` fail this backtest (none: it passes)."""
    why = []
    if on_removed and report.removed:
        why.append(f"--fail-on-removed: the change removes {report.removed:,} alert(s)")
    if on_added is not None and report.added > on_added:
        why.append(f"--fail-on-added {on_added}: the change adds {report.added:,} alert(s)")
    return why


def _routes(request: Request) -> list[str]:
    """The routes to report, config order (the current config's, then the new ones)."""
    known = list(dict.fromkeys([r.id for r in request.current.routes] + [r.id for r in request.new.routes]))
    if request.route is None:
        return known
    if request.route not in known:
        raise NewswatchError(f"--route {request.route}: neither config has this route"
                             f"{did_you_mean(request.route, set(known))}; give a route id of either config")
    return [request.route]


def _advance(bar: tqdm[Never]) -> Callable[[int], None]:
    def to(read: int) -> None:
        bar.update(read - bar.n)
    return to


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)
