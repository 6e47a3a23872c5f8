"""Telling where an extracted block stands in the parsed page: a key of its first letters.

trafilatura's text and the page's own differ in spaces, punctuation and
inline markup, so a block is found in the page by its first `KEY_CHARS`
letters and digits, casefolded. `captions` and `passages` place what
trafilatura dropped by the page elements around it whose keys are blocks.
"""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree

KEY_CHARS = 40
MIN_KEY = 12  # a shorter block ("Yes.", "Photos") is not told apart from other text of the page
TEXT_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "pre")
_NOT_LETTERS = re.compile(r"[\W_]+")
_ASCII_NOT_LETTERS = bytes(code for code in range(128) if not chr(code).isalnum())
_FIRST_TRY = 64  # characters: 40 letters and digits with their spaces and punctuation


def letters(text: str) -> str:
    """The text's letters and digits, casefolded.

    Called on whole article bodies, so it is kept cheap: ASCII text is lowered and filtered as
    bytes; other text loses its whitespace in one split first, which leaves the regex a few
    punctuation marks to remove instead of one match a word.
    """
    if text.isascii():
        return text.lower().encode("ascii").translate(None, _ASCII_NOT_LETTERS).decode("ascii")
    return _NOT_LETTERS.sub("", "".join(text.casefold().split()))


def key(text: str) -> str:
    """The key of a block's text; "" when too short to tell it apart.

    `letters` maps each character on its own, so the key of a short prefix is the key of the
    whole when that prefix already holds `KEY_CHARS` letters (it nearly always does).
    """
    found = letters(text[:_FIRST_TRY])[:KEY_CHARS]
    if len(found) < KEY_CHARS:
        found = letters(text[:4 * KEY_CHARS])[:KEY_CHARS]
    return found if len(found) >= MIN_KEY else ""


def following(element: etree._Element, count: int) -> list[etree._Element]:
    """The next `count` text elements after `element` and its descendants, in the page's order."""
    found: list[etree._Element] = []
    node: etree._Element | None = element
    while node is not None and len(found) < count:
        for sibling in node.itersiblings():
            found.extend(islice(sibling.iter(*TEXT_TAGS), count - len(found)))
            if len(found) >= count:
                break
        node = node.getparent()
    return found


def element_key(element: etree._Element) -> str:
    """The key of an element's text, from its first few text nodes (a paragraph's, not the page's)."""
    return key("".join(islice(element.itertext(), 8)))
