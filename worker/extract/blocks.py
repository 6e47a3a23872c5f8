"""The blocks of an extracted article: trafilatura's XML body cut into paragraphs, headings, lists, ...

Where a mention stands decides whether it counts (a "Follow her on
Twitter" line is not the story), so the extraction keeps the article's
structure: each top-level element of trafilatura's body becomes one block
with its kind, its plain text (rendered by trafilatura's own `xmltotxt`, so
the article's `text` reads as it always has) and how much of it was link
text. The blocks' texts joined by newlines are the article's `text`, except
where a photo credit ends a block ("... in Montecito. (Kevin Mazur/Getty
Images)", see `credits`): the credit is cut off as a block of its own,
joined by the whitespace that stood before it, so the text is unchanged and
only the credit's mentions go uncounted; a credit line inside a block is cut
out the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree
from trafilatura.xml import xmltotxt

from worker.extract.boilerplate import roles
from worker.extract.captions import dropped_captions
from worker.extract.credits import credits
from worker.records import Block, BlockKind

_KINDS: dict[str, BlockKind] = {
    "p": "paragraph", "div": "paragraph", "ref": "paragraph", "head": "heading", "list": "list",
    "quote": "quote", "table": "table", "code": "code", "graphic": "caption",
}
_CAPTION_HINTS = ("caption", "credit", "photo", "image")
_CREDITED = frozenset({"paragraph", "caption"})  # the kinds a picture's credit can end
_EMBED_HINTS = ("tweet", "instagram", "embed")


@dataclass(frozen=True, slots=True)
class Piece:
    """One block before its place in the text is known: what the classifier reads."""

    kind: BlockKind
    text: str
    link_chars: int  # characters of the block's text inside links
    credit: bool = False  # a picture's credit: the page marks it as one (see `captions`) or reads as one
    gap: str = "\n"  # what stands between the block before and this one in the article's text


def layout(body: etree._Element | None, title: str | None, page: etree._Element | None = None,
           caption_classes: bool = True) -> tuple[str, tuple[Block, ...]]:
    """The article's text and its blocks, each classified as body or boilerplate (see `boilerplate`).

    First blocks that repeat the headline are dropped: the matcher weighs the
    title once, as the title. The parsed `page` gives back the captions
    trafilatura dropped (see `captions`; `caption_classes` is its `by_class`).
    """
    found = pieces(body) if body is not None else []
    while found and title and _same(found[0].text, title):
        found = found[1:]
    if page is not None and found:
        found = with_captions(found, page, caption_classes)
    found = [part for piece in found for part in with_credit(piece)]
    blocks: list[Block] = []
    parts: list[str] = []
    offset = 0
    for piece, role in zip(found, roles(found), strict=True):
        if parts:
            parts.append(piece.gap)
            offset += len(piece.gap)
        blocks.append(Block(kind=piece.kind, start=offset, end=offset + len(piece.text), role=role))
        parts.append(piece.text)
        offset += len(piece.text)
    return "".join(parts), tuple(blocks)


def with_credit(piece: Piece) -> list[Piece]:
    """The block cut where credits end its lines ("... at dusk. (Joshua Roberts/Reuters)"), each a block.

    The cuts fall on the whitespace before a credit and on the line break after
    it, which become the blocks' `gap`s, so the text is the same. The story's
    own material (quotes, tables, code, embedded posts), lists and headings are
    never cut.
    """
    if piece.credit or piece.kind not in _CREDITED:
        return [piece]
    spans = credits(piece.text, caption=piece.kind == "caption")
    if not spans:
        return [piece]
    text, found, done, gap = piece.text, [], 0, piece.gap
    for start, end in spans:
        head = text[done:start].rstrip()
        if head:
            found.append(Piece(piece.kind, head, min(piece.link_chars, len(head)), gap=gap))
            gap = text[done + len(head):start]
        found.append(Piece(piece.kind, text[start:end], 0, credit=True, gap=gap))
        done, gap = end + 1, "\n"
    if rest := text[done:]:
        found.append(Piece(piece.kind, rest, 0, gap=gap))
    return found


def _same(text: str, title: str) -> bool:
    return " ".join(text.split()).casefold() == " ".join(title.split()).casefold()


def with_captions(found: list[Piece], page: etree._Element, classes: bool = True) -> list[Piece]:
    """The blocks with the captions trafilatura dropped from the page, each before the block it precedes."""
    before = dropped_captions([piece.text for piece in found], page, classes)
    return [new for index, piece in enumerate(found) for new in
            (*(Piece("caption", caption.text, 0, credit=caption.credit) for caption in before.get(index, ())),
             piece)]


def pieces(body: etree._Element) -> list[Piece]:
    """The blocks of trafilatura's body element, in order; empty ones left out. Consumes the body's links."""
    found = []
    for element in body:
        kind = kind_of(element)
        if element.tag == "ref":  # a bare link at the top level: its text is the block's
            element.tag = "p"
            link_chars = len("".join(element.itertext()))
        else:
            link_chars = sum(len("".join(ref.itertext())) for ref in element.iter("ref"))
        etree.strip_tags(element, "ref")
        text = xmltotxt(element, include_formatting=False).strip()
        if text:
            found.append(Piece(kind, text, link_chars))
    return found


def kind_of(element: etree._Element) -> BlockKind:
    """The block kind of a top-level element; a paragraph whose class names a caption is one."""
    kind = _KINDS.get(str(element.tag), "paragraph")
    hints = (element.get("class") or "").lower()
    if kind == "code" and any(hint in hints for hint in _EMBED_HINTS):
        return "embed"
    if kind == "paragraph" and any(hint in hints for hint in _CAPTION_HINTS):
        return "caption"
    return kind
