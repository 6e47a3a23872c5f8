"""Fetching a page to extract: whether the response is an HTML page worth it, and its declared charset.

Servers mislabel: a PDF or an image behind a link is common in feeds, and
so is a page served as `application/octet-stream`. The header is trusted
when it says HTML or something definitely else; a missing or generic label
is settled by sniffing the first bytes, as browsers do. Binary content is
refused before it reaches trafilatura, which would turn it into junk text.

`fetch_page` is the one way a page is fetched for extraction: by the extract
stage and by `newswatch match URL`, so the offline explanation sees the page
the pipeline would.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

from worker.charsets import charset_of
from worker.clients.http import HttpClient
from worker.errors import NewswatchError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "text/plain",
                           "application/unknown", "unknown/unknown"})
SNIFF_BYTES = 1024
_MAGIC = {b"%PDF": "a PDF document", b"\x89PNG": "a PNG image", b"GIF8": "a GIF image",
          b"\xff\xd8\xff": "a JPEG image", b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data",
          b"RIFF": "a RIFF media file", b"\x00\x00\x00": "a media file"}
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p)[\s>/]",
                         re.IGNORECASE)


def media_type(headers: Mapping[str, str]) -> tuple[str, str | None]:
    """The lower-case media type and the charset parameter of a Content-Type header."""
    value = headers.get("content-type", "")
    return value.partition(";")[0].strip().lower(), charset_of(value)


def not_html(mime: str, body: bytes) -> str | None:
    """Why `body` is not an HTML page, or None when it is one."""
    head = body[:SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None if mime in HTML_TYPES or mime in GENERIC_TYPES else f"served as {mime}, not HTML"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            return f"the body is {what} (served as {mime or 'no content type'})"
    if b"\x00" in head:
        return f"the body is binary (served as {mime or 'no content type'})"
    if mime in HTML_TYPES:
        return None
    if mime in GENERIC_TYPES and _HTML_START.search(head):
        return None
    return f"served as {mime or 'no content type'}, which is not HTML"


class NotHtml(NewswatchError):
    """The response is no HTML page; the message names its final URL and what it is instead."""


@dataclass(frozen=True)
class Page:
    """An HTML page as fetched: its bytes, final URL (after redirects) and the charset its header declares."""

    content: bytes
    url: str
    charset: str | None


def fetch_page(http: HttpClient, url: str, max_bytes: int) -> Page:
    """The HTML page at `url`; raises `FetchError` when it cannot be fetched, `NotHtml` when it is no page."""
    response = http.fetch(url, max_bytes=max_bytes)
    mime, charset = media_type(response.headers)
    why = not_html(mime, response.content)
    if why:
        raise NotHtml(f"{response.url}: {why}")
    return Page(response.content, response.url, charset)
