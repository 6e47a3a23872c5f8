"""The article's structure: one small page of our own per block kind, through the pipeline's extraction."""

from __future__ import annotations

import pytest
from lxml import etree

from worker.extract.blocks import pieces
from worker.extract.extract import Extraction, extract_html
from worker.records import BlockKind

STORY = ("<p>The harbour authority in Northport said on Monday that the swing bridge would close for "
         "repairs from March, after inspectors found corrosion in {n} of its girders and warned of delays "
         "for the ferries that cross the inner harbour every day.</p>")
BODY = "".join(STORY.format(n=n) for n in range(2, 7))
KINDS: dict[BlockKind, tuple[str, str]] = {
    "paragraph": (STORY.format(n=9), "corrosion in 9 of its girders"),
    "heading": ("<h2>What the council says about the closure</h2>", "What the council says"),
    "list": ("<ul><li>Closure from 1 March, for six weeks, on weekdays between nine and five.</li>"
             "<li>Ferries every twenty minutes from the north quay while the bridge is shut.</li></ul>",
             "- Ferries every twenty minutes"),
    "quote": ("<blockquote><p>We have no choice but to close the bridge before it closes itself, the "
              "harbour master told the council on Monday evening.</p></blockquote>", "We have no choice"),
    "table": ("<table><tr><td>Girder</td><td>Corrosion</td></tr><tr><td>North span</td><td>Severe</td></tr>"
              "</table>", "| North span | Severe |"),
    "caption": ('<p class="photo-text">The swing bridge seen from the north quay at low tide on Monday.</p>',
                "seen from the north quay"),
}


def page(block: str) -> str:
    return (f"<html><head><title>Northport bridge to close</title></head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>Northport bridge to close</h1>{BODY}{block}{STORY.format(n=1)}</article>"
            f"<footer>Copyright Northport Post</footer></body></html>")


def extract(html: str) -> Extraction:
    return extract_html(html, "https://post.example/bridge")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_block_kind_is_kept_with_its_place_in_the_text(kind: BlockKind) -> None:
    markup, words = KINDS[kind]
    found = extract(page(markup))
    holding = [b for b in found.blocks if words in found.text[b.start:b.end]]
    assert [b.kind for b in holding] == [kind]
    assert holding[0].role == "body"


def test_blocks_cover_the_text_line_by_line() -> None:
    found = extract(page(KINDS["list"][0]))
    assert "\n".join(found.text[b.start:b.end] for b in found.blocks) == found.text
    assert found.text.startswith("The harbour authority")  # the headline is the title, not a block


def test_embedded_posts_and_code_are_their_own_kinds() -> None:
    """trafilatura turns some embedded posts into code elements; the class tells them from code."""
    body = etree.fromstring('<body><p>Text.</p><code class="twitter-tweet">Closed today. '
                            'pic.twitter.com/x - Council (@northportcc)</code>'
                            '<code>make bridge</code></body>')
    assert [p.kind for p in pieces(body)] == ["paragraph", "embed", "code"]


def test_link_text_is_measured_and_left_out_of_the_text() -> None:
    found = extract(page('<p>Related: <a href="/a">Ferry fares rise</a> and <a href="/b">Quay works '
                         'delayed again</a></p>'))
    assert "Ferry fares rise and Quay works delayed again" in found.text
    assert "](" not in found.text and "/a" not in found.text
