"""Which text an article carries: the page's, or the feed's own when the page let us down.

An entry always becomes exactly one article. When the page cannot be
fetched, is not HTML, yields less than `settings.extract.min_text_chars`,
only a headline-sized line (`HEADLINE_CHARS`), or a body the feed's own
content outweighs (`outweighs`, the extractor's own rule for its recall
rescue), the
article carries the feed's content, else its summary, else the title;
`Article.source` says which and `Article.fallback_reason` says why, in the
bounded vocabulary of `FallbackReason` (also the label values of
`metrics.FALLBACKS`, so it must stay a short fixed list).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from worker.errors import FetchErrorKind
from worker.extract.extract import HEADLINE_ONLY, NOT_HTML, Extraction, body_chars, host_of, outweighs
from worker.html_text import html_to_text
from worker.language import article_fields, detect_article
from worker.records import Article, Entry, TextSource
from worker.text import BODY, LANGUAGE, NAME, TITLE, clean, text_size

FallbackReason = Literal[
    "blocked",  # the URL or a redirect leads to a refused address or scheme
    "too_large",  # the page is over settings.http.max_page_bytes
    "timeout",  # the server was slower than settings.http timeouts
    "http_error",  # the server answered 4xx or 5xx
    "unreachable",  # no connection: DNS, refused, reset, TLS
    "redirects",  # more redirects than settings.http.max_redirects
    "not_html",  # a PDF, an image, JSON, binary junk
    "no_text",  # HTML, but trafilatura found no article text in it
    "headline_only",  # the page's body is one headline-sized line: a teaser, a gallery, a paywall
    "shorter_than_feed",  # the feed's own content holds over RESCUE_RATIO times the page's body text
    "too_short",  # some text, but less than settings.extract.min_text_chars
    "extract_timeout",  # extraction ran past settings.extract.page_timeout; its process was replaced
    "extract_crashed",  # the extraction process died
    "extract_failed",  # trafilatura raised an error on the page
    "fetch_failed",  # any other fetch error
    "no_link",  # the feed gave the item no link: there is no page, only the feed's text
]
FALLBACK_REASONS: tuple[str, ...] = get_args(FallbackReason)
HEADLINE_CHARS = 150  # a page whose whole body is one line this short is a headline, not an article
_SENTENCE_ENDS = (".", "!", "?", "\u2026", '"', "\u201d", "'", "\u2019",
                  "。", "！", "？", "」", "』", "؟", "।", "॥", "။")  # and the full stops of other scripts
_FETCH_KINDS: dict[FetchErrorKind, FallbackReason] = {
    "blocked": "blocked", "too_large": "too_large", "timeout": "timeout", "http_4xx": "http_error",
    "http_5xx": "http_error", "connect": "unreachable", "redirects": "redirects",
}


@dataclass(frozen=True)
class Failure:
    """Why a page gave no extraction: a bounded reason for metrics, a detail for the log."""

    reason: FallbackReason
    detail: str


def fetch_failure(kind: FetchErrorKind, detail: str) -> Failure:
    """A failure from `FetchError.kind` (http.py's words) mapped onto the bounded reasons."""
    return Failure(_FETCH_KINDS.get(kind, "fetch_failed"), detail)


def build_article(entry: Entry, page: Extraction | Failure, min_text_chars: int) -> Article:
    """The article an entry becomes: the same ids, the best text, metadata from the feed then the page.

    What the page gave is cleaned here, where it enters a record (`worker.text.clean`).
    """
    extraction = page if isinstance(page, Extraction) else Extraction("")
    title = entry.title.strip() or clean(extraction.title or "", TITLE).strip()
    text, source, reason = choose_text(entry, page, title, min_text_chars)
    note = extraction.note
    if reason == "shorter_than_feed":
        note = f"the feed's content was taken: the page's body had {body_chars(extraction):,} characters"
    body = clean(text, BODY)
    # The page's text was detected in the extraction's process; the feed's is detected here.
    detected = extraction.detected if source == "page" else detect_article(title, body)
    return Article(
        id=entry.id, feed_id=entry.feed_id, url=entry.url, link=entry.link, title=title,
        text=body, source=source, fallback_reason=reason,
        blocks=list(extraction.blocks) if source == "page" else [], extraction_note=note,
        author=entry.author or _cleaned(extraction.author, NAME),
        published=entry.published or extraction.date,
        language=_cleaned(extraction.language, LANGUAGE) or entry.language,
        **article_fields(detected),
        site=_cleaned(extraction.site or host_of(entry.url), NAME),
        tags=list(entry.tags), first_seen=entry.first_seen,
        content_hash=entry.content_hash, revision_of=entry.revision_of,
    )


@dataclass(frozen=True)
class Built:
    """An entry's article as the extraction's process made it: what the stage sends and logs, so only
    bytes cross back from the process (not the extraction, nor the article to serialise again)."""

    value: bytes | None  # the article record's JSON; None when it could not be built
    source: TextSource | None
    reason: str | None  # a FallbackReason, as the article says it
    detail: str  # what the log says when the page's text was not used, or why no article was built


def build_record(entry: Entry, min_text_chars: int, page: Extraction | Failure) -> Built:
    """`build_article` and its record's JSON: in the extraction's process when the page was extracted
    (`ExtractPool.extract`'s `finish`), else in the stage's; an entry that cannot become an article
    says why instead of raising."""
    try:
        article = build_article(entry, page, min_text_chars)
    except Exception as exc:  # noqa: BLE001 - one entry's problem: the stage rejects it, alone
        return Built(None, None, None, f"cannot build the article: {type(exc).__name__}: {exc}")
    detail = page.detail if isinstance(page, Failure) else page.problem or f"{len(page.text)} characters"
    return Built(article.to_json(), article.source, article.fallback_reason, detail)


def _cleaned(value: str | None, limit: int) -> str | None:
    return clean(value, limit) or None if value else None


def choose_text(entry: Entry, page: Extraction | Failure, title: str,
                min_text_chars: int) -> tuple[str, TextSource, FallbackReason | None]:
    """The page's text when long enough; else the feed's content, summary or the title, and why."""
    content = html_to_text(entry.content)
    if isinstance(page, Failure):
        reason: FallbackReason | None = page.reason
    else:
        reason = _shortfall(page, content, min_text_chars)
        if reason is None:
            return page.text, "page", None
    candidates: tuple[tuple[TextSource, str], ...] = (
        ("feed_content", content),
        ("feed_summary", html_to_text(entry.summary)),
    )
    for source, text in candidates:
        if text:
            return text, source, reason
    return title, "title", reason


def _shortfall(page: Extraction, content: str, min_text_chars: int) -> FallbackReason | None:
    """Why the page's text will not do, or None when it will."""
    if page.problem == NOT_HTML:
        return "not_html"
    if page.problem == HEADLINE_ONLY or _headline_like(page.text):
        return "headline_only"
    if not page.text:
        return "no_text"
    if len(page.text) < min_text_chars and text_size(page.text) < min_text_chars:
        return "too_short"
    if outweighs(len(content), body_chars(page)):
        return "shorter_than_feed"
    return None


def _headline_like(text: str) -> bool:
    """One short line that does not end a sentence: a headline or a link's text, not a story."""
    one_line = bool(text) and "\n" not in text and len(text) < HEADLINE_CHARS
    return one_line and not text.endswith(_SENTENCE_ENDS)
