"""Feed documents to items: RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed in `jsonfeed`.

A feed is hostile input, and an item is the unit of failure: whatever one
item holds costs only that item (see `worker.fetch.items`), and the
document's other items go on. Only a document that is no feed at all (an
HTML error page, an empty body) is an error naming the feed, so it backs off
instead of silently yielding nothing. A malformed ("bozo") feed yields what
feedparser could read and a warning that says what was wrong.

A feed in a legacy encoding is decoded as a browser would decode its label
(`worker.charsets`: GB2312 as GB18030, Shift_JIS as cp932...) and handed to
feedparser as UTF-8; feedparser's own decoding would use the strict codec
of the label and lose the characters outside it, or misread the document.

Numeric character references that name no character XML allows (`&#1;`,
`&#xD800;`, `&#x110000;`) are defused in the document before feedparser sees
it: its lenient parser raises on some of them (`chr()` past U+10FFFF, a
surrogate it cannot encode) and the strict one rejects the whole document for
any of them. Controls become nothing, the others U+FFFD, as `worker.text.clean`
would make of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import feedparser

from worker.charsets import browser_codec, charset_of, decode_declared
from worker.errors import FetchError
from worker.fetch.items import Item, Items, Raw, collect, site_of, struct_time_utc
from worker.fetch.jsonfeed import read_json_feed

_REFERENCE = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]+)|0*([0-9]+));?")  # the lenient parser needs no ";"
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Parsed:
    items: list[Item]
    warning: str | None  # why the document was malformed, when feedparser had to recover
    skipped: dict[str, int] = field(default_factory=dict)  # items left out, by reason
    examples: dict[str, str] = field(default_factory=dict)  # one detail per reason, for the log


def parse_feed(body: bytes, url: str, content_type: str = "") -> Parsed:
    """Items of the document at `url`; raises `FetchError(kind="parse")` when it is not a feed."""
    head = body.lstrip()[:1]
    if "json" in content_type.lower() or head == b"{":
        return _parsed(*read_json_feed(body, url))
    body, content_type = _as_browsers_read(body, content_type or "application/xml")
    headers = {"content-type": content_type}
    if b"xml:base" in body:
        # Only then is the feed's URL feedparser's base: with one it joins every element's URIs (a third
        # of its time), and without xml:base an item's link is resolved against the URL by `make_item`.
        headers["content-location"] = url
    try:
        parsed = feedparser.parse(_defuse_references(body), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - feedparser's own bug on this document: it cannot be read
        raise FetchError(url, f"not a feed: feedparser failed ({type(exc).__name__}: {exc}); check the "
                              "feed's URL", kind="parse") from None
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        why = parsed.get("bozo_exception") or "no RSS, Atom or JSON Feed document"
        raise FetchError(url, f"not a feed: {why}; check the feed's URL", kind="parse")
    site = site_of([parsed.feed.get("link")], url)
    warning = f"malformed feed, kept what parsed: {parsed.bozo_exception}" if parsed.bozo else None
    return _parsed(collect(parsed.entries, _from_feedparser, url, site, parsed.feed.get("language")), warning)


def _from_feedparser(entry: Any) -> Raw:
    content = entry.get("content")
    content = [c for c in content if isinstance(c, dict)] if isinstance(content, list) else []
    html = next((c.get("value") for c in content if "html" in str(c.get("type") or "")), None)
    details = [entry.get("title_detail"), entry.get("summary_detail"), *content]  # Atom's xml:lang
    languages = (d.get("language") for d in details if isinstance(d, dict) and d.get("language"))
    return Raw(
        language=next(languages, None),
        link=entry.get("link"), guid=entry.get("id"), title=entry.get("title"),
        summary=entry.get("summary"), content=html or (content[0].get("value") if content else None),
        author=entry.get("author"),
        published=struct_time_utc(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _parsed(items: Items, warning: str | None) -> Parsed:
    return Parsed(items.items, warning, dict(items.skipped), dict(items.examples))


def _as_browsers_read(body: bytes, content_type: str) -> tuple[bytes, str]:
    """A feed labelled with a legacy encoding (by the header, else the XML declaration) as UTF-8,
    decoded as `worker.charsets` decodes it; any other feed as it came."""
    declared = _XML_ENCODING.match(body[:1024])
    label = charset_of(content_type) or (declared.group(1).decode("ascii") if declared else None)
    if body.startswith(_BOMS) or browser_codec(label) in (None, "utf-8"):
        return body, content_type
    text = (decode_declared(body, label) or "").encode("utf-8")
    if declared:
        text = text[:declared.start(1)] + b"utf-8" + text[declared.end(1):]  # the declaration is ASCII
    return text, f"{content_type.partition(';')[0]}; charset=utf-8"


def _defuse_references(body: bytes) -> bytes:
    return _REFERENCE.sub(_defused, body)


def _defused(match: re.Match[bytes]) -> bytes:
    hexa, decimal = match.groups()
    digits = hexa or decimal or "0"
    point = -1 if len(digits) > 8 else int(digits, 16 if hexa else 10)
    if point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD \
            or 0x10000 <= point <= 0x10FFFF:
        return match.group(0)  # a character XML allows: left as the author wrote it
    return b"" if 0 <= point < 0x20 else b"&#xFFFD;"
