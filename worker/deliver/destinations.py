"""The senders of a config's enabled destinations, by id, and each destination's retry schedule."""

from __future__ import annotations

from typing import Protocol

from worker.clients.http import HttpClient
from worker.config.models import Config, ConsoleDestination, RetrySchedule, SlackDestination
from worker.deliver.console import ConsoleSender
from worker.deliver.ledger import Ledger
from worker.deliver.pace import Pacer
from worker.deliver.slack import SlackSender
from worker.deliver.webhook import WebhookSender
from worker.records import Alert, Digest


class Sender(Protocol):
    id: str

    def send(self, payload: Alert | Digest) -> None:
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
        else:
            out[dest.id] = WebhookSender(dest, http, settings.timeout)
    return out


class Destinations:
    """The current config's senders and schedules, swapped whole when the config is reloaded."""

    def __init__(self, config: Config, http: HttpClient, pacer: Pacer) -> None:
        self.http = http
        self.pacer = pacer
        self.update(config)

    def update(self, config: Config) -> None:
        self.senders: dict[str, Sender] = senders(config, self.http, self.pacer)
        self.disabled = {d.id for d in config.destinations if not d.enabled}
        self.schedules = {d.id: d.retry or config.settings.deliver.retry for d in config.destinations}
        self.default_schedule = config.settings.deliver.retry

    def schedule(self, destination: str) -> RetrySchedule:
        return self.schedules.get(destination, self.default_schedule)
