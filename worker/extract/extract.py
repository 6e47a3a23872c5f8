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
  alert on the wrong article. On our fixture pages precision kept every body
  paragraph that balanced mode kept, and on a page of navigation and scripts
  it found nothing in 7 ms where balanced mode returned the menu after
  220 ms of recall retries. It costs about 20% more time than balanced mode on
  long ordinary pages (18 against 15 ms on the benchmark's pages).
- comments off: readers' comments are not the story.
- tables on: a table inside an article body holds facts (figures, results,
  names) that watchers match on; it comes out as rows of `| cell | cell |`.
- links kept in trafilatura's XML (never in the text): the share of a
  block's text that is link text tells a "related stories" list from a
  paragraph (see `blocks` and `boilerplate`).
- a recall rescue for short extractions: precision sometimes keeps only a
  fragment of a real story (a headline, one passage). When the precise text
  is under `RESCUE_CHARS`, the page is extracted again with `favor_recall`
  and its text is taken when it is at least `RESCUE_RATIO` times longer in
  body blocks; `Extraction.note` says so. Measured on the news-pages corpus
  (bench/quality.py), this recovers the two pages whose precise text was a
  link's text or a tenth of the story, and trying recall mode on every page
  would take it nowhere else. The cost: a quarter of those pages are short
  enough to be extracted twice (the extract benchmark's pages never are).
- captions back: trafilatura drops figures, asides and caption elements in
  every mode, and a picture's caption names what the story is about;
  `captions` reads them from the parsed page and puts the ones inside the
  story back.
- passages back: precise mode can pick a container that leaves the lead
  paragraph in its sibling out, at no cost in length; when the page has a
  long paragraph missing from the body just before one of its blocks
  (`passages.lost`, 7 of the 100 news pages), recall mode runs and its
  paragraphs with those keys are put in (3 pages gain one). The page is
  parsed once and handed to trafilatura, which copies it: that copy, the
  captions and the test cost about 8% of trafilatura's time on the extract
  benchmark's pages.
- metadata read by `page_metadata`, not by trafilatura (`with_metadata` off):
  the headline, author, date and site from trafilatura's own readers, without
  its scans for categories, tags and a licence, which no article carries and
  which cost a sixth of a page's extraction (bench/extract.py prints the
  figure); the fields are trafilatura's own on every page we test on.
- trafilatura's comparison with readability and jusText only where it can
  change the text: skipped for a long precise text of clean paragraphs
  (`comparison`), two fifths of an extraction on the benchmark's pages,
  with the same text on every page of both corpora.
- trafilatura's de-duplication off: it counts every text it tests in one
  cache across its passes and the nested containers it walks, and drops an
  element, or at the end the whole document, once its text was seen more than
  twice. A page whose story sits in nested wrappers that each hold the whole
  text (as CMS templates do; tests/extract/pages/nested-wrappers.html) is
  then discarded whole though every pass found it, and the article fell back
  to its title. Off, no text changes on the 100 news pages nor on the
  fixture pages.

No pass loses a body silently: the one that is not taken had less body
(`better`), and the article's note says when text came from recall mode; a
body the block classifier finds all boilerplate says so (`ALL_BOILERPLATE`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

from worker.charsets import decode_declared
from worker.dates import parse_iso
from worker.extract.blocks import layout
from worker.extract.captions import by_class
from worker.extract.comparison import gated
from worker.extract.metadata import page_metadata
from worker.extract.passages import lost, restore
from worker.language import Detected, detect_article
from worker.records import Block

NEWS_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": True,
    "with_metadata": False,  # read once from the page by `page_metadata`, without what no article carries
    "deduplicate": False,  # its per-page cache discards a story held by nested wrappers (see above)
}
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"  # htmldate keeps the time and zone when the page gives them
NOT_HTML = "the content does not parse as an HTML document"
HEADLINE_ONLY = "no article text beyond the headline"
ALL_BOILERPLATE = ("every block of the page's text reads as boilerplate (follow and share lines, related "
                   "lists, credits...): none of its mentions count")
PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.IGNORECASE)
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:$|[-_])", re.IGNORECASE)
HEAD_CHARS = 256 * 1024
_SITE_SUFFIX = re.compile(r"^(.{12,}?)\s+[-|\u2013\u2014:]{1,2}\s+([^-|\u2013\u2014]{2,40})$")
RESCUE_CHARS = 1500
RESCUE_RATIO = 2.0
RESCUE_GAIN = 250  # and at least this many more characters of body: a menu is no rescue of nothing
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\s(?:xml:)?lang\s*=\s*["']?\s*([^"'\s>]+)""", re.IGNORECASE)
_META_TAG = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_DECLARES_LANGUAGE = re.compile(r"""http-equiv\s*=\s*["']?content-language|property\s*=\s*["']?og:locale""",
                                re.IGNORECASE)
_CONTENT_ATTR = re.compile(r"""\scontent\s*=\s*["']?\s*([^"'\s>]+)""", re.IGNORECASE)


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
    blocks: tuple[Block, ...] = ()  # the structure of `text`, each block classified body or boilerplate
    note: str | None = None  # why the text is not the precise extraction's
    detected: Detected | None = None  # the language of the title and text (`worker.language`)


def extract_html(html: bytes | str, url: str | None = None, *, charset: str | None = None) -> Extraction:
    """Extract the article of one page, in the language detected from it; `charset` is the HTTP header's,
    when there was one.

    The language is detected here, in the extract stage's worker processes, where it costs a
    fraction of the extraction (see `bench/extract.py`), not in the stage's one main process.
    """
    found = _extract(html, url, charset)
    return replace(found, detected=detect_article(found.title, found.text)) if found.text else found


def _extract(html: bytes | str, url: str | None, charset: str | None) -> Extraction:
    with gated():
        return _passes(html, url, charset)


def _passes(html: bytes | str, url: str | None, charset: str | None) -> Extraction:
    markup = decode_html(html, charset) if isinstance(html, bytes) else html
    date_params = {**set_date_params(True), "outputformat": DATE_FORMAT}
    # Parsed once: captions and lost passages are read from the page, and trafilatura copies a tree
    # it is handed (a third of the cost of parsing it again) for each of its passes.
    tree = load_html(markup)
    if tree is None:
        return Extraction("", problem=NOT_HTML)
    parsed = _parsed(markup, tree, url, date_params)
    document = bare_extraction(tree, url=parsed.base_url, date_extraction_params=date_params, **NEWS_OPTIONS)
    if isinstance(document, Document):
        precise, recall = _precise(document, parsed)
        return _rescued(precise, parsed, recall)
    # With no language, metadata or blacklist filter set, trafilatura discards a page only when
    # it does not parse or holds no main text; the metadata is still worth having for the fallback.
    found = _extraction(None, parsed, problem="no article text found: the page holds only navigation, "
                                              "scripts or boilerplate (a script-rendered page or a paywall)")
    return _rescued(found, parsed)


@dataclass(frozen=True)
class Parsed:
    """One page as parsed, with what every extraction pass over it shares."""

    tree: HtmlElement
    base_url: str | None  # what links resolve against: the URL fetched, else the page's own (canonical)
    date_params: dict[str, Any]
    fields: Extraction  # the page's metadata as the article carries it; no text yet
    caption_classes: bool  # see `captions.by_class`


def _parsed(markup: str | bytes, tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> Parsed:
    """The page's metadata read once: the precise and the recall pass differ only in their body."""
    meta = page_metadata(tree, url, date_params)
    site = _clean(meta.sitename) or _clean(meta.hostname) or host_of(url)
    fields = Extraction("", title=headline_of(_clean(meta.title), site, host_of(url)),
                        author=_clean(meta.author), date=parse_iso(meta.date),
                        language=_language(meta.language, markup), site=site)
    return Parsed(tree, url or meta.url, date_params, fields, by_class(markup))


def _precise(document: Document, parsed: Parsed) -> tuple[Extraction, Document | None]:
    """The precise extraction with the passages it lost before blocks of the story put back from recall mode.

    Recall mode runs only when the page has such passages (`passages.lost`); its
    document is returned for the rescue rule, so that no page is extracted three times.
    """
    missing = lost(document.body, parsed.tree) if document.body is not None else set()
    recall = _recall(parsed) if missing else None
    restored = restore(document.body, recall.body, missing) if recall is not None else 0
    precise = _extraction(document.body, parsed)
    if not restored:
        return precise, recall
    note = f"{restored} passage(s) the precise extraction lost before blocks of the story, from recall mode"
    return replace(precise, note=note), recall


def _recall(parsed: Parsed) -> Document | None:
    document = bare_extraction(parsed.tree, url=parsed.base_url, date_extraction_params=parsed.date_params,
                               **{**NEWS_OPTIONS, "favor_precision": False, "favor_recall": True})
    return document if isinstance(document, Document) and document.body is not None else None


def _rescued(precise: Extraction, parsed: Parsed, recall: Document | None = None) -> Extraction:
    """The precise extraction, or the recall-mode one when the precise text is a fragment of it."""
    if body_chars(precise) >= RESCUE_CHARS:
        return precise
    document = recall or _recall(parsed)
    if document is None:
        return precise
    return better(precise, _extraction(document.body, parsed))


def better(precise: Extraction, recall: Extraction) -> Extraction:
    """The rescue rule: recall's text when it holds `RESCUE_RATIO` times the body and `RESCUE_GAIN` more."""
    kept, gained = body_chars(precise), body_chars(recall)
    if not outweighs(gained, kept):
        return precise
    note = (f"recall-mode text taken: the precise extraction kept {kept:,} characters of body, "
            f"recall mode {gained:,}")
    return replace(recall, note=note)


def outweighs(other: int, kept: int) -> bool:
    """Whether another text of `other` characters beats a body of `kept`: the one rule for every rescue."""
    return other >= RESCUE_RATIO * kept and other >= kept + RESCUE_GAIN


def body_chars(extraction: Extraction) -> int:
    """Characters of the text in body blocks: boilerplate does not make an extraction better."""
    if not extraction.blocks:
        return len(extraction.text)
    return sum(block.end - block.start for block in extraction.blocks if block.role == "body")


def decode_html(raw: bytes, charset: str | None = None) -> str | bytes:
    """The page as text when its encoding is declared (BOM, HTTP header, then <meta>), decoded as browsers
    decode that label (`worker.charsets`: GB2312 as GB18030, Shift_JIS as cp932...; valid UTF-8 as UTF-8).

    Undeclared pages are returned as bytes for trafilatura, which tries UTF-8 and then guesses;
    its guess alone misreads short windows-1252 pages that say what they are.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    meta = _META_CHARSET.search(raw[:PRESCAN_BYTES])
    decoded = decode_declared(raw, charset, meta.group(1).decode("ascii") if meta else None)
    return raw if decoded is None else decoded


def _extraction(body: etree._Element | None, parsed: Parsed, problem: str | None = None) -> Extraction:
    """One pass's body laid out into the article's text and blocks, with the page's fields."""
    text, blocks = layout(body, parsed.fields.title, parsed.tree, parsed.caption_classes)
    note = ALL_BOILERPLATE if text and not any(block.role == "body" for block in blocks) else None
    return replace(parsed.fields, text=text, blocks=blocks, note=note,
                   problem=None if text else problem or HEADLINE_ONLY)


def headline_of(title: str | None, site: str | None, host: str | None) -> str | None:
    """The page title without the outlet's name after it ("... - US News", "... | WIRED").

    The outlet is not what the story is about: "US News" in every headline of
    usnews.com would be a mention of the United States on each of its pages.
    """
    match = _SITE_SUFFIX.match(title or "")
    if not match:
        return title
    suffix = _letters(match.group(2))
    if suffix and any(_letters(name).startswith(suffix) for name in (site, host) if name):
        return match.group(1)
    return title


def _letters(text: str | None) -> str:
    return "".join(char for char in (text or "").casefold() if char.isalnum())


def _language(detected: str | None, markup: str | bytes) -> str | None:
    """ISO 639 code: trafilatura's when it detected one, else what the page declares in its head."""
    head = markup[:HEAD_CHARS]
    text = head.decode("latin-1") if isinstance(head, bytes) else head  # the markup itself is ASCII
    text = text[:text.find("</head>")] if "</head>" in text else text
    declared = [detected]
    if html_tag := _HTML_TAG.search(text):
        declared += _LANG_ATTR.findall(html_tag.group(0))
    declared += [content for meta in _META_TAG.findall(text) if _DECLARES_LANGUAGE.search(meta)
                 for content in _CONTENT_ATTR.findall(meta)]
    for value in declared:
        match = _LANGUAGE.match((value or "").strip())
        if match:
            return match.group(1).lower()
    return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def host_of(url: str | None) -> str | None:
    """The URL's host, or None for a URL too broken to have one (`http://[::1/` raises in urlsplit)."""
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:
        return None
