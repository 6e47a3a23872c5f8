"""Figure captions trafilatura drops, put back as caption blocks where they stand in the story.

A caption describes the story's picture ("The mayor opens the new bridge on
Monday") and names what watchers match on, but trafilatura removes
<figure>, <aside> and every element whose class names a caption before it
looks for the body, in every mode. So the page's own caption markup
(<figcaption>, an element whose class says "caption") is read from the
parsed page, and a caption the extracted text does not already hold
becomes a "caption" block:

- only inside the story: a caption is taken when one of the next `REACH`
  text elements of the page after it is a block of the extracted body (the
  lead picture above the first paragraph, a picture between two). Captions
  of sidebars, teaser grids and galleries after the story are not the story.
- placed before that block, as it stands in the page.
- the innermost caption element, and the credit the page marks in it
  (class "credit", "copyright", "source" or "byline") as a block of its own
  that is a credit (`Caption.credit`): "... a sales tax hike. <span
  class=credit>REUTERS</span>" names the agency that took the picture, not
  one in the story. Unmarked credits ("Photo: Getty Images", "(Daniel
  Obi/Reuters)") are cut off by `blocks` (see `credits`), as in the text
  trafilatura keeps.
A table's <caption> is left to trafilatura, which keeps it with its table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from worker.extract.pagekeys import KEY_CHARS, element_key, following, key, letters

REACH = 6  # text elements of the page after a caption in which a body block must start
MAX_CHARS = 600  # a longer "caption" element is a container the class name misleads about
# one walk of the class attributes ("aption": caption and Caption); a predicate on every element costs
# three times as much, so the few found are checked in Python
_CAPTIONS = etree.XPath("//figcaption | //@class[contains(., 'aption')]/..")
_NOT_CAPTIONS = frozenset({"table", "caption", "nav", "footer"})  # its tag; nav or footer as an ancestor
_VISIBLE_TEXT = etree.XPath(".//text()[not(ancestor::script or ancestor::style)]")
_MARKED_CREDIT = re.compile(r"credit|copyright|source|byline|photographer|courtesy", re.IGNORECASE)
_CREDITS = etree.XPath(".//*[re:test(concat(@class, ' ', @itemprop), $pattern, 'i')]",
                       namespaces={"re": "http://exslt.org/regular-expressions"})


@dataclass(frozen=True, slots=True)
class Caption:
    """A caption's text, and whether the page marks it as the picture's credit."""

    text: str
    credit: bool = False


def by_class(markup: str | bytes) -> bool:
    """Whether the markup says "caption" other than in <figcaption> tags: only then are classes searched."""
    if isinstance(markup, bytes):
        return markup.count(b"aption") > markup.count(b"figcaption")
    return markup.count("aption") > markup.count("figcaption")


def dropped_captions(texts: Sequence[str], page: etree._Element,
                     classes: bool = True) -> dict[int, list[Caption]]:
    """The page's captions missing from the block `texts`, by the index of the block they precede.

    `classes` False (see `by_class`) leaves out the walk of the page's class attributes.
    """
    candidates = _innermost(page, classes)
    if not candidates:
        return {}
    held = letters("".join(texts))
    captions: dict[etree._Element, list[Caption]] = {}
    seen: set[str] = set()
    for element in candidates:
        found = [caption for caption in _split(element) if caption.text not in seen
                 and (found_key := letters(caption.text)[:KEY_CHARS]) and found_key not in held]
        seen.update(caption.text for caption in found)
        if found and sum(len(caption.text) for caption in found) <= MAX_CHARS:
            captions[element] = found
    if not captions:
        return {}
    keys = {block: index for index, text in enumerate(texts) if (block := key(text))}
    before: dict[int, list[Caption]] = {}
    for element, found in captions.items():
        index = next((keys[block] for after in following(element, REACH)
                      if (block := element_key(after)) in keys), None)
        if index is not None:
            before.setdefault(index, []).extend(found)
    return before


def _innermost(page: etree._Element, classes: bool) -> list[etree._Element]:
    """Caption elements holding no other, outside navigation and footers, in the page's order."""
    found = [element for element in (_CAPTIONS(page) if classes else page.iter("figcaption"))
             if element.tag not in _NOT_CAPTIONS
             and not any(ancestor.tag in ("nav", "footer") for ancestor in element.iterancestors())]
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
