"""Crafted feeds, one file per class of hostile item, each beside a clean item that must survive.

The files under `crafted/` reproduce the classes measured in issue 11: raw and
referenced controls, noncharacters, lone surrogates, references past
U+10FFFF, broken-URL guids, wrongly typed JSON Feed fields, unsafe links,
Slack markup in titles and links, bidi overrides, huge titles, items without
a link. For each, the clean item comes out and the hostile one is either
kept as clean text or skipped with the reason given here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from worker.config.models import Feed
from worker.fetch.feeds import parse_feed
from worker.fetch.poll import to_entry
from worker.links import is_safe_link
from worker.text import TITLE, clean

CRAFTED = Path(__file__).parent / "crafted"
FEED = Feed(id="crafted", url="https://clean.example/feed")
# file -> the reason the hostile item is skipped, or None when it is kept (cleaned)
EXPECTED: dict[str, str | None] = {
    "rss-title-raw-u0001.xml": None, "rss-title-raw-u0008.xml": None, "rss-title-raw-u000b.xml": None,
    "rss-title-raw-u001b.xml": None, "rss-title-raw-ufffe.xml": None, "rss-title-ref-1.xml": None,
    "rss-title-ref-fffe.xml": None, "rss-title-ref-d800.xml": None, "rss-title-ref-110000.xml": None,
    "rss-guid-broken-url.xml": None, "rss-title-slack-markup.xml": None, "rss-title-rlo.xml": None,
    "rss-title-10kb.xml": None, "rss-no-link-with-id.xml": None, "atom-title-control-and-surrogate.xml": None,
    "rss-link-javascript.xml": "unsafe_link", "rss-link-slack-markup.xml": None,
    "rss-no-link-no-id.xml": "no_link_or_id",
    "json-authors-int.json": None, "json-content-html-int.json": None, "json-url-list.json": None,
    "json-title-surrogate.json": None, "json-item-not-object.json": "not_an_item",
}


def test_every_crafted_file_has_an_expectation() -> None:
    assert {p.name for p in CRAFTED.iterdir()} == set(EXPECTED) | {"json-items-int.json"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_clean_item_survives_its_hostile_neighbour(name: str) -> None:
    body = (CRAFTED / name).read_bytes()
    parsed = parse_feed(body, FEED.url, "application/feed+json" if name.endswith(".json") else "")
    entries = [to_entry(FEED, item) for item in parsed.items]  # the records accept every item
    clean_ones = [e for e in entries if e.url == "https://clean.example/ok"]
    assert [e.title for e in clean_ones] == ["Clean story"]
    hostile = [item for item in parsed.items if item.link != "https://clean.example/ok"]
    reason = EXPECTED[name]
    if reason is None:
        [item] = hostile
        assert item.title and clean(item.title, TITLE) == item.title and is_safe_link(item.link)
        assert parsed.skipped == {}
    else:
        assert hostile == [] and parsed.skipped == {reason: 1} and parsed.examples[reason]


def test_kept_hostile_items_come_out_as_readable_text() -> None:
    def title(name: str) -> str:
        return parse_feed((CRAFTED / name).read_bytes(), FEED.url).items[0].title

    assert title("rss-title-raw-u0001.xml") == "Hostile title"
    assert title("rss-title-ref-d800.xml") == "Hostile \ufffd title"
    assert title("rss-title-rlo.xml") == "Hostile gnp.exe title"
    assert len(title("rss-title-10kb.xml")) <= TITLE and title("rss-title-10kb.xml").endswith("…")
    [link] = [i.link for i in parse_feed((CRAFTED / "rss-link-slack-markup.xml").read_bytes(), FEED.url).items
              if "hostile" in i.link]
    assert link == "https://hostile.example/a%3C!channel%3E%7Cx"


def test_an_item_without_a_link_links_to_the_site_and_is_matched_on_its_own_text() -> None:
    parsed = parse_feed((CRAFTED / "rss-no-link-with-id.xml").read_bytes(), FEED.url)
    [bulletin] = [i for i in parsed.items if not i.has_page]
    entry = to_entry(FEED, bulletin)
    assert entry.link == entry.url == "https://clean.example/" and not entry.has_page
    assert entry.summary == "Ferry services suspended."


def test_json_items_that_are_no_list_make_an_empty_feed_with_a_warning() -> None:
    parsed = parse_feed((CRAFTED / "json-items-int.json").read_bytes(), FEED.url, "application/feed+json")
    assert parsed.items == [] and parsed.warning and "items" in parsed.warning
