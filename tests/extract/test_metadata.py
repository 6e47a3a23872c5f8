"""The article's metadata is trafilatura's own, field for field, without its categories, tags and licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from trafilatura.metadata import extract_metadata
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from worker.extract.extract import DATE_FORMAT
from worker.extract.metadata import page_metadata

PAGES = Path(__file__).parent / "pages"
FIELDS = ("title", "author", "url", "hostname", "date", "sitename", "description", "language")
DATE_PARAMS = {**set_date_params(True), "outputformat": DATE_FORMAT}
STORY = "<p>The ferry company said on Tuesday that the harbour crossing would reopen next week.</p>" * 4
WRITTEN = {
    "meta tags": f"""<html><head><title>Ferries resume - Harbour Herald</title>
        <meta name="author" content="Ines Varga"><meta property="og:site_name" content="harbourherald">
        <meta property="article:published_time" content="2026-11-30T08:15:00+01:00">
        <link rel="canonical" href="https://harbour-herald.example/ferries"></head>
        <body><article><h1>Ferries resume</h1>{STORY}</article></body></html>""",
    "json-ld": f"""<html><head><title>Port strike | Tidewater Times</title>
        <script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Port strike ends", "author": {{"@type": "Person", "name": "Tomas Reyes"}},
        "datePublished": "2026-10-02", "publisher": {{"@type": "Organization", "name": "Tidewater Times"}}}}
        </script></head><body><article>{STORY}
        <a href="/category/ports/">Ports</a><a href="/tag/strikes/">Strikes</a>
        <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY</a>
        </article></body></html>""",
    "broken json-ld and a one-word author": f"""<html><head><title>Dock fire</title>
        <meta name="author" content="newsdesk">
        <script type="application/ld+json">{{"@type": "NewsArticle", "author": [}}</script></head>
        <body><div class="byline">By Ada Osei</div><article>{STORY}</article></body></html>""",
    "nothing declared": f"<html><body><div>{STORY}</div></body></html>",
}
CASES = {**WRITTEN, **{path.name: path.read_bytes() for path in sorted(PAGES.glob("*.html"))}}


@pytest.mark.parametrize("url", ["https://harbour-herald.example/story", None])
@pytest.mark.parametrize("name", list(CASES))
def test_fields_are_trafilaturas_and_the_page_is_left_as_it_was(name: str, url: str | None) -> None:
    tree = load_html(CASES[name])
    if tree is None:
        pytest.skip(f"{name} does not parse (the extractor says so before metadata)")
    before = etree.tostring(tree)
    ours, theirs = page_metadata(tree, url, DATE_PARAMS), extract_metadata(tree, url, DATE_PARAMS)
    assert etree.tostring(tree) == before
    assert {f: getattr(ours, f) for f in FIELDS} == {f: getattr(theirs, f) for f in FIELDS}
    assert not (ours.categories or ours.tags or ours.license)


def test_what_the_written_pages_yield() -> None:
    """The readers are really exercised: these are the values, not only the same ones twice."""
    meta = page_metadata(load_html(WRITTEN["meta tags"]), None, DATE_PARAMS)
    assert (meta.author, meta.date, meta.url) == ("Ines Varga", "2026-11-30T08:15:00+0100",
                                                  "https://harbour-herald.example/ferries")
    tree = load_html(WRITTEN["json-ld"])
    meta = page_metadata(tree, None, DATE_PARAMS)
    assert (meta.author, meta.sitename) == ("Tomas Reyes", "Tidewater Times")
    assert meta.date == "2026-10-02T00:00:00"
    assert extract_metadata(tree, None, DATE_PARAMS).license == "CC BY 4.0"  # what the article does not carry
