"""Feed items to clean `Item`s, one at a time: an item that cannot become one is skipped with its reason.

An item is the unit of failure. The readers (feedparser's entries, JSON Feed
objects) only say which raw value sits in which field; everything that can go
wrong with a value (a wrong type, invalid text, an unsafe link, a date past
year 9999) is settled here, per item, and a problem nobody foresaw is caught
here too, counted as `broken` with the exception's type, so the feed's other
items go on. Every string is cleaned (`worker.text.clean`) and every link made
safe (`worker.links.safe_link`) before an `Item` holds it.

An item with an id and some text but no link still matters (a wire feed of
bulletins, a status feed): it becomes an item without a page, whose link is
the feed's site; the extractor then uses the feed's own text and says so.
"""

from __future__ import annotations

import calendar
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TypeVar

from worker.html_text import html_to_text
from worker.links import LinkError, safe_link
from worker.metrics import SkipReason
from worker.text import CONTENT, GUID, LANGUAGE, NAME, SUMMARY, TITLE, clean

MAX_ITEMS = 500  # more in one document is abuse or a broken generator, not news
DETAIL_CHARS = 200
T = TypeVar("T")


@dataclass(frozen=True)
class Item:
    guid: str | None
    link: str  # a safe link: the item's page, or the feed's site when `has_page` is false
    title: str
    summary: str | None
    content: str | None
    author: str | None
    published: datetime | None
    has_page: bool = True
    language: str | None = None  # as the item or its document declares it ("de-DE")


@dataclass(frozen=True)
class Raw:
    """An item's fields as a reader found them, of any type: nothing is trusted yet."""

    link: object = None
    guid: object = None
    title: object = None
    summary: object = None
    content: object = None
    author: object = None
    published: datetime | None = None
    language: object = None


class Skip(Exception):  # noqa: N818 - not an error: an item left out, with why
    def __init__(self, reason: SkipReason, detail: str) -> None:
        super().__init__(detail)
        self.reason: SkipReason = reason
        self.detail = detail


@dataclass
class Items:
    """The items of one document, and how many were skipped for which reason (with one example each)."""

    items: list[Item] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)


def collect(entries: Iterable[T], read: Callable[[T], Raw], base: str, site: str | None,
            language: object = None) -> Items:
    """Every entry that can become an item, in order; the others counted by reason. `language` is
    the document's declared language, an item's own when it declares none."""
    out = Items()
    for n, entry in enumerate(entries):
        if n >= MAX_ITEMS:
            _skip(out, "over_limit", f"only the first {MAX_ITEMS} items of a document are read")
            continue
        try:
            out.items.append(make_item(read(entry), base, site, language))
        except Skip as skip:
            _skip(out, skip.reason, skip.detail)
        except Exception as exc:  # noqa: BLE001 - whatever an item holds, it costs only itself
            _skip(out, "broken", f"{type(exc).__name__}: {exc}")
    return out


def make_item(raw: Raw, base: str, site: str | None, language: object = None) -> Item:
    """The clean item of `raw`; raises `Skip` when it has no usable link or cannot stand without one."""
    guid = clean(_string(raw.guid).strip(), GUID) or None
    title = clean(" ".join(_html_text(raw.title).split()), TITLE)
    summary = clean(_html_text(raw.summary), SUMMARY) or None
    content = clean(_string(raw.content), CONTENT) or None
    author = clean(" ".join(_string(raw.author).split()), NAME) or None
    declared = clean("".join(_string(raw.language or language).split()), LANGUAGE) or None
    item = Item(guid=guid, link="", title=title, summary=summary, content=content, author=author,
                published=_utc(raw.published), language=declared)
    link = _string(raw.link).strip()
    if link:
        try:
            return replace(item, link=safe_link(link, base))
        except LinkError as exc:
            raise Skip(exc.problem, f"{exc.detail}: {link[:DETAIL_CHARS]!r}") from None
    if not guid:
        raise Skip("no_link_or_id", "an item with neither a link nor an id")
    if not (title or summary or content):
        raise Skip("no_text", f"item {guid[:DETAIL_CHARS]!r} has no link and no text")
    if site is None:
        raise Skip("invalid_link", f"item {guid[:DETAIL_CHARS]!r} has no link, and the feed no site to "
                                   "link its alert to")
    return replace(item, link=site, has_page=False)


def site_of(candidates: Iterable[object], feed_url: str) -> str | None:
    """Where an item without a link points: the feed's own site link, else its URL's origin."""
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip():
            try:
                return safe_link(candidate.strip(), feed_url)
            except LinkError:
                continue
    try:
        return safe_link("/", safe_link(feed_url))
    except LinkError:
        return None


def struct_time_utc(value: object) -> datetime | None:
    """feedparser's parsed date (a UTC struct_time) as an aware datetime; an impossible one as absent."""
    if not isinstance(value, time.struct_time | tuple):
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _utc(value: datetime | None) -> datetime | None:
    """The date in UTC; one that has no UTC equivalent (year 1 at +05:00) as absent."""
    try:
        return value.astimezone(UTC) if value is not None else None
    except (OverflowError, ValueError):
        return None


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _html_text(value: object) -> str:
    """Plain text of a title or summary that may hold HTML."""
    return html_to_text(_string(value))


def _skip(out: Items, reason: SkipReason, detail: str) -> None:
    out.skipped[reason] += 1
    out.examples.setdefault(reason, clean(detail, DETAIL_CHARS))
