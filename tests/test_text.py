"""The one gate for text from strangers: what it replaces, drops and caps, and that it is a fixed point."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import hostile_text
from worker.text import ELLIPSIS, clean, refuse_unclean, shorten

PLANES = range(0, 0x110000, 0x10000)
INVALID = set(range(0xD800, 0xE000)) | set(range(0xFDD0, 0xFDF0)) | {p | 0xFFFE for p in PLANES} \
    | {p | 0xFFFF for p in PLANES}
DROPPED = (set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0D}) | set(range(0x7F, 0xA0)) \
    | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x2070)) | {0xFEFF}


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("a\x01b\x08c\x0bd\x1be\x00f\x7fg\x85h", "abcdefgh"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("dos\r\nmac\rline\u2028para\u2029", "dos\nmac\nline\npara\n"),
    ("abc\u202edef\u2066g\u2069\u202a", "abcdefg"),
    ("lone \ud800 and \udfff", "lone \ufffd and \ufffd"),
    ("\ud83d\ude00 split pair", "\U0001f600 split pair"),
    ("non\ufffe\uffff\ufdd0\U0001fffe", "non\ufffd\ufffd\ufffd\ufffd"),
    ("emoji \U0001f600 beside \U0010ffff", "emoji \U0001f600 beside \ufffd"),
    ("\ufeffBOM glued", "BOM glued"),
    ("\u200d\u200c\u200e\u200f\u061c stay", "\u200d\u200c\u200e\u200f\u061c stay"),
    ("صباح الخير", "صباح الخير"),
])
def test_clean(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_a_cap_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("Port workers end strike after pay deal", 20) == "Port workers end…"
    assert shorten("short", 20) == "short"
    assert shorten("x" * 50, 10) == "x" * 9 + ELLIPSIS  # no word boundary: cut mid-word
    assert shorten("cafe\u0301 " * 3 + "cafe\u0301cafe\u0301", 21).endswith(ELLIPSIS)
    assert "\u0301" != shorten("abcdefghie\u0301", 10)[-2]  # never a mark torn from its letter


@given(hostile_text, st.one_of(st.none(), st.integers(min_value=1, max_value=5_000)))
def test_clean_text_is_valid_visible_capped_and_a_fixed_point(raw: str, limit: int | None) -> None:
    out = clean(raw, limit)
    out.encode("utf-8")  # no surrogate left
    json.loads(json.dumps(out, ensure_ascii=False))
    assert not {ord(c) for c in out} & (INVALID | DROPPED | {0x0D, 0x2028, 0x2029})
    assert limit is None or len(out) <= limit
    assert clean(out, limit) == out
    refuse_unclean(limit)(out)


def test_records_refuse_what_clean_would_change() -> None:
    check = refuse_unclean(10)
    with pytest.raises(ValueError, match="worker.text.clean"):
        check("title\x01")
    with pytest.raises(ValueError, match="over 10 characters"):
        check("a much longer title")
    assert check("fine") == "fine"
