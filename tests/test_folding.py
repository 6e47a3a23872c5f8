"""Folding for matching, and the way from a folded span back to the original text."""

from __future__ import annotations

import re

import pytest

from worker.folding import case_key, fold, phrase_key, phrase_keys


def tokens(text: str) -> list[tuple[str, str]]:
    """(folded token, original words) for every token of `text`."""
    folded = fold(text)
    out = []
    for match in re.finditer(r"\S+", folded.text):
        start, end = folded.original_span(match.start(), match.end())
        out.append((match.group(), text[start:end]))
    return out


def test_ascii_folds_one_for_one_and_is_padded() -> None:
    folded = fold("IS fighters, (al-Bab) & T4-airbase.")
    assert folded.text == " is fighters   al bab    t4 airbase  "
    assert len(folded.text) == len("IS fighters, (al-Bab) & T4-airbase.") + 2
    assert folded.anchors == ()


def test_typography_is_punctuation_like_any_other() -> None:
    typographic = "IS\u2019 \u201cthreat\u201d \u2013 \u00abnow\u00bb\u2026"
    assert fold(typographic).text == fold("IS' \"threat\" - 'now'.").text


@pytest.mark.parametrize(("written", "folded"), [
    ("Erdoğan", "erdogan"), ("ERDOĞAN", "erdogan"), ("Türkiye", "turkiye"), ("Nestlé", "nestle"),
    ("Øresund", "oresund"), ("Łódź", "lodz"), ("Straße", "strasse"), ("ﬁnal", "final"), ("Æsir", "aesir"),
    ("İstanbul", "istanbul"), ("Pal\u00admyra", "palmyra"), ("cafe\u0301", "cafe"), ("Ｐａｒｉｓ", "paris"),
])
def test_diacritics_case_and_compatibility_forms_fold(written: str, folded: str) -> None:
    assert tokens(written) == [(folded, written)]


def test_spans_map_back_across_expansions_and_deletions() -> None:
    text = "Die Straße \ufb01el, cafe\u0301 Pal\u00admyra ½ Aleppo"
    assert tokens(text) == [("die", "Die"), ("strasse", "Straße"), ("fiel", "\ufb01el"),
                            ("cafe", "cafe\u0301"), ("palmyra", "Pal\u00admyra"), ("1", "½"), ("2", "½"),
                            ("aleppo", "Aleppo")]


def test_scripts_other_than_latin_keep_their_letters_and_marks() -> None:
    assert tokens("Путин и Ердоган") == [("путин", "Путин"), ("и", "и"), ("ердоган", "Ердоган")]
    assert phrase_key("मोदी") == "मोदी"  # Devanagari vowel signs are part of the word


def test_underscore_joins_words() -> None:
    assert tokens("@US_Army") == [("us_army", "US_Army")]


def test_phrase_keys_give_the_plain_and_the_written_form() -> None:
    assert phrase_key("U.S.-led") == "u s led"
    assert phrase_keys("Atlanta, Georgia") == {"atlanta georgia", "atlanta  georgia"}
    assert phrase_keys("Palmyra") == {"palmyra"}
    assert phrase_keys("\u2014 !") == set()


def test_case_key_keeps_case_and_accents_and_drops_punctuation() -> None:
    assert case_key("IS\u2019") == "IS"
    assert case_key("Alphabet  Inc.") == "Alphabet Inc"
    assert case_key("ERDOĞAN") == "ERDOĞAN" == case_key("ERDOG\u0306AN")  # as written, however composed
    assert case_key("AŞ") != case_key("AS")
    assert case_key("is") != case_key("IS")


@pytest.mark.parametrize(("written", "plain"), [
    ("دِمَشْقَ", "دمشق"),  # harakat
    ("دمـــشق", "دمشق"),  # tatweel
    ("أحمد", "احمد"), ("إسرائيل", "اسرائيل"), ("آمال", "امال"), ("ٱلله", "الله"),  # alef forms
    ("السيسى", "السيسي"),  # alef maqsura, as Egyptian text writes a final yeh
    ("حماة", "حماه"),  # ta marbuta
    ("کرمانشاہ", "كرمانشاه"), ("ایران", "ايران"),  # Persian and Urdu letters
    ("יְרוּשָׁלַיִם", "ירושלים"), ("בְּרֵאשִׁ֖ית", "בראשית"),  # niqqud, cantillation
    ("٢٠٢٤", "2024"), ("۱۴۰۳", "1403"),  # digits of every script
])
def test_optional_marks_and_interchangeable_letters_fold_away(written: str, plain: str) -> None:
    assert tokens(written) == [(plain, written)]
    assert phrase_key(written) == phrase_key(plain)


def test_hamza_on_waw_and_yeh_is_spelling() -> None:
    assert phrase_key("مسؤول") != phrase_key("مسوول")
    assert phrase_key("رئيس") != phrase_key("رييس")


def test_spans_map_back_across_many_vowel_marks() -> None:
    text = "قَالَ الرَّئِيسُ فِي دِمَشْقَ: سُورِيَا"
    assert [words for _, words in tokens(text)] == ["قَالَ", "الرَّئِيسُ", "فِي", "دِمَشْقَ", "سُورِيَا"]


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("美國", "美国"), ("聯合國", "联合国"), ("臺灣", "台湾"), ("東京都", "东京都"), ("經濟會議", "经济会议"),
])
def test_traditional_chinese_folds_to_simplified(traditional: str, simplified: str) -> None:
    assert fold(traditional).text == fold(simplified).text
    assert len(fold(traditional).text) == len(traditional) + 2  # one for one: spans stay put
