"""Sentences around a span, and snippets."""

from __future__ import annotations

import pytest

from worker.match.sentences import context, sentence_at

TEXT = ('Gen. Smith spoke first. The U.S. envoy met J. Doe in Palmyra! "IS fighters captured it," '
        "he said.\nA new paragraph starts here? Yes. Prices rose 3.5 percent.")


@pytest.mark.parametrize(("word", "sentence"), [
    ("Smith", "Gen. Smith spoke first."),
    ("envoy", "The U.S. envoy met J. Doe in Palmyra!"),
    ("captured", '"IS fighters captured it," he said.'),
    ("paragraph", "A new paragraph starts here?"),
    ("Yes", "Yes."),
    ("percent", "Prices rose 3.5 percent."),
])
def test_sentence_at(word: str, sentence: str) -> None:
    start = TEXT.index(word)
    first, last = sentence_at(TEXT, start, start + len(word))
    assert TEXT[first:last] == sentence


def test_a_sentence_without_end_is_cut_at_a_readable_length() -> None:
    text = "word " * 1000
    first, last = sentence_at(text, 2500, 2504)
    assert 0 < first < 2500 < last < len(text)


def test_context_cuts_at_spaces_and_marks_what_it_leaves_out() -> None:
    start = TEXT.index("Palmyra")
    assert context(TEXT, start, start + 7, 30) == '\u2026J. Doe in Palmyra! "IS\u2026'
    assert context(TEXT, 0, 4, 400) == " ".join(TEXT.split())
    assert context(TEXT, start, start + 7, 30, mark=("[", "]")).count("[Palmyra]") == 1


def test_context_stays_within_its_bounds() -> None:
    start = TEXT.index("captured")
    first, last = sentence_at(TEXT, start, start + 8)
    assert context(TEXT, start, start + 8, 1000, first, last) == '"IS fighters captured it," he said.'
