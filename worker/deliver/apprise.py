"""Destinations through Apprise: Teams, email, PagerDuty, Opsgenie, Telegram, Discord, Matrix and the rest.

Apprise speaks each service's own API; Newswatch keeps what makes delivery
trustworthy around it, the same as for its native senders: the ledger (each
alert once per destination), the retry schedule, pacing and dead letters all
sit in `delivery`, above `Sender.send`. Apprise reports success or failure
per call, not an HTTP status, so a failed or timed-out call is retried on the
schedule; a URL that Apprise cannot use at all is refused by the config
model, so `config check` and a reload refuse it before any alert.

The URL carries the service's credentials, so it comes from the environment
and never reaches a log: Apprise's own logger (which prints URLs) is kept
out of the process's logs (`worker.logs.configure`), and errors name the destination id and Apprise's
reason for the failure, with any URL in it cut out. Apprise loads its ~190
plugins when first imported (about 0.4 s), so only a process with an Apprise
destination imports it.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from worker.config.models import AppriseDestination
from worker.deliver import console
from worker.deliver.alerts import text_source_line, what_changed
from worker.deliver.feed_health import describe
from worker.deliver.flood import flood_heading
from worker.errors import DeliveryError
from worker.records import Alert, Digest, FeedHealth, Payload

if TYPE_CHECKING:
    import apprise

_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~-])")
_SERIOUS = frozenset({"WARNING", "ERROR", "CRITICAL"})
DIGEST_LINES = 50


class AppriseSender:
    def __init__(self, destination: AppriseDestination, timeout: float) -> None:
        import apprise  # noqa: PLC0415 - see the module's docstring

        self.id = destination.id
        self.format = destination.format
        self.timeout = timeout
        self._apprise = apprise.Apprise(destination.url.get_secret_value())  # the config checked it
        self._lock = threading.Lock()  # one Apprise object, one call at a time

    def send(self, payload: Payload) -> None:
        title, body = render(payload, self.format)
        with self._lock:
            result = self._apprise.notify(body=body, title=title, body_format=self.format,
                                          timeout=self.timeout)
        if not result:
            raise DeliveryError(self.id, f"apprise: {_reason(result)}", retryable=True)


def render(payload: Payload, fmt: str) -> tuple[str, str]:
    """Title and body; feed text is escaped for markdown, which many services render."""
    if isinstance(payload, FeedHealth):
        headline, details = describe(payload)
        return headline, "\n\n".join(details if fmt == "text" else map(_md, details))
    if fmt == "text":
        title = payload.title if isinstance(payload, Alert) else f"Digest for route {payload.route}"
        return title, console.render(payload)
    if isinstance(payload, Digest):
        lines = [f"- [{_md(a.title)}]({a.url}) ({_md(a.site or a.feed_id)})"
                 for a in payload.alerts[:DIGEST_LINES]]
        if len(payload.alerts) > DIGEST_LINES:
            lines.append(f"- …and {len(payload.alerts) - DIGEST_LINES} more")
        count = len(payload.alerts)
        heading = flood_heading(payload) or f"Digest for route {payload.route}: {count} alert(s)"
        return heading, "\n".join(lines)
    entities = ", ".join(f"{_md(e.name)} ({e.kind})" for e in payload.entities) or "–"
    events = ", ".join(f"{_md(e.name)} (“{_md(e.trigger)}”)" for e in payload.events) or "–"
    changed = what_changed(payload)
    lines = [*([f"**{_md(changed)}**"] if changed else []), f"**[{_md(payload.title)}]({payload.url})**",
             f"{_md(payload.site or payload.feed_id)} · route {_md(payload.route)} · "
             f"first seen {payload.first_seen:%Y-%m-%d %H:%M} UTC",
             *([_md(standing)] if (standing := text_source_line(payload)) else []),
             f"**Entities:** {entities}", f"**Events:** {events}"]
    if payload.snippet:
        lines.append(f"> {_md(payload.snippet)}")
    lines.append(f"alert {payload.id}")
    return f"[{payload.route}] {payload.title}", "\n\n".join(lines)


def _md(text: str) -> str:
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _reason(result: apprise.AppriseResult) -> str:
    """Apprise's last warning or error, without any URL it may quote."""
    messages = [entry.message for entry in result.logs() if str(entry.level) in _SERIOUS]
    if not messages:
        return "the service did not accept the notification"
    return _URL.sub("<url>", messages[-1])[:200]
