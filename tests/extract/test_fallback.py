"""The rules that choose an article's text, and what the article keeps from its entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

import pytest

from tests.language_texts import FRENCH_LABELLED_ENGLISH
from worker.errors import FetchErrorKind
from worker.extract.extract import HEADLINE_ONLY, NOT_HTML, Extraction
from worker.extract.fallback import FALLBACK_REASONS, Failure, build_article, build_record, fetch_failure
from worker.html_text import html_to_text
from worker.language import Detected
from worker.records import Article, Block, Entry
from worker.text import text_size

BODY = "The harbour bridge will be repaired this autumn." * 10
SEEN = datetime(2024, 3, 5, 18, 0, tzinfo=UTC)


def entry(**fields: object) -> Entry:
    base: dict[str, object] = {
        "id": "a1", "feed_id": "northport", "feed_url": "https://northport.example/rss",
        "url": "https://northport.example/bridge", "link": "https://northport.example/bridge?utm_source=rss",
        "title": "Bridge repairs approved", "tags": ["local"], "first_seen": SEEN}
    return Entry.model_validate({**base, **fields})


def test_page_text_when_long_enough() -> None:
    page = Extraction(BODY, title="Page title", author="D. Whitcombe", language="en", site="Evening Post")
    article = build_article(entry(), page, min_text_chars=250)
    assert (article.text, article.source, article.fallback_reason) == (BODY, "page", None)
    assert (article.id, article.feed_id, article.url, article.tags, article.first_seen) == (
        "a1", "northport", "https://northport.example/bridge", ["local"], SEEN)
    assert article.link.endswith("utm_source=rss")
    assert (article.title, article.author, article.site, article.language) == (
        "Bridge repairs approved", "D. Whitcombe", "Evening Post", "en")


def test_short_page_falls_back_to_feed_content_as_text() -> None:
    content = "<p>First <b>paragraph</b>.</p><script>track()</script><p>Second<br>line</p>"
    article = build_article(entry(content=content, summary="summary"), Extraction("Too short."), 250)
    assert (article.text, article.source, article.fallback_reason) == (
        "First paragraph.\nSecond\nline", "feed_content", "too_short")


def test_a_short_page_in_a_wide_script_is_judged_by_what_it_says() -> None:
    """Ninety Japanese characters say what some 270 English ones do: the page is kept, and one line
    ending in a Japanese full stop is a sentence, not a headline."""
    lead = "港湾局は木曜日、北側の防波堤を来春までに補強すると発表した。" * 3
    article = build_article(entry(content="<p>feed text</p>"), Extraction(lead), 250)
    assert (article.source, article.fallback_reason) == ("page", None)
    latin = build_article(entry(content="<p>feed text</p>"), Extraction("x" * 90 + "."), 250)
    assert (latin.source, latin.fallback_reason) == ("feed_content", "too_short")


def test_text_size_counts_wide_characters_thrice() -> None:
    assert (text_size("Bridge"), text_size("北京"), text_size("ソウル発"), text_size("서울")) == (6, 6, 12, 6)


def test_then_summary_then_title() -> None:
    failure = Failure("http_error", "https://northport.example/bridge: HTTP 404")
    with_summary = build_article(entry(summary="The council voted on Tuesday."), failure, 250)
    assert (with_summary.text, with_summary.source, with_summary.fallback_reason) == (
        "The council voted on Tuesday.", "feed_summary", "http_error")
    bare = build_article(entry(), failure, 250)
    assert (bare.text, bare.source) == ("Bridge repairs approved", "title")


def test_empty_extraction_and_non_html_reasons() -> None:
    nothing = Extraction("", problem="no article text found")
    assert build_article(entry(), nothing, 250).fallback_reason == "no_text"
    assert build_article(entry(), Extraction("", problem=NOT_HTML), 250).fallback_reason == "not_html"


def test_title_and_date_from_the_page_when_the_feed_has_none() -> None:
    date = datetime(2024, 3, 5, 17, 20, tzinfo=UTC)
    page = Extraction(BODY, title="Council approves repairs", date=date)
    article = build_article(entry(title=""), page, 250)
    assert (article.title, article.published) == ("Council approves repairs", date)
    published = datetime(2024, 3, 5, 17, 0, tzinfo=UTC)
    assert build_article(entry(published=published), Extraction(BODY, date=date), 250).published == published


def test_site_defaults_to_the_host() -> None:
    article = build_article(entry(), Failure("timeout", "slow"), 250)
    assert article.site == "northport.example" and article.language is None


@pytest.mark.parametrize(("kind", "reason"), [
    ("blocked", "blocked"), ("too_large", "too_large"), ("timeout", "timeout"), ("http_4xx", "http_error"),
    ("http_5xx", "http_error"), ("connect", "unreachable"), ("redirects", "redirects"),
    ("something_new", "fetch_failed"),
])
def test_fetch_errors_map_onto_bounded_reasons(kind: str, reason: str) -> None:
    failure = fetch_failure(cast(FetchErrorKind, kind), "detail")  # a word of a later version too
    assert failure.reason == reason and failure.reason in FALLBACK_REASONS


def test_html_to_text_keeps_plain_text() -> None:
    assert html_to_text("a < b & c") == "a < b & c"
    assert html_to_text("  ") == "" and html_to_text(None) == ""
    assert html_to_text("<ul><li>one</li><li>two</li></ul><style>p{}</style>") == "one\ntwo"


@pytest.mark.parametrize(("html", "text"), [
    ("<html>", ""), ("<!DOCTYPE html>", ""), ("<!-- only a comment -->", ""),
    ("<!DOCTYPE html><html><head><script>x()</script></head><body><p>One</p><p>Two</p></body></html>",
     "One\nTwo"),
    ("Feed &#1;text &#x110000; \u202ereversed", "Feed text \ufffd reversed"),
])
def test_html_to_text_takes_any_markup_and_gives_clean_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
def test_a_page_that_is_only_a_headline_is_flagged_not_passed_as_an_article() -> None:
    for page in (Extraction("", problem=HEADLINE_ONLY), Extraction("Ten ideas for a pretty front door")):
        article = build_article(entry(), page, min_text_chars=0)
        assert (article.source, article.fallback_reason) == ("title", "headline_only")
        assert article.text == "Bridge repairs approved"


def test_the_feeds_content_wins_over_a_page_body_it_outweighs() -> None:
    body = "The council met on Monday and approved the repairs to the harbour bridge. " * 5
    content = "<p>" + "The full story of the bridge, with every figure the council gave. " * 20 + "</p>"
    page = Extraction(body, blocks=(Block(kind="paragraph", start=0, end=len(body)),))
    article = build_article(entry(content=content), page, min_text_chars=250)
    assert (article.source, article.fallback_reason) == ("feed_content", "shorter_than_feed")
    assert article.extraction_note and f"{len(body):,} characters" in article.extraction_note
    assert article.blocks == []  # feed text has no blocks: all of it counts
    kept = build_article(entry(content="<p>" + body[:200] + "</p>"), page, min_text_chars=250)
    assert (kept.source, kept.fallback_reason, kept.blocks) == ("page", None, list(page.blocks))


def test_boilerplate_does_not_make_a_page_body_longer() -> None:
    """A page of one story paragraph and a long related list is short in body, whatever its length."""
    story, related = "The bridge reopens on Monday. " * 10, "Related: " + "another story, " * 60
    text = f"{story}\n{related}"
    page = Extraction(text, blocks=(Block(kind="paragraph", start=0, end=len(story)),
                                    Block(kind="list", start=len(story) + 1, end=len(text), role="related")))
    content = "<p>" + "The bridge reopens on Monday, the council said in full. " * 14 + "</p>"
    assert build_article(entry(content=content), page, 250).fallback_reason == "shorter_than_feed"


def test_the_page_text_keeps_the_language_detected_with_it() -> None:
    page = Extraction(BODY, title="Page title", language="en", detected=Detected("en", 0.98))
    article = build_article(entry(), page, min_text_chars=250)
    assert (article.language, article.detected_language, article.language_confidence) == ("en", "en", 0.98)


def test_the_feeds_text_is_detected_when_it_is_taken() -> None:
    """The page's detection is of the page's text: when the feed's is taken, the feed's is detected."""
    page = Extraction("Short.", title="Page title", language="en", detected=Detected("en", 0.9))
    article = build_article(entry(summary=f"<p>{FRENCH_LABELLED_ENGLISH}</p>", language="en"), page,
                            min_text_chars=250)
    assert article.source == "feed_summary"
    assert (article.language, article.detected_language) == ("en", "fr")
    assert article.match_language() == "fr"


def test_a_title_alone_tells_no_language() -> None:
    article = build_article(entry(title="Bridge"), Failure("timeout", "slow"), min_text_chars=250)
    assert article.source == "title" and article.detected_language is None
    assert article.language_confidence is None


def test_the_record_built_in_the_extraction_process_is_the_article_s_json() -> None:
    page = Extraction(BODY, title="Page title", language="en")
    built = build_record(entry(), 250, page)
    assert built.value is not None
    made = Article.model_validate_json(built.value)
    assert made == build_article(entry(), page, 250).model_copy(update={"extracted_at": made.extracted_at})
    assert (built.source, built.reason, built.detail) == ("page", None, f"{len(BODY)} characters")
    failure = fetch_failure("timeout", "slow")
    failed = build_record(entry(summary="The council voted on Tuesday."), 250, failure)
    assert (failed.source, failed.reason, failed.detail) == ("feed_summary", "timeout", "slow")


def test_an_entry_that_cannot_become_an_article_says_why_instead_of_raising() -> None:
    broken = Extraction(BODY, blocks=("not a block",))  # type: ignore[arg-type]
    built = build_record(entry(), 250, broken)
    assert built.value is None and built.detail.startswith("cannot build the article: ")
