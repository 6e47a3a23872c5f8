"""`newswatch alerts`: what was alerted over a span of time, why, and where each alert went.

Each source answers what it alone knows, and is read without touching the
live pipeline (no consumer group, nothing written):

- the `matches` topic: what was alerted and why. Every route decision with
  status `alert` is one alert per destination it names, except those another
  route's alert of the same story reaches (`shared`), under the id the deliver
  stage sends it with (`alerts_of`: a follow-up has its own). Read by
  timestamp over the span (worker/clients/kafka_span.py).
- the delivery ledger (Redis): delivered, and when; or handed to a digest,
  whose own mark says when the digest went (worker/deliver/ledger.py).
- the parked alerts (Redis): waiting for a retry, with attempts and the last
  error.
- the `deadletter` topic, from the span's start to now: given up on, and why.
  A letter replayed since is in the ledger, which is read first; a letter
  replayed and failed again is on the topic twice, and the latest counts.

Where none of them knows the alert, it is `unknown`: the deliver stage has not
handled it yet, or its ledger mark expired (`settings.deliver.sent_ttl`).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from worker.clients.kafka import Kafka, Message
from worker.clients.kafka_span import PartitionSpan, plan_span, read_span
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.alerts import alerts_of
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger, Receipt
from worker.deliver.parked import ParkedAlerts
from worker.deliver.replay import payload_id
from worker.errors import RecordError
from worker.logs import get_logger
from worker.records import Alert, DeadLetter, Match, R, parse_record
from worker.table import iso, print_table, span

log = get_logger(__name__)
Went = Literal["delivered", "digest", "parked", "dead-lettered", "unknown"]
Delivery = tuple[str, str]  # (alert or digest id, destination)


@dataclass(frozen=True)
class Selection:
    """Which alerts to list; empty fields select everything."""

    since: float = 86400.0  # seconds back from now
    route: str | None = None
    entity: str | None = None  # an entity id or name, any case
    destination: str | None = None

    def wants(self, alert: Alert, destination: str) -> bool:
        entity = (self.entity or "").casefold()
        named = not entity or any(entity in (e.id.casefold(), e.name.casefold()) for e in alert.entities)
        return (named and (self.route is None or self.route == alert.route)
                and (self.destination is None or self.destination == destination))


@dataclass(frozen=True)
class Fate:
    """Where one alert went to one destination."""

    went: Went
    at: float | None = None  # delivered, parked or dead-lettered at
    digest: str | None = None  # the digest that carries it
    attempts: int = 0
    reason: str | None = None  # the last error, or why it was dead-lettered
    next_attempt: float | None = None  # parked: when it is tried again


@dataclass(frozen=True)
class Sent:
    """One alert for one destination, with why it matched and where it went."""

    alert: Alert
    destination: str
    matched_at: datetime
    fate: Fate


@dataclass(frozen=True)
class History:
    alerts: list[Sent]
    since: datetime
    until: datetime
    deleted_before: datetime | None = None  # retention deleted matches of the span before this time


@dataclass
class _Found:
    """The alerts of the span, in the order they were matched, one per (alert id, destination)."""

    alerts: dict[Delivery, tuple[Alert, datetime]] = field(default_factory=dict)

    def add(self, match: Match, select: Selection) -> None:
        for _, destination, alert in alerts_of(match):
            if select.wants(alert, destination):
                self.alerts.setdefault((alert.id, destination), (alert, match.matched_at))


def history(config: Config, select: Selection = Selection(), now: float | None = None) -> History:
    """The selected alerts matched in the last `select.since` seconds, each with where it went."""
    now = time.time() if now is None else now
    start_ms, end_ms = int((now - select.since) * 1000), int(now * 1000) + 1
    kafka = Kafka(config.settings.kafka, client_id="newswatch-alerts")
    spans = plan_span(kafka, "matches", start_ms, end_ms)
    found = _Found()
    for match in _records(kafka, spans, Match):
        found.add(match, select)
    letters = _letters(kafka, start_ms, end_ms) if found.alerts else {}
    store = Redis(config.settings.redis)
    try:
        fates = _Fates(Ledger(store, config.settings.deliver.sent_ttl), letters).of(list(found.alerts))
    finally:
        store.close()
    rows = [Sent(alert, destination, matched_at, fates[(alert.id, destination)])
            for (_, destination), (alert, matched_at) in found.alerts.items()]
    gone = [s.first_retained_ms for s in spans if s.deleted]
    return History(sorted(rows, key=lambda s: s.matched_at), _utc(start_ms / 1000), _utc(now),
                   _utc(min(ms or end_ms for ms in gone) / 1000) if gone else None)


def _records(kafka: Kafka, spans: list[PartitionSpan], kind: type[R]) -> Iterator[R]:
    for batch in read_span(kafka, spans):
        yield from _parsed(batch, kind)


def _parsed(batch: Iterable[Message], kind: type[R]) -> Iterator[R]:
    for message in batch:
        try:
            yield parse_record(kind, message.value)
        except RecordError as exc:
            log.warning("unreadable record skipped", topic=message.topic, partition=message.partition,
                        offset=message.offset, error=str(exc))


def _letters(kafka: Kafka, start_ms: int, end_ms: int) -> dict[Delivery, DeadLetter]:
    """The latest dead letter of each (alert or digest id, destination) written since the span began."""
    latest: dict[Delivery, DeadLetter] = {}
    for letter in _records(kafka, plan_span(kafka, "deadletter", start_ms, end_ms), DeadLetter):
        key = (payload_id(letter), letter.destination)
        if key not in latest or letter.failed_at >= latest[key].failed_at:
            latest[key] = letter
    return latest


@dataclass(frozen=True)
class _Fates:
    ledger: Ledger
    letters: dict[Delivery, DeadLetter]

    def of(self, deliveries: list[Delivery]) -> dict[Delivery, Fate]:
        """Where each delivery went; an alert handed to a digest goes where its digest went."""
        fates = self._direct(deliveries)
        handed = {d: f.digest for d, f in fates.items() if f.went == "digest" and f.digest}
        digests = self._direct(list({(digest, d[1]) for d, digest in handed.items()}))
        for delivery, digest in handed.items():
            carried = digests[(digest, delivery[1])]
            fates[delivery] = (Fate("digest", fates[delivery].at, digest) if carried.went == "unknown"
                               else Fate(carried.went, carried.at, digest, carried.attempts, carried.reason,
                                         carried.next_attempt))
        return fates

    def _direct(self, deliveries: list[Delivery]) -> dict[Delivery, Fate]:
        """The ledger first (a replayed letter was delivered after all), then parked, then dead letters."""
        receipts = dict(zip(deliveries, self.ledger.receipts(deliveries), strict=True))
        parked = self._parked([d for d, r in receipts.items() if r is None])
        return {d: _fate(receipts[d], parked.get(d), self.letters.get(d)) for d in deliveries}

    def _parked(self, deliveries: list[Delivery]) -> dict[Delivery, tuple[Job, float | None]]:
        waiting = ParkedAlerts(self.ledger.store, self.ledger)
        by_destination: dict[str, list[str]] = {}
        for delivery_id, destination in deliveries:
            by_destination.setdefault(destination, []).append(delivery_id)
        return {(i, destination): found for destination, ids in by_destination.items()
                for i, found in waiting.find(destination, ids).items()}


def _fate(receipt: Receipt | None, parked: tuple[Job, float | None] | None,
          letter: DeadLetter | None) -> Fate:
    if receipt is not None:
        return Fate("digest" if receipt.digest else "delivered", receipt.at, receipt.digest)
    if parked is not None:
        job, due = parked
        return Fate("parked", job.parked_at or None, attempts=job.attempts, reason=job.reason or None,
                    next_attempt=due)
    if letter is not None:
        return Fate("dead-lettered", letter.failed_at.timestamp(), attempts=letter.attempts,
                    reason=letter.reason)
    return Fate("unknown")


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# --- output --------------------------------------------------------------------------------------


def print_history(found: History, *, as_json: bool = False) -> None:
    """One line per alert and destination on a terminal; with `as_json`, one JSON array."""
    if found.deleted_before is not None:
        print(f"newswatch: retention deleted the matches before {found.deleted_before:%Y-%m-%d %H:%M} UTC "
              f"(settings.kafka.retention.matches): alerts before then cannot be listed", file=sys.stderr)
    if as_json:
        print(json.dumps([_document(sent) for sent in found.alerts], indent=2, ensure_ascii=False))
        return
    if not found.alerts:
        print(f"no alerts since {found.since:%Y-%m-%d %H:%M} UTC")
        return
    now = found.until.timestamp()
    print_table(("MATCHED", "ALERT", "ROUTE", "DESTINATION", "WENT", "WHEN", "WHY", "TITLE", "REASON"), [
        (span(now - s.matched_at.timestamp()) + " ago", s.alert.id[:12], s.alert.route, s.destination,
         _went(s.fate), span(now - s.fate.at) + " ago" if s.fate.at else "-",
         _cut(", ".join(_why(s.alert)), 40), _cut(s.alert.title, 60), s.fate.reason or "-")
        for s in found.alerts])
    counts = Counter(s.fate.went for s in found.alerts)
    print(f"{len(found.alerts)} alert(s) since {found.since:%Y-%m-%d %H:%M} UTC: "
          + ", ".join(f"{n} {went}" for went, n in sorted(counts.items()))
          + "; `newswatch alerts --json` gives each in full")


def _went(fate: Fate) -> str:
    if fate.went == "digest":
        return "in digest"
    if fate.went == "parked":
        return f"parked after {fate.attempts} attempt{'s' if fate.attempts != 1 else ''}"
    return fate.went + (" in digest" if fate.digest else "")


def _why(alert: Alert) -> list[str]:
    """What made it match: the entities, then the event types, then the keywords."""
    return ([e.name for e in alert.entities] + [e.name for e in alert.events]
            + [k.keyword for k in alert.keywords])


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _document(sent: Sent) -> dict[str, object]:
    alert, fate = sent.alert, sent.fate
    return {
        "alert_id": alert.id, "matched_at": sent.matched_at.isoformat(timespec="seconds"),
        "route": alert.route, "routes": alert.routes, "destination": sent.destination, "went": fate.went,
        "at": iso(fate.at or 0), "digest_id": fate.digest, "attempts": fate.attempts, "reason": fate.reason,
        "next_attempt_at": iso(fate.next_attempt or 0), "event": alert.event, "update_of": alert.update_of,
        "article_id": alert.article_id, "title": alert.title, "url": alert.url, "feed_id": alert.feed_id,
        "why": {"entities": [{"id": e.id, "name": e.name, "mentions": [m.text for m in e.mentions]}
                             for e in alert.entities],
                "events": [{"id": e.id, "name": e.name, "trigger": e.trigger} for e in alert.events],
                "keywords": [k.keyword for k in alert.keywords], "snippet": alert.snippet},
    }
