"""Plain text of a feed field's HTML: the plain-text shortcut reads as lxml would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from worker.html_text import html_to_text


def _through_lxml(text: str) -> str:
    """What the parse gives for a field: the same text, wrapped in an element, as markup."""
    return html_to_text(f"<span>{text}</span>") if text.strip() else ""


@given(st.text(alphabet=st.characters(blacklist_characters="<&"), max_size=200))
def test_text_without_markup_reads_as_through_the_parser(text: str) -> None:
    assert html_to_text(text) == _through_lxml(text)


def test_markup_and_entities_still_go_through_the_parser() -> None:
    assert html_to_text("Fire &amp; flood<br>in <b>Cox's Bazar</b>") == "Fire & flood\nin Cox's Bazar"
    assert html_to_text("  Quake\r\n  hits   coast \n\n") == "Quake\nhits coast"
