"""Property: whatever a hostile item holds, parsing never raises and every clean item beside it comes out.

Documents are generated in each format with clean items (known title, link
and guid) among hostile ones, whose every field is arbitrary Unicode, Slack
control sequences, controls, surrogates or 100 kB strings (JSON Feed fields
also of any JSON type). Every item that comes out must be clean text with a
safe link and make a valid `Entry`.
"""

from __future__ import annotations

from typing import get_args

from hypothesis import given
from hypothesis import strategies as st

from tests.fetch import hostile
from tests.fetch.hostile import Clean
from worker.config.models import Feed
from worker.fetch.feeds import Parsed, parse_feed
from worker.fetch.poll import to_entry
from worker.links import is_safe_link
from worker.metrics import SkipReason
from worker.text import clean

FEED = Feed(id="wire", url="https://clean.example/feed")


def mixed(hostile_items: st.SearchStrategy[object]) -> st.SearchStrategy[list[object]]:
    """Up to four hostile items with three clean ones among them, in any order."""
    return st.lists(hostile_items, max_size=4).flatmap(
        lambda bad: st.permutations([*bad, Clean(1), Clean(2), Clean(3)]))


def check(parsed: Parsed, items: list[object]) -> None:
    by_link = {i.link: i for i in parsed.items}
    for wanted in (i for i in items if isinstance(i, Clean)):
        got = by_link.get(wanted.link)
        assert got is not None, f"clean item {wanted.n} lost; skipped: {parsed.skipped} {parsed.examples}"
        assert got.title == wanted.title and got.guid == wanted.guid
    # broken: a bug of ours
    assert set(parsed.skipped) <= set(get_args(SkipReason)) - {"broken"}, parsed.examples
    for item in parsed.items:
        for text in (item.title, item.summary, item.content, item.author, item.guid):
            assert text is None or clean(text) == text
        assert is_safe_link(item.link)
        to_entry(FEED, item)  # the record accepts it: no later stage has to think about it


@given(mixed(hostile.hostile_fields))
def test_rss(items: list[object]) -> None:
    check(parse_feed(hostile.xml_feed("rss", items), FEED.url), items)  # type: ignore[arg-type]


@given(mixed(hostile.hostile_fields))
def test_atom(items: list[object]) -> None:
    check(parse_feed(hostile.xml_feed("atom", items), FEED.url), items)  # type: ignore[arg-type]


@given(mixed(hostile.json_item), st.one_of(st.just("https://clean.example/"), hostile.json_value))
def test_json_feed(items: list[object], home: object) -> None:
    check(parse_feed(hostile.json_feed(items, home), FEED.url, "application/feed+json"), items)
