"""The senders of a config's enabled destinations, by id."""

from __future__ import annotations

from typing import Protocol

from worker.clients.http import HttpClient
from worker.config.models import AppriseDestination, Config, ConsoleDestination, SlackDestination
from worker.deliver.apprise import AppriseSender
from worker.deliver.console import ConsoleSender
from worker.deliver.slack import SlackSender
from worker.deliver.webhook import WebhookSender
from worker.pace import Pacer
from worker.records import Payload


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
            out[dest.id] = SlackSender(dest, http, pacer, settings.slack_min_interval, settings.timeout)
        elif isinstance(dest, AppriseDestination):
            out[dest.id] = AppriseSender(dest, settings.timeout)
        else:
            out[dest.id] = WebhookSender(dest, http, settings.timeout)
    return out
