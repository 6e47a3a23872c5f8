"""One poll of one feed: lease, conditional GET, parse, drop what was seen, produce, then mark seen.

The order is what keeps entries from being lost: an entry is marked seen only
after Kafka has acknowledged it. A crash between the acknowledgement and the
mark re-emits that poll's entries once on the next poll; every stage after
this one is idempotent by the stable article id, so that costs a little work
and never a second alert. Marking first would turn the same crash into lost
entries, which nothing downstream could repair.

A poll never raises for a feed's fault: the error is recorded in the feed's
state (and `newswatch feeds status`), counted, logged with the feed and URL,
and the feed backs off.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC

from worker import metrics
from worker.clients import outage
from worker.clients.http import HttpClient
from worker.clients.kafka import Outgoing, Producer
from worker.clients.redis import Redis
from worker.config.models import Feed, Settings
from worker.errors import FetchError, ServiceUnavailable
from worker.fetch.cadence import adaptation, adaptive_interval, retry_delay, spread
from worker.fetch.canonical import canonical_url, entry_id, feed_host
from worker.fetch.feed_health import FeedHealthWatch
from worker.fetch.feeds import Parsed, parse_feed
from worker.fetch.items import Item
from worker.fetch.lease import Leases
from worker.fetch.seen import SeenSet, content_hash
from worker.fetch.state import FeedState, FeedStates
from worker.fetch.turns import HostTurns
from worker.logs import get_logger
from worker.records import Entry

log = get_logger(__name__)
BUSY_RETRY = 5.0  # another replica is polling: look again this soon to learn its next due time


@dataclass(frozen=True)
class Outcome:
    result: metrics.PollResult
    next_due: float
    new: int = 0
    failures: int = 0
    served: tuple[str, Outcome] | None = None  # the host's first in line, polled on this feed's turn


class Poller:
    def __init__(self, settings: Settings, http: HttpClient, redis: Redis, producer: Producer,
                 topic: str) -> None:
        self.settings = settings
        self.http = http
        self.producer = producer
        self.topic = topic
        self.states = FeedStates(redis)
        self.seen = SeenSet(redis, settings.fetch.seen_ttl)
        self.leases = Leases(redis)
        self.turns = HostTurns(redis, self._lease_time())
        self.feed_health = FeedHealthWatch(settings.feed_health, producer, settings.kafka.topic("notices"))
        self.known: dict[str, Feed] = {}  # the feeds this process polls: whom a host's slot may serve

    def poll(self, feed: Feed) -> Outcome:
        """Poll `feed` when it is due and its host's turn has come. Under a host's pace the turn goes to
        the host's longest-waiting feed, which may be another: that poll is the outcome's `served`."""
        self.known.setdefault(feed.id, feed)
        state = self.states.load(feed.id)
        now = time.time()
        if state.next_due > now + 0.5:
            return Outcome("skipped", state.next_due, failures=state.failures)
        pace = self.settings.fetch.host_interval
        if pace is None:
            return self._leased(feed, self._lease(feed))
        turn = self.turns.ask(feed_host(feed.url), feed.id, state.next_due or now, pace,
                              self.settings.fetch.host_wait)
        if not turn.first:
            # no slot soon: serve other hosts meanwhile; the feed keeps its place in line, and the
            # first in line come back for each slot (the rest a slot per `workers` places later)
            metrics.POLLS.labels("paced").inc()
            later = turn.wait + pace * (turn.rank // self.settings.fetch.workers)
            return Outcome("paced", now + later, failures=state.failures)
        served = self.known.get(turn.first)
        if served is None:
            log.info("a host's turn went to a feed this process does not poll; another replica will",
                     feed=turn.first, host=feed_host(feed.url))
            return Outcome("paced", now + pace, failures=state.failures)
        try:
            time.sleep(turn.wait)
            outcome = self._leased(served, self._lease(served))
        finally:
            self.turns.done(feed_host(feed.url), served.id)
        if served.id == feed.id:
            return outcome
        return Outcome("paced", time.time() + pace, failures=state.failures, served=(served.id, outcome))

    def forget(self, feed_id: str) -> None:
        self.known.pop(feed_id, None)

    def _leased(self, feed: Feed, token: str | None) -> Outcome:
        """Poll `feed` under its lease (`token`), unless another replica holds it or polled it meanwhile."""
        now = time.time()
        if token is None:
            return Outcome("skipped", now + min(BUSY_RETRY, feed.interval))
        try:
            state = self.states.load(feed.id)
            if state.next_due > now + 0.5:
                return Outcome("skipped", state.next_due, failures=state.failures)
            return self._poll(feed, state, now)
        finally:
            self.leases.release(feed.id, token)

    def _lease(self, feed: Feed) -> str | None:
        return self.leases.acquire(feed.id, self._lease_time())

    def _lease_time(self) -> float:
        return self.settings.http.total_timeout + 60

    def _poll(self, feed: Feed, state: FeedState, now: float) -> Outcome:
        started = time.monotonic()
        try:
            result, new = self._fetch(feed, state, now)
        except FetchError as exc:
            return self._failed(feed, state, now, exc)
        except ServiceUnavailable as exc:
            # Kafka, not the feed, failed: nothing was marked seen, so the next poll emits it all.
            if not outage.report(exc, f"fetch, sending entries of feed {feed.id}"):
                log.error("entries not sent; the next poll sends them", feed=feed.id, error=str(exc))
            state.next_due = now + self.settings.fetch.min_interval
            self.states.save(feed.id, state)
            metrics.POLLS.labels("error").inc()
            metrics.FETCH_ERRORS.labels("kafka").inc()
            return Outcome("error", state.next_due, failures=state.failures)
        state.failures = 0
        state.last_success = state.last_poll = now
        self._adapt(feed, state)
        state.next_due = now + spread(state.interval, self.settings.fetch)
        self.feed_health.observe(feed, state, now)
        self.states.save(feed.id, state)
        metrics.POLLS.labels(result).inc()
        metrics.FEED_LAST_SUCCESS.labels(feed.id).set(now)
        metrics.FEED_FAILURES.labels(feed.id).set(0)
        # a poll that brought nothing (304, same bytes) is the common case: at a thousand feeds it
        # would be most of the log, so it is at debug; the periodic health line counts them
        (log.info if new else log.debug)("feed polled", feed=feed.id, url=feed.url, result=result, new=new,
                 seconds=round(time.monotonic() - started, 3), next_poll_in=_until(state.next_due))
        return Outcome(result, state.next_due, new=new)

    def _adapt(self, feed: Feed, state: FeedState) -> None:
        """The interval learnt from the feed's publications; a change of a tenth or more is logged, why."""
        was = state.interval or feed.interval
        state.interval, why = adaptation(feed.interval, state.recent, self.settings.fetch)
        if abs(state.interval - was) >= 0.1 * was:
            log.info("poll interval changed", feed=feed.id, url=feed.url, configured=feed.interval,
                     was=round(was, 1), interval=round(state.interval, 1), why=why)

    def _fetch(self, feed: Feed, state: FeedState, now: float) -> tuple[metrics.PollResult, int]:
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        response = self.http.fetch(feed.url, max_bytes=self.settings.http.max_feed_bytes, headers=headers)
        if response.status == 304:
            return "not_modified", 0
        # Many feeds send neither ETag nor Last-Modified, or change them on every request; the
        # same bytes again need no parse (the costliest part of a poll) and hold nothing new.
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        if digest == state.body_digest:
            return "unchanged", 0
        parsed = parse_feed(response.content, feed.url, response.headers.get("content-type", ""))
        _report(feed, parsed)
        sent = self._emit(feed, parsed.items, now)
        new = [e for e in sent if e.revision_of is None]  # revisions are no new publication
        state.etag = response.headers.get("etag", "")
        state.last_modified = response.headers.get("last-modified", "")
        state.body_digest = digest  # only once its entries are on Kafka and marked seen
        state.entries_seen += len(new)
        state.remember([_published(e, now) for e in new])
        return "ok", len(new)

    def _emit(self, feed: Feed, items: list[Item], now: float) -> list[Entry]:
        """Produce the entries not seen before, and those the feed edited since (as revisions), wait
        for Kafka's acks, then mark them seen in their new version."""
        entries: dict[str, Entry] = {}
        for item in items:
            entry = to_entry(feed, item)
            entries.setdefault(entry.id, entry)  # a feed listing one story twice emits it once
        new, revised = self.seen.sort({i: e.content_hash or "" for i, e in entries.items()})
        passed = self.seen.within_budget(revised, self.settings.fetch.revisions_per_day)
        if len(passed) < len(revised):
            self.seen.mark({i: entries[i].content_hash or "" for i in revised if i not in passed})
            log.info("entries edited more often than fetch.revisions_per_day; marked seen, not sent again",
                     feed=feed.id, articles=sorted(set(revised) - set(passed)))
        fresh = [entries[i] for i in new]
        fresh += [entries[i].model_copy(update={"revision_of": old}) for i, old in passed.items()]
        if not fresh:
            return []
        self.producer.send_all([Outgoing(self.topic, e.url, e.to_json()) for e in fresh])
        self.seen.mark({e.id: e.content_hash or "" for e in fresh})
        metrics.NEW_ENTRIES.inc(len(new))
        for e in fresh:
            if e.revision_of:
                log.info("entry edited in its feed; sent again as a revision", feed=feed.id, article=e.id,
                         url=e.url, title=e.title)
            else:
                log.debug("entry sent", feed=feed.id, article=e.id, url=e.url)
        return fresh

    def _failed(self, feed: Feed, state: FeedState, now: float, exc: FetchError) -> Outcome:
        kind, reason = exc.kind, exc.reason
        state.failures += 1
        state.last_poll = state.last_error_at = now
        state.last_error, state.last_error_kind = reason, kind
        if exc.retry_after is not None:
            # The host said when (429/503 Retry-After): then, counted from its answer, never sooner,
            # and not later than the cap.
            wait = min(max(exc.retry_after, 1.0), self.settings.fetch.backoff_cap)
            state.next_due = state.retry_after_until = time.time() + wait
        else:
            base = state.interval or adaptive_interval(feed.interval, state.recent, self.settings.fetch)
            state.next_due = now + spread(retry_delay(base, state.failures, self.settings.fetch),
                                          self.settings.fetch)
        self.feed_health.observe(feed, state, now)
        self.states.save(feed.id, state)
        metrics.POLLS.labels("error").inc()
        metrics.FETCH_ERRORS.labels(kind).inc()
        metrics.FEED_FAILURES.labels(feed.id).set(state.failures)
        level = log.warning if state.failures < 3 else log.error
        level("feed poll failed; backing off", feed=feed.id, url=feed.url, kind=kind, reason=reason,
              failures=state.failures, next_poll_in=_until(state.next_due))
        return Outcome("error", state.next_due, failures=state.failures)


def to_entry(feed: Feed, item: Item) -> Entry:
    """The entry of a clean item; an item without a page is known by its guid alone."""
    return Entry(id=entry_id(item.guid, item.link), feed_id=feed.id,
                 feed_url=feed.url, url=canonical_url(item.link), link=item.link, guid=item.guid,
                 title=item.title, summary=item.summary, content=item.content, author=item.author,
                 published=item.published, language=item.language, tags=list(feed.tags),
                 has_page=item.has_page, content_hash=content_hash(item.title, item.summary, item.content))


def _report(feed: Feed, parsed: Parsed) -> None:
    """One warning per poll when the document was malformed or items were left out, and why."""
    for reason, count in parsed.skipped.items():
        metrics.ITEMS_SKIPPED.labels(reason).inc(count)
    if parsed.warning or parsed.skipped:
        log.warning("feed items skipped or document malformed; the other items go on", feed=feed.id,
                    url=feed.url, items=len(parsed.items), skipped=parsed.skipped, examples=parsed.examples,
                    malformed=parsed.warning)


def _until(at: float) -> float:
    """Seconds from now to `at`, as logged: the time the next poll is scheduled for, jitter included."""
    return round(max(0.0, at - time.time()), 1)


def _published(entry: Entry, now: float) -> float:
    """When the entry was published, for the adaptive interval; now when absent or implausible."""
    if entry.published is None:
        return now
    at = entry.published.astimezone(UTC).timestamp()
    return at if now - 30 * 86400 < at <= now + 3600 else now
