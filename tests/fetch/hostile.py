"""Feed documents with hostile items among clean ones, written the way a stranger's generator might.

A hostile string goes into XML character by character: what XML allows is
escaped; what it does not (controls, surrogates, noncharacters) is written
either raw (bytes no UTF-8 decoder accepts, for surrogates) or as a numeric
character reference, as broken generators do; sometimes inside CDATA.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.strategies import hostile_text


@dataclass(frozen=True)
class Clean:
    n: int

    @property
    def title(self) -> str:
        return f"Clean story number {self.n}"

    @property
    def link(self) -> str:
        return f"https://clean.example/story/{self.n}"

    @property
    def guid(self) -> str:
        return f"tag:clean.example,2026:story-{self.n}"


ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def _allowed(point: int) -> bool:
    return point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD \
        or 0x10000 <= point <= 0x10FFFF


def xml_text(text: str, raw: bool, cdata: bool) -> str:
    """`text` as XML character data: escaped, its invalid characters raw or as references."""
    cdata = cdata and "]]>" not in text
    out = []
    for char in text:
        point = ord(char)
        if not _allowed(point):
            out.append(char if raw else f"&#x{point:X};")
        elif cdata:
            out.append(char)
        else:
            out.append(ESCAPES.get(char, char))
    body = "".join(out)
    return f"<![CDATA[{body}]]>" if cdata else body


def encode(doc: str) -> bytes:
    return doc.encode("utf-8", "surrogatepass")  # a raw surrogate becomes bytes no decoder takes


field_text = st.builds(xml_text, hostile_text, st.booleans(), st.booleans())
hostile_fields = st.fixed_dictionaries({}, optional={
    "title": field_text, "link": field_text, "guid": field_text, "description": field_text,
    "author": field_text, "content": field_text, "date": field_text})


def fields(item: Clean | dict[str, str]) -> dict[str, str]:
    if isinstance(item, Clean):
        return {"title": item.title, "link": item.link, "guid": item.guid, "description": "Plain summary."}
    return item


def _rss_item(item: dict[str, str]) -> str:
    tags = {"title": "title", "link": "link", "guid": "guid", "description": "description",
            "author": "author", "content": "content:encoded", "date": "pubDate"}
    return "<item>" + "".join(f"<{tags[k]}>{v}</{tags[k]}>" for k, v in item.items()) + "</item>"


def _atom_entry(item: dict[str, str]) -> str:
    parts = [f"<title>{item['title']}</title>" if "title" in item else "",
             f'<link rel="alternate" href="{item["link"]}"/>'
             if "link" in item and "<![CDATA[" not in item["link"] else "",
             f"<id>{item['guid']}</id>" if "guid" in item else "",
             f"<summary>{item['description']}</summary>" if "description" in item else "",
             f'<content type="html">{item["content"]}</content>' if "content" in item else "",
             f"<author><name>{item['author']}</name></author>" if "author" in item else "",
             f"<updated>{item['date']}</updated>" if "date" in item else ""]
    return "<entry>" + "".join(parts) + "</entry>"


_HEADS = {
    "rss": ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
            "<link>https://clean.example/</link><description>d</description>", "</channel></rss>"),
    "atom": ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
             '<title>Wire</title><id>tag:clean.example,2026:feed</id><link href="https://clean.example/"/>'
             "<updated>2026-12-01T00:00:00Z</updated>", "</feed>"),
}
_ITEMS = {"rss": _rss_item, "atom": _atom_entry}


def xml_feed(kind: str, items: list[Clean | dict[str, str]]) -> bytes:
    """An RSS or Atom document of `items`."""
    head, tail = _HEADS[kind]
    return encode(head + "".join(_ITEMS[kind](fields(i)) for i in items) + tail)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=6)
json_item = st.one_of(
    st.fixed_dictionaries({}, optional={k: st.one_of(hostile_text, json_value) for k in (
        "id", "url", "external_url", "title", "summary", "content_text", "content_html", "date_published",
        "date_modified", "authors", "author")}),
    json_value)


def json_feed(items: list[Clean | object], home: object = "https://clean.example/") -> bytes:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "home_page_url": home,
           "items": [{"id": i.guid, "url": i.link, "title": i.title, "content_text": "Plain summary."}
                     if isinstance(i, Clean) else i for i in items]}
    return json.dumps(doc).encode()  # ensure_ascii: a lone surrogate is written as "\ud800", as in the wild
