"""Slack incoming webhooks: a Block Kit message per alert; a digest over as many messages as it needs.

The title links to the article; a context line gives the source, the time
(Slack renders `<!date^...>` in each reader's time zone) and the route;
fields list the entities and event types that matched; the evidence is
quoted as plain text. `text` is the notification line. Every piece of feed or
config text is shown as written, never as formatting, and cut, by `mrkdwn`;
every block is built within Slack's limits, so no Slack 4xx can come from
content: Slack answers 200 "ok"; 429 with Retry-After when posting too fast;
other 4xx (invalid_payload, no_service, channel_not_found) say the destination
is wrong and will not get better by retrying.

A digest of any size is split into parts, each a message under every limit,
sent in order at the destination's pace. Each part has a stable id (the hash
of the digest id and its alerts' ids) recorded in the delivery ledger once
Slack has it, so a digest retried, or replayed from the dead-letter topic
after a part failed, sends only the parts Slack does not have yet.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from worker.clients.http import HttpClient
from worker.config.models import SlackDestination
from worker.deliver.alerts import also_seen, text_source_line, what_changed
from worker.deliver.feed_health import describe
from worker.deliver.flood import flood_heading
from worker.deliver.ledger import Ledger
from worker.deliver.mrkdwn import (
    CONTEXT_ELEMENTS,
    HEADER_TEXT,
    MAX_BLOCKS,
    MESSAGE_TEXT,
    SECTION_TEXT,
    escape,
    link,
    listing,
    one_line,
    plain,
    size,
)
from worker.deliver.transport import post
from worker.pace import Pacer
from worker.records import Alert, Digest, FeedHealth, Payload, StoryRef, stable_id
from worker.text import clean, shorten

# Newswatch's own display caps, inside Slack's: a headline, not an article.
TITLE_CHARS = 300
NOTIFICATION_CHARS = 300
SNIPPET_CHARS = 1_000
NAME_CHARS = 100
LIST_FIELD = 1_000  # each of the two fields, under Slack's 2,000, so one alert stays under MESSAGE_TEXT
LINE_TITLE = 200  # a digest line's title
LINE_CHARS = SECTION_TEXT - 2 * NAME_CHARS  # a digest line's link, its URL included
OUTLET_CHARS = 380  # an "also seen at" link: five of them stay under a context element's 2,000
Message = dict[str, Any]


@dataclass(frozen=True)
class Part:
    id: str  # stable for the same digest and alerts: the delivery ledger's key for this message
    message: Message


class SlackSender:
    def __init__(self, destination: SlackDestination, http: HttpClient, pacer: Pacer, ledger: Ledger,
                 interval: float, timeout: float) -> None:
        self.id = destination.id
        self.url = destination.url.get_secret_value()
        self.http = http
        self.pacer = pacer
        self.ledger = ledger
        self.interval = destination.min_interval or interval
        self.timeout = timeout

    def send(self, payload: Payload) -> None:
        if isinstance(payload, Alert):
            self._post(render_alert(payload))
            return
        if isinstance(payload, FeedHealth):
            self._post(render_feed_health(payload))
            return
        for part in render_digest(payload):
            if self.ledger.sent(part.id, self.id):
                continue  # Slack has this part from an earlier attempt
            self._post(part.message)
            self.ledger.mark_sent(part.id, self.id)

    def _post(self, message: Message) -> None:
        self.pacer.wait(self.id, self.interval)
        post(self.http, self.id, self.url, json.dumps(message, ensure_ascii=False).encode("utf-8"),
             {"Content-Type": "application/json"}, self.timeout)


def render_alert(alert: Alert) -> Message:
    entities = [_entity(one_line(e.name, NAME_CHARS), one_line(e.kind, NAME_CHARS)) for e in alert.entities]
    events = [f"{one_line(e.name, NAME_CHARS)} (“{one_line(e.trigger, NAME_CHARS)}”)" for e in alert.events]
    routes = alert.routes or [alert.route]  # every route that fired for this destination
    named = one_line(", ".join(routes), NAME_CHARS)
    context = f"{one_line(alert.site or alert.feed_id, NAME_CHARS)} · {_when(alert)} · " \
              f"route{'s' if len(routes) > 1 else ''} `{named}`"
    if seen := also_seen(alert.story):
        context += f" · {seen}"
    blocks: list[dict[str, Any]] = [
        _section(f"*{link(alert.url, _headline(alert.title, TITLE_CHARS), SECTION_TEXT - 2)}*"),
        {"type": "context", "elements": [_mrkdwn(context)]},
        {"type": "section", "fields": [_mrkdwn(f"*Entities*\n{listing(entities, LIST_FIELD)}"),
                                       _mrkdwn(f"*Events*\n{listing(events, LIST_FIELD)}")]},
    ]
    if alert.snippet.strip():  # the evidence, exactly as the article has it: plain text, copied as written
        blocks.append({"type": "section", "text": plain(f"“{alert.snippet.strip()}”", SNIPPET_CHARS)})
    if standing := text_source_line(alert):  # the alert stands on the feed's text, not the page's
        blocks.append({"type": "context", "elements": [_mrkdwn(one_line(standing, SNIPPET_CHARS))]})
    if alert.story and alert.story.outlets:
        blocks.append({"type": "context", "elements": [_mrkdwn(_outlets(alert.story))]})
    notification = f"[{alert.route}] {alert.title}"
    if changed := what_changed(alert):  # a follow-up: what changed comes first
        blocks.insert(0, _section(f"*{one_line(changed, SNIPPET_CHARS)}*"))
        notification = f"[{alert.route}] {changed}"
    return _message(one_line(notification, NOTIFICATION_CHARS), blocks)


def _entity(name: str, kind: str) -> str:
    """"name _kind_": the kind in italics, written only when there is one (a blank one would be `__`)."""
    return f"{name} _{kind}_".strip() if kind else name


def render_digest(digest: Digest) -> list[Part]:
    """The digest's messages in order, each under every Slack limit, however many alerts it holds."""
    title = flood_heading(digest) or \
        f"Digest for route {' '.join(clean(digest.route).split())}: {len(digest.alerts)} alert(s)"
    period = f"{digest.period_start:%Y-%m-%d %H:%M} to {digest.period_end:%Y-%m-%d %H:%M} UTC"
    pages = list(_pages([_line(a) for a in digest.alerts])) or [[]]
    parts: list[Part] = []
    for n, page in enumerate(pages, 1):
        numbered = f" (part {n} of {len(pages)})" if len(pages) > 1 else ""
        blocks: list[dict[str, Any]] = [{"type": "header", "text": {
            "type": "plain_text", "text": shorten(title, HEADER_TEXT - size(numbered), size) + numbered,
            "emoji": False}}]
        blocks.append({"type": "context", "elements": [_mrkdwn(escape(period))]})
        sections = _sections([line for _, line in page]) or ["No alerts in this period."]
        blocks += [_section(text) for text in sections]
        ids = [alert_id for alert_id, _ in page]
        text = one_line(f"{len(ids)} of {len(digest.alerts)} alert(s) on {digest.route}{numbered}",
                        NOTIFICATION_CHARS)
        parts.append(Part(stable_id(digest.id, "part", *ids), _message(text, blocks)))
    return parts


def _line(alert: Alert) -> tuple[str, str]:
    source = one_line(alert.site or alert.feed_id, NAME_CHARS)
    return alert.id, f"• {link(alert.url, _headline(alert.title, LINE_TITLE), LINE_CHARS)} ({source})"


def _pages(lines: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """Lines grouped into messages: each within MESSAGE_TEXT, its sections within SECTION_TEXT and the
    message within MAX_BLOCKS (a header and a context block besides the sections)."""
    budget = MESSAGE_TEXT - HEADER_TEXT - 200 - NOTIFICATION_CHARS  # header, period, notification line
    page: list[tuple[str, str]] = []
    used = sections = section = 0
    for item in lines:
        cost = size(item[1]) + 1
        opens = section == 0 or section + cost > SECTION_TEXT
        if page and (used + cost > budget or (opens and sections + 1 > MAX_BLOCKS - 2)):
            yield page
            page, used, sections, section = [], 0, 0, 0
            opens = True
        sections, section = (sections + 1, cost) if opens else (sections, section + cost)
        page.append(item)
        used += cost
    if page:
        yield page


def _sections(lines: list[str]) -> list[str]:
    """Lines joined into section texts of at most SECTION_TEXT each (a line is always shorter)."""
    sections: list[str] = []
    for line in lines:
        if sections and size(sections[-1]) + 1 + size(line) <= SECTION_TEXT:
            sections[-1] += "\n" + line
        else:
            sections.append(line)
    return sections


def _headline(text: str, limit: int) -> str:
    """A title as one line of at most `limit` characters, before escaping."""
    return shorten(" ".join(clean(text).split()), limit)


def _when(alert: Alert) -> str:
    at = alert.published or alert.first_seen
    return f"<!date^{int(at.timestamp())}^{{date_short_pretty}} {{time}}|{at:%Y-%m-%d %H:%M} UTC>"


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _message(text: str, blocks: list[dict[str, Any]]) -> Message:
    return {"text": text, "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _outlets(story: StoryRef) -> str:
    """Up to five other outlets' links, each short enough that the line stays under its limit."""
    links = [link(o.url, o.site or o.url, OUTLET_CHARS) for o in story.outlets[:5]]
    return "Also seen at: " + ", ".join(links)


def render_feed_health(notice: FeedHealth) -> Message:
    headline, details = describe(notice)
    context = [plain(d, SNIPPET_CHARS) for d in details[:CONTEXT_ELEMENTS]]
    return _message(one_line(headline, NOTIFICATION_CHARS),
                    [_section(f"*{one_line(headline, SECTION_TEXT - 2)}*"),
                     {"type": "context", "elements": context}])
