"""The endings Indian and Nepali languages attach to a name, per language."""

from __future__ import annotations

from worker.match.postpositions import endings


def test_endings_chain_to_the_end_of_the_word() -> None:
    nepali = endings("Devanagari", "ne")
    assert nepali is not None
    assert nepali.fullmatch("सँगको") and nepali.fullmatch("मा") and not nepali.fullmatch("ी")


def test_an_unknown_language_takes_every_list_of_the_script_and_another_language_none() -> None:
    union = endings("Devanagari", None)
    assert union is not None and union.fullmatch("मा") and union.fullmatch("ाचा")
    assert endings("Devanagari", "en") is None and endings("Bengali", "hi") is None


def test_bengali_endings_match_the_folded_text() -> None:
    bengali = endings("Bengali", "bn")
    assert bengali is not None
    assert bengali.fullmatch("\u09af\u09bc\u09c7\u09b0")  # য়ের as NFKC writes it: য and the nukta
