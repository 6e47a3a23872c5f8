"""Feed text as Slack mrkdwn that Slack shows as written and always accepts: escaped, cut, links checked.

Slack reads `<...>` as a control sequence (a link `<url|text>`, a mention
`<@U…>`, `<!channel>`, `<!here>`, a date) and `&amp;`, `&lt;`, `&gt;` as the
characters they name. So every piece of text from a feed or page goes through
`fit` (or `one_line`), which escapes `&`, `<` and `>`, and the only control
sequences in a message are the ones the renderer writes: links from `link`,
whose URL has been through `worker.links.safe_link` (no space, `|`, `<` or `>`
can be in it), and dates.

Slack also reads `*bold*`, `_italic_`, `~strike~`, `` `code` `` and a line
that starts with `>` (a quote), and mrkdwn has no escape for them (a backslash
is shown, and formats all the same). Data is never markup, whether a feed or
the config wrote it ("E*Trade", "ops_eu_west"), so:

- a text object that holds only data is `plain_text` (`plain`): Slack shows it
  exactly, so it is copied and searched as written. The evidence quote and a
  feed-health notice's details are.
- data beside the renderer's markup (a title inside its link, names in a
  list, the notification line) must be mrkdwn, and there `literal` replaces
  `*`, `_`, `~` and `` ` `` with characters of the same look that Slack does
  not read (∗ ˍ ∼ ˋ), and puts a soft hyphen before a `>` that starts a line.
  Zero-width spaces are not used: Slack takes one as a word boundary, so
  around a `*` it makes bold where there was none (jsx-slack's "exact mode"
  relies on it), and nothing can go inside a link's label but characters.

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

import re
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
SOFT_HYPHEN = "\u00ad"  # invisible unless a line breaks there; before `>`, the line no longer starts with it
_LOOKALIKES = str.maketrans({"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"})
_QUOTE_START = re.compile(r"(?m)^&gt;")


def size(text: str) -> int:
    """Length as Slack may count it: UTF-16 code units (a character outside the BMP is two)."""
    return len(text) + sum(1 for char in text if char > "\uffff")


def escape(text: str) -> str:
    """Slack's mrkdwn reserves &, < and > for its control sequences."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(text: str) -> str:
    """`text` escaped, and its formatting characters made ones Slack shows but does not format."""
    return _QUOTE_START.sub(SOFT_HYPHEN + "&gt;", escape(text).translate(_LOOKALIKES))


def fit(text: str, limit: int) -> str:
    """`text` cleaned and made `literal`, at most `limit` long so: cut at a word with "…" if need be."""
    return literal(shorten(clean(text), limit, lambda cut: size(literal(cut))))


def plain(text: str, limit: int) -> dict[str, object]:
    """A `plain_text` object of `text` cleaned, on one line, cut at a word to `limit`: shown exactly."""
    return {"type": "plain_text", "text": shorten(" ".join(clean(text).split()), limit, size), "emoji": False}


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
