"""Slack incoming webhooks: a Block Kit message per alert, one listing per digest.

The title links to the article; a context line gives the source, the time
(Slack renders `<!date^...>` in each reader's time zone) and the route;
fields list the entities and event types that matched; the evidence is
quoted. `text` is the notification fallback. Slack answers 200 "ok"; 429
with Retry-After when posting too fast; other 4xx (invalid_payload,
no_service, channel_not_found) will not get better by retrying.
"""

from __future__ import annotations

import json
from typing import Any

from worker.clients.http import HttpClient
from worker.config.models import SlackDestination
from worker.deliver.alerts import what_changed
from worker.deliver.feed_health import describe
from worker.deliver.flood import flood_heading
from worker.deliver.transport import post
from worker.pace import Pacer
from worker.records import Alert, Digest, FeedHealth, Payload, StoryRef

DIGEST_LINES = 20


class SlackSender:
    def __init__(self, destination: SlackDestination, http: HttpClient, pacer: Pacer, interval: float,
                 timeout: float) -> None:
        self.id = destination.id
        self.url = destination.url.get_secret_value()
        self.http = http
        self.pacer = pacer
        self.interval = destination.min_interval or interval
        self.timeout = timeout

    def send(self, payload: Payload) -> None:
        message = (render_digest(payload) if isinstance(payload, Digest) else
                   render_feed_health(payload) if isinstance(payload, FeedHealth) else render_alert(payload))
        self.pacer.wait(self.id, self.interval)
        post(self.http, self.id, self.url, json.dumps(message).encode(),
             {"Content-Type": "application/json"}, self.timeout)


def escape(text: str) -> str:
    """Slack's mrkdwn reserves &, < and >; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _when(alert: Alert) -> str:
    at = alert.published or alert.first_seen
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def render_alert(alert: Alert) -> dict[str, Any]:
    entities = ", ".join(f"{escape(e.name)} _{e.kind}_" for e in alert.entities) or "–"
    events = ", ".join(f"{escape(e.name)} (“{escape(e.trigger)}”)" for e in alert.events) or "–"
    context = f"{escape(alert.site or alert.feed_id)} · {_when(alert)} · route `{alert.route}`"
    if alert.story and alert.story.seen_count > 1:
        context += f" · also seen at {alert.story.seen_count - 1} other outlet(s)"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*<{alert.url}|{escape(alert.title)}>*"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": context}]},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*Entities*\n{entities}"},
                                       {"type": "mrkdwn", "text": f"*Events*\n{events}"}]},
    ]
    if alert.snippet:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"> {escape(alert.snippet)}"}})
    if alert.story and alert.story.outlets:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _outlets(alert.story)}]})
    if changed := what_changed(alert):
        blocks.insert(0, {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(changed)}*"}})
        return {"text": f"[{alert.route}] {changed}", "blocks": blocks, "unfurl_links": False}
    return {"text": f"[{alert.route}] {alert.title}", "blocks": blocks, "unfurl_links": False}


def _outlets(story: StoryRef) -> str:
    links = ", ".join(f"<{o.url}|{escape(o.site or o.url)}>" for o in story.outlets)
    return f"Also seen at: {links}"


def render_digest(digest: Digest) -> dict[str, Any]:
    lines = [f"• <{a.url}|{escape(a.title)}> ({escape(a.site or a.feed_id)})"
             for a in digest.alerts[:DIGEST_LINES]]
    if len(digest.alerts) > DIGEST_LINES:
        lines.append(f"…and {len(digest.alerts) - DIGEST_LINES} more")
    title = flood_heading(digest) or f"Digest for route `{digest.route}`: {len(digest.alerts)} alert(s)"
    return {"text": f"{len(digest.alerts)} alert(s) on {digest.route}", "unfurl_links": False,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{title}*"}},
                       {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}]}


def render_feed_health(notice: FeedHealth) -> dict[str, Any]:
    headline, details = describe(notice)
    return {"text": headline, "unfurl_links": False,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape(headline)}*"}},
                       {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(d)}
                                                        for d in details]}]}
