"""Feed documents in every format, and documents that are not feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fetch.feeds import atom, bozo, json_feed, rdf, rss
from worker.errors import FetchError
from worker.fetch.feeds import parse_feed

BASE = "https://desk.example"


@pytest.mark.parametrize("document", [rss, atom, rdf, json_feed])
def test_every_format_yields_the_three_stories(document: object) -> None:
    parsed = parse_feed(document(BASE), f"{BASE}/feed")  # type: ignore[operator]
    assert [i.title for i in parsed.items][0] == "IS fighters retake Palmyra as government forces fall back"
    assert len([i for i in parsed.items if i.has_page]) == 3
    assert all(i.link.startswith(BASE) for i in parsed.items)
    assert parsed.items[0].published == datetime(2016, 12, 11, 9, 30, tzinfo=UTC)


def test_rss_summary_is_text_and_guid_kept() -> None:
    item = parse_feed(rss(BASE), f"{BASE}/feed").items[0]
    assert item.guid == "desk-palmyra"
    assert item.summary == ("Militants captured the desert city over the weekend; "
                            "US officials weigh sending ground troops.")


def test_atom_content_author() -> None:
    item = parse_feed(atom(BASE), f"{BASE}/atom").items[0]
    assert item.content is not None and "More to follow" in item.content
    assert item.author == "Desk Reporter"


def test_json_feed_item_without_link_links_to_the_site_and_one_without_id_is_skipped() -> None:
    parsed = parse_feed(json_feed(BASE), f"{BASE}/feed.json", "application/feed+json")
    assert len(parsed.items) == 4 and parsed.skipped == {"no_link_or_id": 1}
    assert parsed.items[0].author == "Desk Reporter"
    bulletin = parsed.items[3]
    assert not bulletin.has_page and bulletin.link == f"{BASE}/" and bulletin.guid == "bulletin-7"
    assert bulletin.summary == "Ferry services suspended until noon."


def test_bozo_feed_yields_what_parsed_and_says_why() -> None:
    parsed = parse_feed(bozo(BASE), f"{BASE}/feed")
    assert parsed.warning and parsed.warning.startswith("malformed feed")
    assert len(parsed.items) == 3


@pytest.mark.parametrize(("body", "kind"), [
    (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
    (b"", "application/xml"),
    (b'{"error": "rate limited"}', "application/json"),
    (b"{not json", "application/json"),
])
def test_not_a_feed_is_an_error_naming_the_url(body: bytes, kind: str) -> None:
    with pytest.raises(FetchError, match=r"https://desk.example/feed: not a feed") as err:
        parse_feed(body, f"{BASE}/feed", kind)
    assert err.value.kind == "parse"


def _feed(encoding: str, label: str, title: str, declaration: bool = True) -> bytes:
    head = f"<?xml version='1.0' encoding='{label}'?>\n" if declaration else ""
    return (f"{head}<rss version='2.0'><channel><title>Desk</title><link>{BASE}/</link>"
            f"<item><title>{title}</title><link>{BASE}/a</link><guid>a</guid>"
            f"<description>{title}</description></item></channel></rss>").encode(encoding)


@pytest.mark.parametrize(("encoding", "label", "title"), [
    ("gbk", "gb2312", "朱镕基会见张喆"),
    ("cp932", "shift_jis", "①髙橋氏が㈱東京電力で会見"),
    ("cp949", "euc-kr", "똠방각하 서울 공연"),
    ("cp1254", "iso-8859-9", "“İstanbul’da” 5 €"),
])
def test_a_legacy_feed_is_decoded_as_browsers_decode_its_label(encoding: str, label: str, title: str) -> None:
    from_declaration = parse_feed(_feed(encoding, label, title), f"{BASE}/rss", "application/rss+xml")
    assert [item.title for item in from_declaration.items] == [title]
    from_header = parse_feed(_feed(encoding, label, title, declaration=False), f"{BASE}/rss",
                             f"text/xml; charset={label}")
    assert [item.title for item in from_header.items] == [title]
    assert from_header.warning is None


def test_a_utf8_feed_is_left_to_feedparser() -> None:
    parsed = parse_feed(_feed("utf-8", "utf-8", "Zürich – 北京"), f"{BASE}/rss", "application/rss+xml")
    assert [item.title for item in parsed.items] == ["Zürich – 北京"]


def test_a_utf8_feed_under_a_servers_default_charset_is_read_as_utf8() -> None:
    body = _feed("utf-8", "utf-8", "Zürich – 北京", declaration=False)
    parsed = parse_feed(body, f"{BASE}/rss", "text/xml; charset=us-ascii")
    assert [item.title for item in parsed.items] == ["Zürich – 北京"]


def test_the_language_a_feed_declares_is_each_item_s_unless_the_item_declares_its_own() -> None:
    rss_doc = (f"<rss version='2.0'><channel><title>Desk</title><link>{BASE}/</link>"
               f"<language>de-DE</language><item><title>Hallo</title><link>{BASE}/a</link></item></channel></rss>").encode()
    assert [i.language for i in parse_feed(rss_doc, f"{BASE}/rss").items] == ["de-DE"]
    atom_doc = (f"<feed xmlns='http://www.w3.org/2005/Atom' xml:lang='fr'><title>Desk</title>"
                f"<entry xml:lang='es'><title>Hola</title><link href='{BASE}/a'/><id>a</id></entry>"
                f"<entry><title>Salut</title><link href='{BASE}/b'/><id>b</id></entry></feed>").encode()
    assert [i.language for i in parse_feed(atom_doc, f"{BASE}/atom").items] == ["es", "fr"]
    json_doc = (b'{"version": "https://jsonfeed.org/version/1.1", "language": "pt-BR", "items": ['
                b'{"id": "a", "url": "' + BASE.encode() + b'/a", "title": "Ola"},'
                b'{"id": "b", "url": "' + BASE.encode() + b'/b", "title": "Hi", "language": "en"}]}')
    assert [i.language for i in parse_feed(json_doc, f"{BASE}/json").items] == ["pt-BR", "en"]
    undeclared = (f"<rss version='2.0'><channel><title>Desk</title><link>{BASE}/</link>"
                  f"<item><title>Hi</title><link>{BASE}/a</link></item></channel></rss>").encode()
    assert [i.language for i in parse_feed(undeclared, f"{BASE}/rss").items] == [None]


def test_relative_links_resolve_against_the_feed_and_any_xml_base() -> None:
    """Relative links, in RSS and in Atom with its xml:base (absolute or itself relative), come out as
    the absolute links a browser would follow from the feed's URL."""
    document = (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
                b'<entry><title>One</title><id>one</id><link href="stories/one"/></entry>'
                b'<entry xml:base="https://cdn.example/world/"><title>Two</title><id>two</id>'
                b'<link href="two"/></entry>'
                b'<entry xml:base="/archive/"><title>Three</title><id>three</id><link href="three"/></entry>'
                b"</feed>")
    links = [i.link for i in parse_feed(document, f"{BASE}/desk/atom.xml").items]
    assert links == [f"{BASE}/desk/stories/one", "https://cdn.example/world/two", f"{BASE}/archive/three"]
    rss_document = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
                    b"<item><title>Four</title><link>/news/four</link></item></channel></rss>")
    assert [i.link for i in parse_feed(rss_document, f"{BASE}/feed").items] == [f"{BASE}/news/four"]
