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


CHINESE = "德国总理周二表示将继续谈判。普京的讲话令人担忧！他说：“我们会回应。”然后离开了。"


@pytest.mark.parametrize(("text", "word", "sentence"), [
    (CHINESE, "普京", "普京的讲话令人担忧！"), (CHINESE, "回应", "他说：“我们会回应。”"),
    ("首相は会談した。プーチン氏は反論した。", "プーチン", "プーチン氏は反論した。"),
    ("भारत के प्रधानमंत्री ने बातचीत की। पाकिस्तान ने जवाब दिया।", "पाकिस्तान", "पाकिस्तान ने जवाब दिया।"),
    ("وزیر اعظم نے بات کی۔ پاکستان نے جواب دیا۔", "پاکستان", "پاکستان نے جواب دیا۔"),
])
def test_full_stops_of_other_scripts_end_sentences_without_a_space(text: str, word: str,
                                                                   sentence: str) -> None:
    start = text.index(word)
    first, last = sentence_at(text, start, start + len(word))
    assert text[first:last] == sentence
