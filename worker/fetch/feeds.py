"""Feed documents to items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand.

A feed is hostile input. A malformed ("bozo") feed yields what feedparser
could read and a warning that says what was wrong; a document that is no feed
at all (an HTML error page, an empty body) is an error naming the feed, so it
backs off instead of silently yielding nothing. Items without a link are
skipped: there is nothing to extract or to alert on.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from worker.errors import FetchError
from worker.extract.fallback import html_to_text

MAX_ITEMS = 500  # more in one document is abuse or a broken generator, not news
MAX_SUMMARY = 4000


@dataclass(frozen=True)
class Item:
    guid: str | None
    link: str
    title: str
    summary: str | None
    content: str | None
    author: str | None
    published: datetime | None


@dataclass(frozen=True)
class Parsed:
    items: list[Item]
    warning: str | None  # why the document was malformed, when feedparser had to recover


def parse_feed(body: bytes, url: str, content_type: str = "") -> Parsed:
    """Items of the document at `url`; raises `FetchError(kind="parse")` when it is not a feed."""
    head = body.lstrip()[:1]
    if "json" in content_type.lower() or head == b"{":
        return _json_feed(body, url)
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "application/xml",
                                                      "content-location": url})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed document"
        raise FetchError(url, f"not a feed: {why}; check the feed's URL", kind="parse")
    items = [item for item in map(_from_feedparser, parsed.entries[:MAX_ITEMS]) if item is not None]
    warning = f"malformed feed, kept what parsed: {parsed.bozo_exception}" if parsed.bozo else None
    return Parsed(items, warning)


def _from_feedparser(entry: Any) -> Item | None:
    link = (entry.get("link") or "").strip()
    if not link:
        return None
    content = entry.get("content") or []
    html = next((c.get("value") for c in content if "html" in (c.get("type") or "")), None)
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    return Item(
        guid=entry.get("id") or None, link=link, title=_text(entry.get("title")),
        summary=_summary(entry.get("summary")),
        content=html or (content[0].get("value") if content else None),
        author=entry.get("author") or None,
        published=datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None,
    )


def _json_feed(body: bytes, url: str) -> Parsed:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser does not read."""
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(url, f"not a feed: invalid JSON ({exc}); check the feed's URL",
                         kind="parse") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise FetchError(url, "not a feed: JSON without a jsonfeed.org version; check the feed's URL",
                         kind="parse")
    items: list[Item] = []
    skipped = 0
    for raw in doc.get("items") or []:
        item = _from_json(raw) if isinstance(raw, dict) else None
        if item is None:
            skipped += 1
        elif len(items) < MAX_ITEMS:
            items.append(item)
    return Parsed(items, f"{skipped} item(s) without a usable link or id skipped" if skipped else None)


def _from_json(raw: dict[str, Any]) -> Item | None:
    link = str(raw.get("url") or raw.get("external_url") or "").strip()
    if not link:
        return None
    authors = raw.get("authors") or ([raw["author"]] if isinstance(raw.get("author"), dict) else [])
    names = [str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")]
    return Item(
        guid=str(raw["id"]) if raw.get("id") is not None else None, link=link,
        title=_text(raw.get("title")),
        summary=_summary(raw.get("summary") or raw.get("content_text")),
        content=raw.get("content_html") or None,
        author=", ".join(names) or None,
        published=_iso(raw.get("date_published") or raw.get("date_modified")),
    )


def _iso(value: Any) -> datetime | None:
    """JSON Feed dates are RFC 3339; one without a zone is taken as UTC, a bad one as absent."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    return " ".join(html_to_text(value).split()) if isinstance(value, str) else ""


def _summary(value: Any) -> str | None:
    text = html_to_text(value) if isinstance(value, str) else ""
    return text[:MAX_SUMMARY] or None
