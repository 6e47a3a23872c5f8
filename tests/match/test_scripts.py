"""Where a name begins and ends, by script: unspaced scripts, Korean particles, Arabic and Hebrew prefixes."""

from __future__ import annotations

import pytest

from worker.folding import fold, phrase_key
from worker.match.automaton import Kind, PhraseAutomaton, Target
from worker.match.scripts import boundary, keys, script


def found(alias: str, text: str, language: str | None = None) -> list[str]:
    """The words of `text` where `alias` is found, as written."""
    automaton, _ = PhraseAutomaton.build([(alias, Target.of(Kind.ENTITY, 0, alias))])
    folded = fold(text)
    return [text[slice(*folded.original_span(h.start, h.end))]
            for h in automaton.scan(folded, language=language).entities]


def test_scripts_of_characters() -> None:
    assert [script(c) for c in "a北ハはก서د\u05d0яनব"] == [
        None, "Han", "Katakana", "Hiragana", "Thai", "Hangul", "Arabic", "Hebrew", None, "Devanagari",
        "Bengali"]


def test_latin_names_keep_whole_token_keys() -> None:
    assert keys(phrase_key("Paris")) == [(" paris ", None)]
    assert boundary("paris") is None


def test_a_mixed_name_takes_each_side_from_its_own_script() -> None:
    [(key, rule)] = keys(phrase_key("G20峰会"))
    assert key == " g20峰会" and rule is not None
    assert found("G20峰会", "出席G20峰会的领导人") == []  # "G" must start a token
    assert found("G20峰会", "出席 G20峰会的领导人") == ["G20峰会"]


@pytest.mark.parametrize(("alias", "text"), [
    ("北京", "我在北京工作"), ("北京", "新华社北京4月24日电"), ("马克龙", "法国总统马克龙表示"),
    ("ハマス", "イスラエルとハマスの戦闘"), ("東京", "東京都で地震があった"),
    ("กรุงเทพ", "ฝนตกหนักในกรุงเทพเมื่อวานนี้"), ("ရန်ကုန်", "ရန်ကုန်မြို့တွင်"),
])
def test_unspaced_scripts_match_inside_a_run(alias: str, text: str) -> None:
    assert found(alias, text) == [alias]


@pytest.mark.parametrize(("alias", "text"), [
    ("ハマス", "新しいハマスターを買った"),  # a Katakana word that holds the name
    ("京", "北京大学"),  # one Han character inside a word
    ("ไทย", "ไทยา"),  # ends before a vowel of its own last syllable
    ("นา", "เนาะ"),  # would start after a vowel written before its consonant
])
def test_unspaced_names_do_not_fire_inside_another_word(alias: str, text: str) -> None:
    assert found(alias, text) == []


@pytest.mark.parametrize(("alias", "text"), [
    ("太平", "他家在太平山的半山腰"), ("印度", "航母驶入印度洋"), ("亚马逊", "沿着亚马逊河航行三天"),
    ("富士", "今朝は富士山がよく見えた"),
])
def test_a_han_name_before_a_mountain_or_river_names_that_feature(alias: str, text: str) -> None:
    assert found(alias, text) == []


@pytest.mark.parametrize(("alias", "text"), [
    ("中国", "中国山东省发生地震"), ("中国", "中国河北的工厂"), ("北京", "北京市政府发布通知"),
    ("太平", "马来西亚太平市的居民"),
])
def test_a_han_name_before_a_province_or_a_city_word_stands(alias: str, text: str) -> None:
    assert found(alias, text) == [alias]


def test_one_han_character_stands_alone() -> None:
    assert found("京", "京、津、冀三地") == ["京"]


@pytest.mark.parametrize("text", ["서울에서 열린 회의", "서울의 날씨", "서울은 맑다", "서울로 갔다",
                                  "서울에서는", "서울시는 발표했다", "서울시 대변인", "서울정부가"])
def test_korean_names_stand_before_particles(text: str) -> None:
    assert found("서울", text) == ["서울"]


@pytest.mark.parametrize("text", ["서울대 교수", "신서울 아파트"])
def test_korean_names_do_not_stand_inside_other_words(text: str) -> None:
    assert found("서울", text) == []


@pytest.mark.parametrize(("alias", "text", "language"), [
    ("काठमाडौं", "प्रधानमन्त्री आज काठमाडौंमा बैठक बस्नुभयो ।", "ne"),
    ("नेपाल", "नेपालको अर्थतन्त्र सुस्त छ", "ne"), ("नेपाल", "नेपालसँगको सीमा खुला छ", "ne"),
    ("भारत", "भारतबाट आयात घट्यो", None), ("गांधी", "गांधीजी ने कहा था", "hi"),
    ("दिल्ली", "वह कल दिल्लीमें था", "hi"), ("मुंबई", "ते उद्या मुंबईला जाणार आहेत", "mr"),
    ("भारत", "भारताचा संघ जिंकला", "mr"), ("তৃণমূল", "তৃণমূলের নেতা বললেন", "bn"),
    ("ঢাকা", "ঢাকায়ে বৃষ্টি হয়েছে", "bn"), ("মমতা", "দল মমতাকে সমর্থন করে", "bn"),
    ("ভারত", "ভারতেই খেলা হবে", "bn"), ("গুৱাহাটী", "গুৱাহাটীত সভা হ'ব", "as"),
    ("नेपाल", "नेपाल सरकार", "ne"),
])
def test_indic_names_stand_before_their_postpositions(alias: str, text: str, language: str | None) -> None:
    assert found(alias, text, language=language) == [alias]


@pytest.mark.parametrize(("alias", "text", "language"), [
    ("नेपाल", "नेपाली भाषा", "ne"), ("नेपाल", "नेपालगन्ज विमानस्थल", "ne"), ("बारा", "बाराती आए", "hi"),
    ("बारा", "पोखरामा वर्षा भयो", "ne"), ("भारत", "भारत्", None), ("ভারত", "ভারতীয় দল", "bn"),
    ("ভারত", "মহাভারতের গল্প", "bn"), ("জুনি", "জুনিয়র দল", "bn"),  # one Bengali ending, not two
])
def test_indic_names_do_not_stand_inside_other_words(alias: str, text: str, language: str | None) -> None:
    assert found(alias, text, language=language) == []


def test_indic_endings_are_the_article_language_s() -> None:
    assert found("बारा", "बारामा बाढी", language="ne") == ["बारा"]
    assert found("बारा", "बारामा बाढी", language="hi") == []  # not a Hindi ending
    assert found("बारा", "बारात निकली", language="hi") == []  # a Hindi word, though Marathi's locative
    assert found("बारा", "बारात पूर आला", language="mr") == ["बारा"]
    assert found("बारा", "बारामा बाढी", language="en") == []
    assert found("बारा", "in बारा district", language="en") == ["बारा"]


@pytest.mark.parametrize("text", ["في دمشق", "ودمشق", "بدمشق", "لدمشق", "وبدمشق", "فدمشق"])
def test_arabic_prefixes_do_not_hide_a_name(text: str) -> None:
    assert found("دمشق", text) == ["دمشق"]


def test_arabic_article_and_preposition_lam() -> None:
    assert found("القاهرة", "وصل إلى القاهرة وبالقاهرة وللقاهرة") == ["القاهرة", "القاهرة", "لقاهرة"]


@pytest.mark.parametrize("text", ["مدمشق", "كدمشقي", "تدمشق"])
def test_arabic_names_do_not_stand_after_other_letters(text: str) -> None:
    assert found("دمشق", text) == []


def test_arabic_prefixes_are_arabic_only() -> None:
    assert found("دمشق", "بدمشق", language="ar") == ["دمشق"]
    assert found("دمشق", "بدمشق", language="fa") == []
    assert found("دمشق", "در دمشق", language="fa") == ["دمشق"]


@pytest.mark.parametrize("text", ["בירושלים", "וירושלים", "מירושלים", "ובירושלים", "שבירושלים", "ירושלים"])
def test_hebrew_prefixes_do_not_hide_a_name(text: str) -> None:
    assert found("ירושלים", text, language="he") == ["ירושלים"]


def test_hebrew_names_do_not_stand_after_other_letters() -> None:
    assert found("רון", "אהרון", language="he") == []


@pytest.mark.parametrize(("alias", "text", "words"), [
    ("CNN", "据CNN报道，会谈结束", ["CNN"]), ("Apple", "米Appleは新製品を発表", ["Apple"]),
    ("CNN", "CNN报道", ["CNN"]), ("CNN", "据 CNN 报道", ["CNN"]), ("CNN", "据CNNX报道", []),
])
def test_latin_names_stand_beside_unspaced_scripts(alias: str, text: str, words: list[str]) -> None:
    assert found(alias, text) == words


def test_a_simplified_name_is_found_in_traditional_text_and_back() -> None:
    assert found("美国", "美國國務卿抵達臺北") == ["美國"]
    assert found("臺灣", "台湾海峡局势紧张") == ["台湾"]
