"""Fixture feeds written for these tests: a small desk's worth of news in each format."""

from __future__ import annotations

import json

STORIES = [
    ("palmyra", "IS fighters retake Palmyra as government forces fall back",
     "Militants captured the desert city over the weekend; US officials weigh sending ground troops.",
     "Sun, 11 Dec 2016 09:30:00 GMT", "2016-12-11T09:30:00Z"),
    ("harbour", "Port workers end strike after pay deal",
     "Dockers at the harbour accepted a three-year agreement on Friday.",
     "Fri, 09 Dec 2016 17:05:00 GMT", "2016-12-09T17:05:00Z"),
    ("floods", "Flash floods cut roads in the north",
     "Heavy rain overnight washed away two bridges and closed the main highway.",
     "Thu, 08 Dec 2016 06:45:00 GMT", "2016-12-08T06:45:00Z"),
]


def rss(base: str, stories: list[tuple[str, str, str, str, str]] = STORIES, extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{base}/news/{slug}?utm_source=rss&amp;utm_medium=feed</link>"
        f"<guid isPermaLink=\"false\">desk-{slug}</guid><pubDate>{rfc}</pubDate>"
        f"<description>&lt;p&gt;{summary}&lt;/p&gt;</description></item>"
        for slug, title, summary, rfc, _ in stories)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Desk Wire</title>'
            f"<link>{base}/</link><description>News from the desk</description>{items}{extra}"
            f"</channel></rss>").encode()


def atom(base: str) -> bytes:
    entries = "".join(
        f"<entry><title>{title}</title><link rel=\"alternate\" href=\"{base}/atom/{slug}\"/>"
        f"<id>tag:desk.example,2016:{slug}</id><updated>{iso}</updated><summary>{summary}</summary>"
        f"<content type=\"html\">&lt;p&gt;{summary} More to follow.&lt;/p&gt;</content>"
        f"<author><name>Desk Reporter</name></author></entry>"
        for slug, title, summary, _, iso in STORIES)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Desk Atom</title><id>tag:desk.example,2016:feed</id>"
            f"<updated>2016-12-11T09:30:00Z</updated>{entries}</feed>").encode()


def rdf(base: str) -> bytes:
    items = "".join(
        f'<item rdf:about="{base}/rdf/{slug}"><title>{title}</title><link>{base}/rdf/{slug}</link>'
        f"<description>{summary}</description><dc:date>{iso}</dc:date></item>"
        for slug, title, summary, _, iso in STORIES)
    return ('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{base}/rdf"><title>Desk RDF</title><link>{base}/</link>'
            f"<description>News</description></channel>{items}</rdf:RDF>").encode()


def json_feed(base: str) -> bytes:
    """The three stories, a bulletin with an id but no link (kept, without a page), and an item with
    neither (skipped)."""
    return json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Desk JSON", "home_page_url": f"{base}/",
        "items": [{"id": f"json-{slug}", "url": f"{base}/json/{slug}", "title": title,
                   "content_html": f"<p>{summary}</p>", "date_published": iso,
                   "authors": [{"name": "Desk Reporter"}]}
                  for slug, title, summary, _, iso in STORIES] + [
            {"id": "bulletin-7", "content_text": "Ferry services suspended until noon."},
            {"title": "Neither a link nor an id"}],
    }).encode()


def bozo(base: str) -> bytes:
    """An RSS feed with an unescaped ampersand and a stray closing tag: readable, but not XML."""
    return rss(base).replace(b"Port workers end strike", b"Port workers & bosses end strike").replace(
        b"</channel>", b"</item></channel>")
