from __future__ import annotations

import pytest

from worker.fetch.canonical import canonical_url, entry_id


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://News.Example:443/a/b?utm_source=rss&id=7#top", "https://news.example/a/b?id=7"),
    ("http://news.example:80", "http://news.example/"),
    ("http://news.example:8080/x?fbclid=abc&gclid=1&page=2", "http://news.example:8080/x?page=2"),
    ("https://news.example/x?at_medium=RSS&at_campaign=KARANGA", "https://news.example/x"),
    ("https://news.example/x?b=2&a=1", "https://news.example/x?b=2&a=1"),
    ("https://news.example./x", "https://news.example/x"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


def test_entry_id_prefers_the_guid_and_ignores_tracking() -> None:
    assert entry_id("desk-1", "https://a.example/x") == entry_id("desk-1", "https://b.example/y")
    assert entry_id(None, "https://a.example/x?utm_source=rss") == entry_id("", "https://a.example/x")
    assert entry_id("https://a.example/x?utm_medium=feed", "ignored") == entry_id(None, "https://a.example/x")
    assert entry_id("desk-1", "https://a.example/x") != entry_id("desk-2", "https://a.example/x")
