"""Passages the precise extraction lost next to the story, taken back from the recall-mode extraction.

trafilatura's precise mode picks one container of the page as the story's;
a lead paragraph in a sibling container ("story-teaser" above
"story-body") is lost, with the names in it, though the text is as long as
recall mode's and no length rule can tell. The test is cheap and runs on
every page: a paragraph of the page of `LOST_CHARS` or more that the body
does not hold, with a block of the body among the `REACH` text elements
after it (`lost`: the lead, or a passage between two). Only then is the
page extracted in recall mode too, and recall's paragraphs with those keys
are put into the precise body (`restore`), before the block that follows
them in recall's order. None go after the body's last block, where long
paragraphs are author bios and comments more often than story, and
recall's other additions (menus, comment rules, teasers) stay out: a
passage must be long in the page, before a block of the story, and text to
trafilatura.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from worker.extract.pagekeys import element_key, following, letters

LOST_CHARS = 200  # shorter text beside the story is a byline, a share bar or a teaser, not a passage
REACH = 3  # text elements of the page after a lost passage in which a block of the body must start
_LONG = etree.XPath("//p[string-length() >= $chars]")
_NOT_STORY = ("footer", "nav", "aside", "figure")  # paragraphs under these are not passages of the story


def lost(body: etree._Element, page: etree._Element) -> set[str]:
    """The keys of the page's long paragraphs before blocks of the body that the body does not hold.

    Cheap on most pages: the long paragraphs are found in C, and only the few
    missing from the body are looked at, with the text elements around them.
    """
    long = _LONG(page, chars=LOST_CHARS)
    if not long:
        return set()
    held = {element_key(child) for child in body} - {""}
    missing = {element: found for element in long if (found := element_key(element)) and found not in held}
    missing = {element: found for element, found in missing.items()
               if _before_a_block(element, held) and _passage(element)}
    if not missing:
        return set()
    text = letters("".join(body.itertext()))  # a passage trafilatura joined to another block is held
    return {found for found in missing.values() if found not in text}


def _before_a_block(element: etree._Element, held: set[str]) -> bool:
    """Whether one of the `REACH` text elements after it is a block of the body."""
    return any(element_key(near) in held for near in following(element, REACH))


def _passage(element: etree._Element) -> bool:
    """Not in a footer, aside or caption (captions come back by `captions`), and long without its spaces."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _NOT_STORY or "aption" in (ancestor.get("class") or ""):
            return False
    return len(" ".join("".join(element.itertext()).split())) >= LOST_CHARS


def restore(body: etree._Element, recall: etree._Element, keys: set[str]) -> int:
    """Put copies of recall's paragraphs with these keys into the precise body; how many were put in."""
    anchors = {found: child for child in body if (found := element_key(child))}
    pending: list[etree._Element] = []
    restored = 0
    for child in recall:
        found = element_key(child)
        if found in anchors:
            for passage in pending:
                anchors[found].addprevious(passage)
            restored, pending = restored + len(pending), []
        elif found in keys and child.tag == "p":
            pending.append(deepcopy(child))
    return restored  # after the body's last block recall's long paragraphs are bios and comments
