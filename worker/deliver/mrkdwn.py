"""Feed text as Slack mrkdwn that Slack shows as written and always accepts: escaped, cut, links checked.

Slack reads `<...>` as a control sequence (a link `<url|text>`, a mention
`<@U…>`, `<!channel>`, `<!here>`, a date) and `&amp;`, `&lt;`, `&gt;` as the
characters they name; every other character is literal. So every piece of
text from a feed or page goes through `fit` (or `one_line`), which escapes
`&`, `<` and `>`, and the only control sequences in a message are the ones the
renderer writes: links from `link`, whose URL has been through
`worker.links.safe_link` (no space, `|`, `<` or `>` can be in it), and dates.

Slack's limits, which a message over any of them breaks with `invalid_blocks`
or `msg_blocks_too_long` (a 4xx, so the alert would be a dead letter):

- section text 3,000 characters; section fields at most 10, 2,000 each;
- header (plain text) 150; context at most 10 elements;
- at most 50 blocks; top-level `text` is cut by Slack at 40,000 (4,000 advised);
- all text of one message together: undocumented, refused from about 12,000
  (slackapi/bolt-js#2509, #2867), so Newswatch budgets `MESSAGE_TEXT` = 8,000.

Lengths are counted in UTF-16 code units, which is never less than the
characters Slack counts, so an emoji-heavy title cannot slip past a limit.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker.links import LinkError, safe_link
from worker.text import clean, shorten

SECTION_TEXT = 3_000
FIELD_TEXT = 2_000
MAX_FIELDS = 10
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
TOP_TEXT = 4_000  # Slack's advice for the notification text; Newswatch's own are far shorter
MESSAGE_TEXT = 8_000  # all text of one message, well under the ~12,000 Slack refuses
UNTITLED = "(untitled)"


def size(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units (a character outside the BMP is two)."""
    return len(text) + sum(1 for char in text if char > "\uffff")


def escape(text: str) -> str:
    """Slack's mrkdwn reserves &, < and >; everything else is literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """`text` cleaned and escaped, at most `limit` long once escaped: cut at a word with "…" if need be."""
    return escape(shorten(clean(text), limit, lambda cut: size(escape(cut))))


def one_line(text: str, limit: int) -> str:
    """`fit` for a title, a name or a label: whitespace and line breaks made single spaces."""
    return fit(" ".join(clean(text).split()), limit)


def link(url: str, label: str, limit: int) -> str:
    """`<url|label>` within `limit` when `url` is a safe link, else the label alone; `label` is raw text.

    A label that cleans to nothing reads "(untitled)"; a URL too long to leave
    room for a readable label is left out rather than cut (a cut URL goes nowhere).
    """
    try:
        target = escape(safe_link(url))
    except LinkError:
        target = ""
    room = limit - size(target) - 3
    if not target or room < 20:
        return one_line(label, limit) or UNTITLED
    return f"<{target}|{one_line(label, room) or UNTITLED}>"


def listing(items: Sequence[str], limit: int, empty: str = "–") -> str:
    """Escaped items (each far shorter than `limit`) joined by ", ", "… and N more" when not all fit."""
    reserve = size(f", … and {len(items)} more")
    kept: list[str] = []
    used = 0
    for item in items:
        cost = size(item) + (2 if kept else 0)
        if used + cost > limit - reserve:
            break
        kept.append(item)
        used += cost
    if len(kept) == len(items):
        return ", ".join(kept) or empty
    return ", ".join([*kept, f"… and {len(items) - len(kept)} more"])
