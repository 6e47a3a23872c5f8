"""Which block of an article's body a mention stands in, and whether that block counts.

The extract stage cuts the body into blocks and marks the boilerplate ones
(follow lines, bios, related lists...; see `worker.extract.boilerplate`). A
mention there is kept for explanations but counts towards nothing. An
article with no blocks (feed text, plain text, an older extract stage) is
all body.
"""

from __future__ import annotations

import bisect

from worker.records import Article, Block, BlockRole

REASONS: dict[BlockRole, str] = {
    "body": "", "follow": "in a follow line", "contact": "in a contact line", "bio": "in an author bio",
    "related": "in a related-stories list", "promo": "in a newsletter or subscription promo",
    "credit": "in a photo or reporting credit",
}


class Layout:
    """The blocks of one article's body, searchable by character offset."""

    def __init__(self, article: Article) -> None:
        self.blocks = article.blocks
        self._starts = [block.start for block in article.blocks]

    def at(self, offset: int) -> Block | None:
        """The block holding the body offset, or None when the article has no blocks."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.blocks[index] if index >= 0 else None


def not_counted(role: BlockRole) -> str:
    """Why a mention in a block of this role is not counted, as `newswatch match` says it."""
    return f"not counted: {REASONS[role]}"
