"""The console destination: alerts on standard output, for local runs and the demo."""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from worker.deliver.alerts import also_seen, text_source_line, what_changed
from worker.deliver.feed_health import describe
from worker.deliver.flood import flood_heading
from worker.records import Digest, FeedHealth, Payload

_lock = threading.Lock()


class ConsoleSender:
    def __init__(self, destination_id: str, fmt: str = "text", stream: TextIO | None = None) -> None:
        self.id = destination_id
        self.format = fmt
        self.stream = stream

    def send(self, payload: Payload) -> None:
        text = payload.to_json().decode() if self.format == "json" else render(payload)
        with _lock:
            out = self.stream or sys.stdout
            out.write(text + "\n")
            out.flush()


def render(payload: Payload) -> str:
    if isinstance(payload, FeedHealth):
        headline, details = describe(payload)
        return "\n".join([f"== FEED {headline}", *(f"  {d}" for d in details)])
    if isinstance(payload, Digest):
        heading = flood_heading(payload) or f"digest {payload.route}: {len(payload.alerts)} alert(s)"
        lines = [f"== {heading}, "
                 f"{payload.period_start:%Y-%m-%d %H:%M} to {payload.period_end:%H:%M} UTC"]
        return "\n".join(lines + [f"  - {a.title} <{a.url}>" for a in payload.alerts])
    entities = ", ".join(f"{e.name} ({e.kind})" for e in payload.entities) or "-"
    events = ", ".join(f"{e.name} ({e.trigger!r})" for e in payload.events) or "-"
    seen = ""
    if payload.story and (line := also_seen(payload.story)):
        seen = f"\n  {line}" + "".join(f"\n    {o.site or '-'} <{o.url}>" for o in payload.story.outlets)
    changed = what_changed(payload)
    routes = ", ".join(payload.routes or [payload.route])  # every route that fired for this destination
    return (f"== {'UPDATE' if changed else 'ALERT'} [{routes}] {payload.title}\n"
            + (f"  {changed}\n" if changed else "") +
            f"  {payload.url}\n"
            + (f"  {standing}\n" if (standing := text_source_line(payload)) else "") +
            f"  source: {payload.site or payload.feed_id}   "
            f"first seen: {payload.first_seen:%Y-%m-%d %H:%M:%S} UTC   score: {payload.score:g}\n"
            f"  entities: {entities}\n"
            f"  events: {events}\n"
            f"  evidence: {payload.snippet}{seen}\n"
            f"  alert: {payload.id}" + (f" (update of {payload.update_of})" if payload.update_of else ""))
