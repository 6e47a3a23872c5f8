"""Hypothesis strategies for text written by strangers: any code point, and the sequences that do harm.

`hostile_text` mixes arbitrary Unicode (lone surrogates, controls and
noncharacters included) with the pieces an attacker or a broken generator
actually sends: Slack control sequences, HTML entities, bidi overrides,
line-break variants, combining marks, and strings of 100 kB.
"""

from __future__ import annotations

from hypothesis import strategies as st

TOKENS = [
    "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<#C024BE7LR>", "<!subteam^S0614TZR7>",
    "<https://evil.example|click here>", "<!date^1392734382^{date}|Feb 18>", "<mailto:a@b.example|x>",
    "&amp;", "&lt;", "&gt;", "&#1;", "&", "<", ">", "|", "*", "_", "~", "`", "```", "> ", ":skull:",
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200d", "\ufeff", "\u2028", "\u2029",
    "\ud800", "\udfff", "\ud83d", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f",
    "\ufffe", "\uffff", "\U0010ffff", "\U0001f600", "e\u0301", "\u0915\u094d\u200d", "\r\n", "\r", "\n",
    "\t", " ", "   ", "javascript:alert(1)", "https://news.example/a b|c", "]]>", "</title>", "<html>",
    "<!DOCTYPE html>", "<body>", "<!--", "<script>", "&#x110000;", "&#xD800;", "&#0;",
]
ANY_CHAR = st.characters(exclude_categories=())  # every code point, surrogates included

short_text = st.text(ANY_CHAR, max_size=40)
_piece = st.one_of(st.sampled_from(TOKENS), st.text(ANY_CHAR, max_size=6))
token_text = st.lists(_piece, max_size=16).map("".join)
long_text = st.builds(lambda unit, n: (unit * (n // len(unit) + 1))[:n],
                      st.lists(st.one_of(st.sampled_from(TOKENS), st.text(ANY_CHAR, min_size=1, max_size=6)),
                               min_size=1, max_size=16).map("".join),
                      st.integers(min_value=2_000, max_value=100_000))
hostile_text = st.one_of(short_text, token_text, token_text, long_text)
