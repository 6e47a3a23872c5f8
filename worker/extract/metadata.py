"""The page's metadata the article carries (headline, author, date, site), from trafilatura's own readers.

`trafilatura.metadata.extract_metadata` also looks for categories, tags and
a licence, which no article carries: on the extract benchmark's pages those
three scans over every link of the page took 3.3 of its 3.5 ms, a sixth of
the page's whole extraction. This is that function's sequence without them,
built from the same readers, so each field is what trafilatura would give.
It reads the page without changing it.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from courlan import extract_domain
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document


def page_metadata(tree: HtmlElement, url: str | None, date_params: dict[str, Any]) -> Document:
    """trafilatura's metadata of the page, without categories, tags and licence."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a single word is a handle or a site, not a byline
    with suppress(Exception):  # as in trafilatura: broken JSON-LD costs only its own fields
        metadata = extract_meta_json(tree, metadata)
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or extract_author(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    metadata.date = find_date(tree, **{**date_params, "url": metadata.url})
    metadata.sitename = metadata.sitename or extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    metadata.filedate = date_params.get("max_date")
    metadata.clean_and_trim()
    return metadata
