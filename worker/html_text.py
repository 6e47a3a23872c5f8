"""Plain text of the HTML a feed puts in its fields, shared by the feed reader and the article's fallback.

It lives outside the stages so reading a feed does not load the extractor:
the fetch stage turns a feed's summary into text for the entry, and the
extract stage falls back on the same text when a page lets it down.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from worker.text import clean

_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "section", "article", "figcaption", "dt", "dd", "table", "ul", "ol")


def _tree(html: str) -> lxml.html.HtmlElement | None:
    """The markup as a tree: a fragment, else a whole document (a feed can embed one, or `<html>` in a
    title makes lxml's fragment parser give up), else None for markup with no content at all."""
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, AssertionError, ValueError):
        pass
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return None


def html_to_text(html: str | None) -> str:
    """Plain text of a feed's HTML (or text) field, one line per paragraph; scripts and styles dropped."""
    html = clean(html or "")
    if "<" not in html and "&" not in html:  # no markup, no entity: most titles; lxml would change nothing
        return _lines(html)
    root = _tree(html) if html.strip() else None
    if root is None:
        return ""
    for element in root.xpath(".//script|.//style|.//noscript"):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return clean(_lines(root.text_content()))  # entities can name controls


def _lines(text: str) -> str:
    """One line per line of `text` with words, its blanks collapsed."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
