"""JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser does not read: a document of untyped JSON.

Nothing in the document is trusted to have the type the spec gives it:
`"items": 5`, `"authors": 5`, a `url` that is a list, a `content_html` that
is a number. No object or no version means the document is no JSON Feed;
`items` that are no list make a feed without items, and a warning; a wrong
type inside an item makes that field absent, and `worker.fetch.items` decides whether the item
can stand without it.
"""

from __future__ import annotations

import json
from typing import Any

from worker.dates import parse_iso
from worker.errors import FetchError
from worker.fetch.items import Items, Raw, Skip, collect, site_of


def read_json_feed(body: bytes, url: str) -> tuple[Items, str | None]:
    """The items of a JSON Feed and what was malformed in it; raises `FetchError(kind="parse")` when
    the document is no JSON Feed."""
    try:
        doc = json.loads(body, parse_int=_int)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise FetchError(url, f"not a feed: invalid JSON ({exc}); check the feed's URL",
                         kind="parse") from None
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise FetchError(url, "not a feed: JSON without a jsonfeed.org version; check the feed's URL",
                         kind="parse")
    items = doc.get("items")
    warning = None
    if not isinstance(items, list):
        warning = f"malformed JSON Feed: its \"items\" is {type(items).__name__}, not a list"
        items = []
    return collect(items, _raw, url, site_of([doc.get("home_page_url")], url), doc.get("language")), warning


def _raw(item: object) -> Raw:
    if not isinstance(item, dict):
        raise Skip("not_an_item", f"a JSON Feed item that is a {type(item).__name__}, not an object")
    ident = item.get("id")
    return Raw(
        link=_first_str(item, "url", "external_url"),
        guid=str(ident) if isinstance(ident, str | int) and not isinstance(ident, bool) else None,
        title=item.get("title"),
        summary=_first_str(item, "summary", "content_text"),
        content=item.get("content_html"),
        author=", ".join(_names(item)) or None,
        published=parse_iso(_first_str(item, "date_published", "date_modified")),
        language=item.get("language"),
    )


def _int(digits: str) -> int | str:
    """A JSON integer; one too long for Python to convert (over 4,300 digits) stays its digits."""
    return int(digits) if len(digits) <= 1000 else digits


def _first_str(item: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _names(item: dict[str, Any]) -> list[str]:
    """Authors' names: 1.1's `authors` list, else 1.0's `author` object; anything else ignored."""
    authors = item.get("authors")
    if not isinstance(authors, list):
        author = item.get("author")
        authors = [author] if isinstance(author, dict) else []
    return [a["name"] for a in authors
            if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()]
