"""The gate on trafilatura's comparison with readability and jusText (worker/extract/comparison.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trafilatura.external
from lxml import etree
from trafilatura import bare_extraction

from tests.kit.pages import pages
from worker.extract import extract as extraction
from worker.extract.comparison import gated, settled
from worker.extract.extract import NEWS_OPTIONS, extract_html

FIXTURES = Path(__file__).parent / "pages"
STORY = "<p>" + "The harbour authority said the new quay would open in spring after two years. " * 4 + "</p>"


def body(inner: str) -> etree._Element:
    return etree.fromstring(f"<body>{inner}</body>")


def test_a_long_precise_text_of_paragraphs_is_settled() -> None:
    text = STORY * 8
    assert settled(body(text), "x" * 2500, "precision", 250)


@pytest.mark.parametrize(("inner", "chars", "focus"), [
    (STORY * 8, 2499, "precision"),  # short: readability or jusText may find more
    (STORY * 8, 9000, "balanced"),  # the other modes keep trafilatura's own rules
    ("<div>" + "words " * 600 + "</div>", 3600, "precision"),  # no paragraph text
    (STORY + "<table><tr><td>1</td></tr></table>" * 2, 3000, "precision"),  # mostly tables
    (STORY * 8 + "<figure><p>A caption</p></figure>", 3000, "precision"),  # furniture: jusText's case
])
def test_what_is_not_settled(inner: str, chars: int, focus: str) -> None:
    assert not settled(body(inner), "x" * chars, focus, 250)


@pytest.fixture
def readability_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times trafilatura ran readability since the test began."""
    calls: list[int] = []
    original = trafilatura.external.try_readability

    def counted(tree: Any) -> Any:
        calls.append(1)
        return original(tree)

    monkeypatch.setattr(trafilatura.external, "try_readability", counted)
    return calls


def test_the_gate_is_installed_on_this_trafilatura() -> None:
    """An upgrade of trafilatura that moves its comparison fails here, not silently in cost."""
    with gated() as installed:
        assert installed, "trafilatura.core.compare_extraction is not what worker.extract.comparison expects"


def test_a_long_clean_story_skips_the_comparison_and_others_do_not(readability_calls: list[int]) -> None:
    page = pages(1)[0]
    assert len(extract_html(page.html, "https://news.example/a").text) > 2500
    assert readability_calls == []
    extract_html((FIXTURES / "credits.html").read_bytes(), "https://news.example/b")  # a short story
    assert readability_calls == [1]


def test_trafilatura_called_by_others_still_compares(readability_calls: list[int]) -> None:
    """The benchmarks' baseline is trafilatura as it comes: the gate is for our extraction only."""
    extract_html(pages(1)[0].html, "https://news.example/a")
    bare_extraction(pages(1)[0].html, url="https://news.example/a", **NEWS_OPTIONS)
    assert readability_calls == [1]


@pytest.fixture
def ungated(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], object]:
    def extract(html: bytes) -> object:
        with monkeypatch.context() as patch:
            patch.setattr(extraction, "gated", _never)
            return extract_html(html, "https://news.example/story")
    return extract


@contextlib.contextmanager
def _never() -> Iterator[bool]:
    yield False


def test_the_gate_changes_no_extraction(ungated: Callable[[bytes], object]) -> None:
    """Every field of every fixture page and of generated news pages, with the gate and without it."""
    documents = [path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))]
    documents += [page.html for page in pages(12)]
    for html in documents:
        assert extract_html(html, "https://news.example/story") == ungated(html)
