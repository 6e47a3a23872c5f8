"""The records refuse text that did not pass the boundary's cleaner, so no later stage meets it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from worker.errors import RecordError
from worker.records import LANGUAGE_CONFIDENT, Article, Entry, parse_record
from worker.text import BODY, SUMMARY, TITLE

ENTRY = {"id": "e1", "feed_id": "wire", "feed_url": "https://wire.example/feed", "url": "https://wire.example/a",
         "link": "https://wire.example/a", "title": "Port workers end strike"}


@pytest.mark.parametrize(("field", "value"), [
    ("title", "Port \x01 workers"), ("title", "abc\u202edef"), ("title", "lone \ud800"),
    ("title", "x" * (TITLE + 1)),
    ("summary", "nul\x00"), ("summary", "y" * (SUMMARY + 1)), ("author", "\u2066isolate"), ("guid", "\ufffe"),
    ("content", "<p>\x1b[31m</p>"),
])
def test_an_entry_refuses_unclean_text(field: str, value: str) -> None:
    with pytest.raises(ValueError, match=field):
        Entry.model_validate({**ENTRY, field: value})


def test_an_article_refuses_unclean_text_and_a_reader_says_which_field() -> None:
    article = {**ENTRY, "text": "Body", "source": "page", "first_seen": datetime.now(UTC).isoformat()}
    Article.model_validate(article)
    with pytest.raises(RecordError, match=r"not a valid Article: text: .*worker.text.clean"):
        parse_record(Article, json.dumps({**article, "text": "body \u202e reversed"}).encode())


def test_a_stored_article_is_read_without_checking_its_text_again_but_a_non_article_is_refused() -> None:
    article = {**ENTRY, "text": "Body", "source": "page", "first_seen": datetime.now(UTC).isoformat()}
    unclean = json.dumps({**article, "text": "body \u202e reversed"}).encode()
    assert parse_record(Article, unclean, stored=True).text == "body \u202e reversed"
    with pytest.raises(RecordError, match="not a valid Article: text"):
        parse_record(Article, json.dumps({**article, "text": "x" * (BODY + 1)}).encode(), stored=True)
    with pytest.raises(RecordError, match=r"not a valid Article: text: Field required \(3 problem"):
        parse_record(Article, json.dumps(ENTRY).encode(), stored=True)
    with pytest.raises(RecordError, match="not a valid Article"):
        parse_record(Article, b"{not json", stored=True)


def test_an_entry_from_before_has_page_existed_has_a_page() -> None:
    assert parse_record(Entry, json.dumps(ENTRY).encode()).has_page


def _article(language: str | None, detected: str | None = None, confidence: float | None = None) -> Article:
    return Article.model_validate({**ENTRY, "text": "Body", "source": "page", "first_seen": datetime.now(UTC),
                                   "language": language, "detected_language": detected,
                                   "language_confidence": confidence})


@pytest.mark.parametrize(("declared", "detected", "confidence", "matched"), [
    ("en", "fr", 0.97, "fr"),  # a French story on a page labelled English is French
    ("en", "fr", 0.3, "en"),  # an unsure detector gives way to the page
    ("de-AT", None, None, "de"),  # the declared code's base
    ("nb_NO", None, None, "no"),  # one spelling for Norwegian, the detector's
    ("de", "de", 0.2, "de"),
    (None, "fr", 0.3, "fr"),  # nothing declared: the detector's guess, however unsure
    ("zz", "it", 0.4, "it"),  # no language's code: not a declaration
    ("fil", None, None, None),
    (None, None, None, None),
])
def test_the_language_matching_goes_by(declared: str | None, detected: str | None, confidence: float | None,
                                       matched: str | None) -> None:
    assert _article(declared, detected, confidence).match_language() == matched


def test_the_detected_language_wins_from_the_confidence_threshold_on() -> None:
    assert _article("en", "fr", LANGUAGE_CONFIDENT).match_language() == "fr"
