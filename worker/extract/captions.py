"""Figure captions trafilatura drops, put back as caption blocks where they stand in the story.

A caption describes the story's picture ("The mayor opens the new bridge on
Monday") and names what watchers match on, but trafilatura removes
<figure>, <aside> and every element whose class names a caption before it
looks for the body, in every mode. So the page's own caption markup
(<figcaption>, an element whose class or id says "caption", itemprop
"caption") is read from the parsed page, and a caption the extracted text
does not already hold becomes a "caption" block:

- only inside the story: a caption is taken when one of the next `REACH`
  text elements of the page after it is a block of the extracted body (the
  lead picture above the first paragraph, a picture between two). Captions
  of sidebars, teaser grids and galleries after the story are not the story.
- placed before that block, as it stands in the page.
- the innermost caption element, and the credit the page marks in it
  (class "credit", "copyright", "source" or "byline") as a block of its own
  that is a credit (`Caption.credit`): "... a sales tax hike. <span
  class=credit>REUTERS</span>" names the agency that took the picture, not
  one in the story. Unmarked credits ("Photo: Getty Images") are told by
  the block classifier, as the credits trafilatura keeps are.
A table's <caption> is left to trafilatura, which keeps it with its table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from lxml import etree

REACH = 6  # text elements of the page after a caption in which a body block must start
MAX_CHARS = 600  # a longer "caption" element is a container the class name misleads about
KEY_CHARS = 40  # letters and digits that identify a block's text in the page
MIN_KEY = 12  # a shorter block ("Yes.", "Photos") is not told apart from other text of the page
_CAPTION = ("//figcaption | //*[@itemprop='caption' or contains(translate(@class, 'CAPTION', 'caption'), "
            "'caption') or contains(translate(@id, 'CAPTION', 'caption'), 'caption')]"
            "[not(ancestor::nav or ancestor::footer or self::table or self::caption)]")
_CAPTIONS = etree.XPath(_CAPTION)
_IN_ORDER = etree.XPath(f"{_CAPTION} | //p | //li | //h1 | //h2 | //h3 | //h4 | //h5 | //h6 | //blockquote"
                        " | //dd | //pre")
_NOT_LETTERS = re.compile(r"[\W_]+")
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")
_MARKED_CREDIT = re.compile(r"credit|copyright|source|byline|photographer|courtesy", re.IGNORECASE)
_CREDITS = etree.XPath(".//*[re:test(concat(@class, ' ', @itemprop), $pattern)]",
                       namespaces={"re": "http://exslt.org/regular-expressions"})


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption's text, and whether the page marks it as the picture's credit."""

    text: str
    credit: bool = False



def dropped_captions(texts: Sequence[str], page: etree._Element) -> dict[int, list[Caption]]:
    """The page's captions missing from the block `texts`, by the index of the block they precede."""
    held = _letters("".join(texts))
    captions: dict[etree._Element, list[Caption]] = {}
    seen: set[str] = set()
    for element in _innermost(page):
        found = [caption for caption in _split(element) if caption.text not in seen
                 and (key := _letters(caption.text)[:KEY_CHARS]) and key not in held]
        seen.update(caption.text for caption in found)
        if found and sum(len(caption.text) for caption in found) <= MAX_CHARS:
            captions[element] = found
    if not captions:
        return {}
    keys = {key: index for index, text in enumerate(texts)
            if len(key := _letters(text)[:KEY_CHARS]) >= MIN_KEY}
    before: dict[int, list[Caption]] = {}
    pending: list[tuple[list[Caption], int]] = []  # captions met, and how many text elements they may wait
    for element in _IN_ORDER(page):
        if element in captions:
            pending.append((captions[element], REACH))
            continue
        index = keys.get(_letters(_prefix(element))[:KEY_CHARS]) if pending else None
        if index is not None:
            before.setdefault(index, []).extend(caption for found, _ in pending for caption in found)
            pending = []
        pending = [(found, left - 1) for found, left in pending if left > 1]
    return before


def _innermost(page: etree._Element) -> list[etree._Element]:
    """Caption elements holding no other, in the page's order."""
    found = _CAPTIONS(page)
    containers = {ancestor for element in found for ancestor in element.iterancestors()}
    return [element for element in found if element not in containers]


def _split(element: etree._Element) -> list[Caption]:
    """A caption element's description and the credits it marks, each with its visible text."""
    if _MARKED_CREDIT.search(f"{element.get('class', '')} {element.get('itemprop', '')}"):
        return [Caption(text, credit=True)] if (text := _text(element)) else []
    credits = _CREDITS(element, pattern=_MARKED_CREDIT.pattern)
    found = [Caption(text, credit=True) for credit in credits if (text := _text(credit))]
    description = _text(element, leave_out=frozenset(credits))
    return [Caption(description), *found] if description else found


def _text(element: etree._Element, leave_out: frozenset[etree._Element] = frozenset()) -> str:
    """The element's visible text, without that of the elements in `leave_out` (the page is left as it is)."""
    parts = []
    for part in _VISIBLE_TEXT(element):
        owner = part.getparent()
        inside = owner.iterancestors() if part.is_tail else (owner, *owner.iterancestors())
        if not leave_out or not any(ancestor in leave_out for ancestor in inside):
            parts.append(part)
    return " ".join("".join(parts).split())


def _prefix(element: etree._Element) -> str:
    """The first characters of an element's text, enough for its key."""
    return "".join(islice(element.itertext(), 8))


def _letters(text: str) -> str:
    return _NOT_LETTERS.sub("", text.casefold())
