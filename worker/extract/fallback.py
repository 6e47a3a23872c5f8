"""Which text an article carries: the page's, or the feed's own when the page let us down.

An entry always becomes exactly one article. When the page cannot be
fetched, is not HTML, or yields less than `settings.extract.min_text_chars`,
the article carries the feed's content, else its summary, else the title;
`Article.source` says which and `Article.fallback_reason` says why, in the
bounded vocabulary of `FallbackReason` (also the label values of
`metrics.FALLBACKS`, so it must stay a short fixed list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import lxml.html

from worker.extract.extract import NOT_HTML, Extraction, host_of
from worker.records import Article, Entry, TextSource

FallbackReason = Literal[
    "blocked",  # the URL or a redirect leads to a refused address or scheme
    "too_large",  # the page is over settings.http.max_page_bytes
    "timeout",  # the server was slower than settings.http timeouts
    "http_error",  # the server answered 4xx or 5xx
    "unreachable",  # no connection: DNS, refused, reset, TLS
    "redirects",  # more redirects than settings.http.max_redirects
    "not_html",  # a PDF, an image, JSON, binary junk
    "no_text",  # HTML, but trafilatura found no article text in it
    "too_short",  # some text, but less than settings.extract.min_text_chars
    "extract_timeout",  # extraction ran past settings.extract.page_timeout; its process was replaced
    "extract_crashed",  # the extraction process died
    "extract_failed",  # trafilatura raised an error on the page
    "fetch_failed",  # any other fetch error
]
FALLBACK_REASONS: tuple[str, ...] = get_args(FallbackReason)
_FETCH_KINDS: dict[str, FallbackReason] = {
    "blocked": "blocked", "too_large": "too_large", "timeout": "timeout", "http_4xx": "http_error",
    "http_5xx": "http_error", "connect": "unreachable", "redirects": "redirects",
}
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "section", "article", "figcaption", "dt", "dd", "table", "ul", "ol")


@dataclass(frozen=True)
class Failure:
    """Why a page gave no extraction: a bounded reason for metrics, a detail for the log."""

    reason: FallbackReason
    detail: str


def fetch_failure(kind: str, detail: str) -> Failure:
    """A failure from `FetchError.kind` (http.py's words) mapped onto the bounded reasons."""
    return Failure(_FETCH_KINDS.get(kind, "fetch_failed"), detail)


def build_article(entry: Entry, page: Extraction | Failure, min_text_chars: int) -> Article:
    """The article an entry becomes: the same ids, the best text, metadata from the feed then the page."""
    extraction = page if isinstance(page, Extraction) else Extraction("")
    title = entry.title.strip() or extraction.title or ""
    text, source, reason = choose_text(entry, page, title, min_text_chars)
    return Article(
        id=entry.id, feed_id=entry.feed_id, url=entry.url, link=entry.link, title=title,
        text=text, source=source, fallback_reason=reason,
        blocks=list(extraction.blocks) if source == "page" else [], extraction_note=extraction.note,
        author=entry.author or extraction.author,
        published=entry.published or extraction.date,
        language=extraction.language or entry.language,
        site=extraction.site or host_of(entry.url),
        tags=list(entry.tags), first_seen=entry.first_seen,
    )


def choose_text(entry: Entry, page: Extraction | Failure, title: str,
                min_text_chars: int) -> tuple[str, TextSource, FallbackReason | None]:
    """The page's text when long enough; else the feed's content, summary or the title, and why."""
    if isinstance(page, Failure):
        reason = page.reason
    elif len(page.text) >= min_text_chars:
        return page.text, "page", None
    else:
        reason = "not_html" if page.problem == NOT_HTML else "too_short" if page.text else "no_text"
    candidates: tuple[tuple[TextSource, str], ...] = (
        ("feed_content", html_to_text(entry.content)),
        ("feed_summary", html_to_text(entry.summary)),
    )
    for source, text in candidates:
        if text:
            return text, source, reason
    return title, "title", reason


def html_to_text(html: str | None) -> str:
    """Plain text of a feed's HTML (or text) field, one line per paragraph; scripts and styles dropped."""
    if not html or not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.xpath(".//script|.//style|.//noscript"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)
