"""An article's body and metadata from its HTML page, with trafilatura tuned for news.

This is the one extraction the pipeline runs; `newswatch match FILE.html`
calls it too, so an offline explanation sees exactly the text an alert saw.
It is pure (no I/O, no clock beyond htmldate's "no date after today") and
runs in the extract stage's worker processes.

The tuning, measured on the pages in `tests/extract/pages/` and the
benchmark's generated pages:

- `favor_precision`: on a news page the risk is not a lost paragraph (the
  feed's own text backs a short extraction up) but boilerplate counted as the
  story: a "related stories" list naming a watched entity would raise an
  alert on the wrong article. On our pages precision kept every body
  paragraph that balanced mode kept, extracted nothing at all from a page
  of navigation and scripts (balanced returned the menu) and ran 2-10 times
  faster, because it skips the recall retries.
- comments off: readers' comments are not the story.
- tables on: a table inside an article body holds facts (figures, results,
  names) that watchers match on; precision mode already drops layout tables.
- deduplicate with a cache per call: a paragraph repeated on the page (a
  pull quote, a teaser) counts once. trafilatura's default cache is shared
  by every call in the process, so the same page would extract differently
  depending on what came before it; one cache per page keeps extraction a
  function of the page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.deduplication import LRUCache
from trafilatura.metadata import extract_metadata
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

NEWS_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,
}
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # htmldate keeps the time and zone when the page gives them
NOT_HTML = "the content does not parse as an HTML document"
PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:$|[-_])", re.IGNORECASE)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252 (its superset) by every browser
_LABEL_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


@dataclass(frozen=True)
class Extraction:
    """What a page yields. `text` is "" when nothing was extracted, and `problem` then says why."""

    text: str
    title: str | None = None
    author: str | None = None
    date: datetime | None = None
    language: str | None = None
    site: str | None = None
    problem: str | None = None


def extract_html(html: bytes | str, url: str | None = None, *, charset: str | None = None) -> Extraction:
    """Extract the article of one page; `charset` is the HTTP header's, when there was one."""
    tree = load_html(decode_html(html, charset) if isinstance(html, bytes) else html)
    if tree is None:
        return Extraction("", problem=NOT_HTML)
    date_params = {**set_date_params(True), "outputformat": DATE_FORMAT}
    document = bare_extraction(tree, url=url, deduplicate=LRUCache(maxsize=4096),
                               date_extraction_params=date_params, **NEWS_OPTIONS)
    if not isinstance(document, Document):
        # With no language, metadata or blacklist filter set, trafilatura discards a page only
        # when it finds no main text; the metadata is still worth having for the fallback.
        metadata = extract_metadata(tree, url, date_params)
        return _extraction("", metadata, tree, url,
                           problem="no article text found: the page holds only navigation, "
                                   "scripts or boilerplate (a script-rendered page or a paywall)")
    return _extraction(document.text or "", document, tree, url)


def decode_html(raw: bytes, charset: str | None = None) -> str | bytes:
    """The page as text when its encoding is declared (BOM, HTTP header, then <meta>), as browsers do.

    Undeclared pages are returned as bytes for trafilatura, which tries UTF-8 and then guesses;
    its guess alone misreads short windows-1252 pages that say what they are.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    meta = _META_CHARSET.search(raw[:PRESCAN_BYTES])
    for label in (charset, meta.group(1).decode("ascii") if meta else None):
        encoding = _encoding(label)
        if encoding:
            return raw.decode(encoding, "replace")
    return raw


def _encoding(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name.startswith("utf-16"):
        return None  # a UTF-16 label on bytes without a BOM is a lie more often than not
    return _LABEL_ALIASES.get(name, name)


def _extraction(text: str, doc: Document, tree: HtmlElement, url: str | None,
                problem: str | None = None) -> Extraction:
    title = _clean(doc.title)
    text = _without_headline(text.strip(), title)
    return Extraction(
        text=text,
        title=title,
        author=_clean(doc.author),
        date=parse_date(doc.date),
        language=_language(doc.language, tree),
        site=_clean(doc.sitename) or _clean(doc.hostname) or _host(url),
        problem=None if text else problem or "no article text beyond the headline",
    )


def _without_headline(text: str, title: str | None) -> str:
    """Drop a first line that repeats the headline: the matcher weighs the title once, as the title."""
    first, _, rest = text.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return text


def parse_date(value: str | None) -> datetime | None:
    """htmldate's output as an aware datetime; a date given without a zone is taken as UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _language(detected: str | None, tree: HtmlElement) -> str | None:
    """ISO 639 code: trafilatura's when it detected one, else what the page declares."""
    root = tree.getroottree().getroot()
    declared = [detected, root.get("lang"), root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    declared += root.xpath('//meta[@http-equiv="content-language" or @http-equiv="Content-Language" '
                           'or @property="og:locale"]/@content')
    for value in declared:
        match = _LANGUAGE.match(str(value or "").strip())
        if match:
            return match.group(1).lower()
    return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None
