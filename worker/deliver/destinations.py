"""The senders of a config's enabled destinations, by id, with each one's retry schedule; and the
test message an operator sends one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from worker.clients.http import HttpClient
from worker.config.messages import did_you_mean
from worker.config.models import (
    AppriseDestination,
    Burst,
    Config,
    ConsoleDestination,
    RetrySchedule,
    SlackDestination,
)
from worker.deliver.apprise import AppriseSender
from worker.deliver.console import ConsoleSender
from worker.deliver.ledger import Ledger
from worker.deliver.slack import SlackSender
from worker.deliver.webhook import WebhookSender
from worker.errors import NewswatchError
from worker.pace import Pacer
from worker.records import Alert, Payload

TEST_ROUTE = "newswatch-test"


class Sender(Protocol):
    id: str

    def send(self, payload: Payload) -> None:
        """Deliver, or raise DeliveryError saying whether a retry may help."""


def senders(config: Config, http: HttpClient, pacer: Pacer) -> dict[str, Sender]:
    out: dict[str, Sender] = {}
    settings = config.settings.deliver
    for dest in config.destinations:
        if not dest.enabled:
            continue
        if isinstance(dest, ConsoleDestination):
            out[dest.id] = ConsoleSender(dest.id, dest.format)
        elif isinstance(dest, SlackDestination):
            parts = Ledger(pacer.store, settings.sent_ttl)  # a digest's parts are recorded as they go
            out[dest.id] = SlackSender(dest, http, pacer, parts, settings.slack_min_interval,
                                       settings.timeout)
        elif isinstance(dest, AppriseDestination):
            out[dest.id] = AppriseSender(dest, settings.timeout)
        else:
            out[dest.id] = WebhookSender(dest, http, settings.timeout)
    return out


@dataclass(frozen=True)
class Roster:
    """What delivery reads from one config: the senders, the disabled destinations (with why), the retry
    schedules, the routes' burst budgets and where feed-health notices go. One object, so a batch that
    takes it once reads a single config throughout, whatever a reload swaps in meanwhile."""

    senders: Mapping[str, Sender]
    disabled: Mapping[str, str]
    schedules: Mapping[str, RetrySchedule]
    default_schedule: RetrySchedule
    bursts: Mapping[str, Burst]
    notices_to: tuple[str, ...]

    @classmethod
    def of(cls, config: Config, http: HttpClient, pacer: Pacer) -> Roster:
        return cls(senders=senders(config, http, pacer),
                   disabled={d.id: f"destination disabled: {config.disabled_reason(d.id)}"
                             for d in config.destinations if not d.enabled},
                   schedules={d.id: d.retry or config.settings.deliver.retry for d in config.destinations},
                   default_schedule=config.settings.deliver.retry,
                   bursts={r.id: r.burst for r in config.routes if r.burst and not r.digest},
                   notices_to=tuple(config.settings.feed_health.to))

    def schedule(self, destination: str) -> RetrySchedule:
        return self.schedules.get(destination, self.default_schedule)


class Destinations:
    """The current config's `Roster`, swapped whole (one assignment) when the config is reloaded.

    Work that reads it more than once (a batch, a drain) takes `current` once and keeps to it; the
    shortcuts below are for a single read.
    """

    def __init__(self, config: Config, http: HttpClient, pacer: Pacer) -> None:
        self.http = http
        self.pacer = pacer
        self.current = Roster.of(config, http, pacer)

    def update(self, config: Config) -> None:
        self.current = Roster.of(config, self.http, self.pacer)

    @property
    def senders(self) -> Mapping[str, Sender]:
        return self.current.senders

    @property
    def disabled(self) -> Mapping[str, str]:
        return self.current.disabled

    def schedule(self, destination: str) -> RetrySchedule:
        return self.current.schedule(destination)
def test_alert(dest_id: str) -> Alert:
    """A message no one can mistake for news: what `newswatch destinations test` sends."""
    now = datetime.now(UTC)
    return Alert(
        id=f"test-{uuid.uuid4().hex[:16]}", route=TEST_ROUTE, routes=[TEST_ROUTE], article_id="test",
        url="https://example.com/newswatch-test", feed_id="newswatch-test", first_seen=now, score=0,
        title=f"TEST MESSAGE from Newswatch: destination {dest_id!r} works (not an alert)",
        entities=[], events=[], keywords=[], config_version="test", event="test",
        snippet=(f"Sent by `newswatch destinations test {dest_id}` at {now:%Y-%m-%d %H:%M:%S} UTC to check "
                 f"that alerts reach this destination. No article matched; there is nothing to act on."),
    )


def send_test(config: Config, dest_id: str, http: HttpClient, pacer: Pacer) -> Alert:
    """Send one test message to `dest_id` now, once (no retry); raise saying why it could not go."""
    known = {d.id: d for d in config.destinations}
    if dest_id not in known:
        raise NewswatchError(f"no destination {dest_id!r}{did_you_mean(dest_id, known)}; "
                             f"defined: {', '.join(sorted(known)) or 'none'}")
    if not known[dest_id].enabled:
        raise NewswatchError(f"destination {dest_id!r} is disabled ({config.disabled_reason(dest_id)}); "
                             f"enable it, then test again")
    alert = test_alert(dest_id)
    senders(config, http, pacer)[dest_id].send(alert)
    return alert
