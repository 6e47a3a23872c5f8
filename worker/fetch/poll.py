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
import random
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
from worker.fetch.cadence import adaptive_interval, backoff_interval
from worker.fetch.canonical import canonical_url, entry_id, feed_host
from worker.fetch.feed_health import FeedHealthWatch
from worker.fetch.feeds import Parsed, parse_feed
from worker.fetch.items import Item
from worker.fetch.lease import Leases
from worker.fetch.seen import SeenSet, content_hash
from worker.fetch.state import FeedState, FeedStates
from worker.logs import get_logger
from worker.pace import Pacer
from worker.records import Entry

log = get_logger(__name__)
BUSY_RETRY = 5.0  # another replica is polling: look again this soon to learn its next due time


@dataclass(frozen=True)
class Outcome:
    result: metrics.PollResult
    next_due: float
    new: int = 0
    failures: int = 0


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
        self.hosts = Pacer(redis, "host")
        self.feed_health = FeedHealthWatch(settings.feed_health, producer, settings.kafka.topic("notices"))

    def poll(self, feed: Feed) -> Outcome:
        state = self.states.load(feed.id)
        now = time.time()
        if state.next_due > now + 0.5:
            return Outcome("skipped", state.next_due, failures=state.failures)
        token = self.leases.acquire(feed.id, self.settings.http.total_timeout + 60)
        if token is None:
            return Outcome("skipped", now + min(BUSY_RETRY, feed.interval), failures=state.failures)
        try:
            later = self._host_turn(feed)
            if later is not None:
                metrics.POLLS.labels("paced").inc()
                return Outcome("paced", now + later, failures=state.failures)
            return self._poll(feed, state, time.time())
        finally:
            self.leases.release(feed.id, token)

    def _host_turn(self, feed: Feed) -> float | None:
        """Wait for the feed host's turn (`fetch.host_interval` apart, across replicas); None when
        it came, else the seconds until it, when that is more than `fetch.host_wait`."""
        interval = self.settings.fetch.host_interval
        if interval is None:
            return None
        wait = self.settings.fetch.host_wait
        taken, delay = self.hosts.reserve(feed_host(feed.url), interval, max_wait=wait)
        if not taken:
            return delay
        time.sleep(delay)
        return None

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
        state.interval = adaptive_interval(feed.interval, state.recent, self.settings.fetch)
        state.next_due = now + state.interval
        self.feed_health.observe(feed, state, now)
        self.states.save(feed.id, state)
        metrics.POLLS.labels(result).inc()
        metrics.FEED_LAST_SUCCESS.labels(feed.id).set(now)
        metrics.FEED_FAILURES.labels(feed.id).set(0)
        # a poll that brought nothing (304, same bytes) is the common case: at a thousand feeds it
        # would be most of the log, so it is at debug; the periodic health line counts them
        (log.info if new else log.debug)("feed polled", feed=feed.id, url=feed.url, result=result, new=new,
                 seconds=round(time.monotonic() - started, 3), next_poll_in=round(state.interval, 1))
        return Outcome(result, state.next_due, new=new)

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
            # The host said when (429/503 Retry-After): then, never sooner, and not later than the cap.
            wait = min(max(exc.retry_after, 1.0), self.settings.fetch.backoff_cap)
            state.next_due = state.retry_after_until = now + wait
        else:
            base = state.interval or adaptive_interval(feed.interval, state.recent, self.settings.fetch)
            wait = backoff_interval(base, state.failures, self.settings.fetch)
            state.next_due = now + wait * random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries
        self.feed_health.observe(feed, state, now)
        self.states.save(feed.id, state)
        metrics.POLLS.labels("error").inc()
        metrics.FETCH_ERRORS.labels(kind).inc()
        metrics.FEED_FAILURES.labels(feed.id).set(state.failures)
        level = log.warning if state.failures < 3 else log.error
        level("feed poll failed; backing off", feed=feed.id, url=feed.url, kind=kind, reason=reason,
              failures=state.failures, next_poll_in=round(state.next_due - now, 1))
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


def _published(entry: Entry, now: float) -> float:
    """When the entry was published, for the adaptive interval; now when absent or implausible."""
    if entry.published is None:
        return now
    at = entry.published.astimezone(UTC).timestamp()
    return at if now - 30 * 86400 < at <= now + 3600 else now
