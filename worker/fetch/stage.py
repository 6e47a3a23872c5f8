"""The fetch stage: one APScheduler job per enabled feed, each poll through the shared `Poller`.

Every replica schedules every feed. After each run a job is moved to the
feed's shared next-due time (which carries its jitter: fetch/cadence.py), so replicas converge on the same
schedule and the first to arrive takes the lease and polls; the others find
the poll done and move along. A replica that dies simply stops arriving: the
others' jobs still fire at the next due time. `coalesce` folds missed runs
into one and `max_instances=1` keeps one run per feed per process; the Redis
lease keeps one per feed across processes. Under a host's pace, a run may
poll the host's longest-waiting feed instead of its own (fetch/turns.py); that
feed's job is then moved to its new due time too.

A feed due while its previous poll still runs (a slow server, or more due
feeds than `settings.fetch.workers`) is skipped that time. APScheduler would
log a warning per skip, thousands a minute on an overloaded fetcher; instead
(worker/adaptations.py drops that warning) skips are counted
(`newswatch_fetch_polls_total{result="skipped"}`) and summed up in one
warning a minute that says what to change.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from datetime import UTC, datetime

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, JobSubmissionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from worker import metrics
from worker.clients import outage
from worker.clients.connections import Clients
from worker.clients.http import HttpClient
from worker.clients.kafka import Producer
from worker.config.models import Config, Feed
from worker.fetch.poll import Outcome, Poller
from worker.health import Health
from worker.logs import get_logger
from worker.stages import Stage

log = get_logger(__name__)
SKIPS_EVERY = 60.0  # seconds between two warnings about skipped polls


class FetchStage(Stage):
    name = "fetch"

    def __init__(self, config: Config, clients: Clients, health: Health) -> None:
        self.settings = config.settings
        self.health = health
        self.clients = clients
        self.http: HttpClient | None = None
        self.producer: Producer | None = None
        self.feeds: dict[str, Feed] = {}
        self._failing: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self._skipped: dict[str, int] = {}  # feed -> polls skipped since the last warning
        self._skips_lock = threading.Lock()  # not _lock: skips arrive on the scheduler's thread
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(config.settings.fetch.workers,  # named for profiles
                                                     pool_kwargs={"thread_name_prefix": "fetch-poll"})},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone=UTC)
        self.scheduler.add_listener(self._skip, EVENT_JOB_MAX_INSTANCES)
        self.config = config
        self._warned = time.monotonic() - SKIPS_EVERY

    def start(self, stop: threading.Event) -> None:
        kafka = self.clients.kafka
        self.http = HttpClient(self.settings.http)
        self.producer = kafka.producer()
        self.poller = Poller(self.settings, self.http, self.clients.redis, self.producer,
                             kafka.topic("entries"))
        self.scheduler.start()
        self.update(self.config)
        log.info("fetch stage started", feeds=len(self.feeds))

    def step(self, stop: threading.Event) -> None:
        """A second of the scheduler's life: the health beat, the backoff gauge, the skips' warning."""
        if stop.wait(1.0):
            return
        self.health.beat("fetch")
        with self._lock:
            metrics.FEEDS_IN_BACKOFF.set(sum(1 for n in self._failing.values() if n > 0))
        if self._skipped and time.monotonic() - self._warned >= SKIPS_EVERY:
            self._warned = time.monotonic()
            self._warn_skips()

    def close(self) -> None:
        # Jobs reschedule themselves through the scheduler; one doing so while shutdown(wait=True)
        # joins the pool deadlocks APScheduler's locks. Stop that first, under our lock, so no
        # job is inside modify_job; queued polls then return at once and running ones finish.
        with self._lock:
            self._stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        if self.producer is not None:
            self.producer.close()
        if self.http is not None:
            self.http.close()
        log.info("fetch stage stopped")

    def update(self, config: Config) -> None:
        """Follow a new config: start new feeds, stop removed or disabled ones, take changed ones."""
        self.config = config  # what `start` schedules, should a reload come before it
        wanted = {f.id: f for f in config.feeds if f.enabled}
        with self._lock:
            removed = set(self.feeds) - set(wanted)
            added = set(wanted) - set(self.feeds)
            self.feeds = wanted
            for feed_id in removed:
                self.scheduler.remove_job(feed_id)
                self.poller.forget(feed_id)
                self._failing.pop(feed_id, None)
                for gauge in (metrics.FEED_LAST_SUCCESS, metrics.FEED_FAILURES):
                    with contextlib.suppress(KeyError):
                        gauge.remove(feed_id)
        for feed_id in sorted(added):
            # the trigger is a fallback: every run moves its job to the feed's next due time
            trigger = IntervalTrigger(seconds=wanted[feed_id].interval)
            start = random.uniform(0, self.settings.fetch.jitter)  # noqa: S311 - spreading a start, not secrets
            self.scheduler.add_job(self._run, trigger, args=[feed_id], id=feed_id, name=f"poll {feed_id}",
                                   next_run_time=_at(_now() + start))
        if added or removed:
            log.info("feeds scheduled", feeds=len(wanted), added=sorted(added), removed=sorted(removed))

    def _run(self, feed_id: str) -> None:
        with self._lock:
            feed = None if self._stopping else self.feeds.get(feed_id)
        if feed is None:
            return
        try:
            outcome = self.poller.poll(feed)
        except Exception as exc:  # noqa: BLE001 - Redis down or a bug: log, retry soon, keep the scheduler
            if not outage.report(exc, f"fetch, polling feed {feed_id}"):
                log.exception("poll failed unexpectedly", feed=feed_id, url=feed.url)
            self._reschedule(feed_id, _at(_now() + self.settings.fetch.min_interval))
            return
        self._follow(feed_id, outcome)
        if outcome.served is not None:
            self._follow(*outcome.served)

    def _follow(self, feed_id: str, outcome: Outcome) -> None:
        """Move the feed's job to its next due time, which the poll set (and logged)."""
        if outcome.result != "paced" and outcome.result != "skipped":
            with self._lock:
                self._failing[feed_id] = outcome.failures
        self._reschedule(feed_id, _at(outcome.next_due))

    def _skip(self, event: JobSubmissionEvent) -> None:
        metrics.POLLS.labels("skipped").inc()
        with self._skips_lock:
            self._skipped[event.job_id] = self._skipped.get(event.job_id, 0) + 1

    def _warn_skips(self) -> None:
        with self._skips_lock:
            skipped, self._skipped = self._skipped, {}
        busiest = sorted(skipped, key=skipped.__getitem__, reverse=True)[:10]
        log.warning("polls skipped: these feeds were due while their previous poll still ran; if it "
                    "lasts, raise settings.fetch.workers or the feeds' intervals, or add fetch replicas",
                    skipped=sum(skipped.values()), feeds=len(skipped), busiest=busiest,
                    workers=self.settings.fetch.workers)

    def _reschedule(self, feed_id: str, when: datetime) -> None:
        with self._lock:
            if feed_id in self.feeds and not self._stopping:
                self.scheduler.modify_job(feed_id, next_run_time=when)

def _at(when: float) -> datetime:
    return datetime.fromtimestamp(max(when, _now()), UTC)


def _now() -> float:
    return datetime.now(UTC).timestamp()
