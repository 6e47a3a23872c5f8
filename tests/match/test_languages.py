"""Aliases of one language, and the accents a language tells apart: no name fires on another's word."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.match.conftest import small_config
from worker.match.languages import distinguished
from worker.match.matcher import Matcher
from worker.records import Article


def article(text: str, language: str | None) -> Article:
    return Article(id="test", feed_id="test", url="https://example.test/a", link="https://example.test/a",
                   title="", text=text, source="page", first_seen=datetime.now(UTC), language=language)


def found(entity: dict[str, Any], text: str, language: str | None) -> list[str]:
    matcher = Matcher.build(small_config([{"id": "x", "name": "Xylophone", **entity}]))
    return [m.text for e in matcher.match(article(text, language)).entities for m in e.mentions]


def test_an_alias_of_one_language_matches_only_in_its_articles() -> None:
    turkey = {"aliases_by_language": {"id": ["Turki"]}}
    assert found(turkey, "Presiden Turki bertemu menteri.", "id") == ["Turki"]
    assert found(turkey, "Prince Turki bin Faisal spoke.", "en") == []
    assert found(turkey, "Prince Turki bin Faisal spoke.", None) == []


def test_the_same_phrase_in_many_languages_is_one_alias() -> None:
    italy = {"aliases_by_language": {"it": ["Italia"], "es": ["Italia"]}}
    assert found(italy, "El gobierno de Italia", "es") == ["Italia"]
    assert found(italy, "Il governo dell'Italia", "it") == ["Italia"]
    assert found(italy, "Italia", "de") == []


@pytest.mark.parametrize(("alias", "text", "language"), [
    ("Chine", "Un pull gris chiné.", "fr"), ("Irã", "O presidente irá a Lisboa.", "pt"),
    ("Ira", "O presidente irá a Lisboa.", "pt"), ("Irã", "O Irá de Lisboa", "pt"),
    ("Uber", "Über den Fall berichtete die Zeitung.", "de"),  # typed without accents: a common word
])                                                           # opening a sentence is that word
def test_accents_of_the_articles_language_are_letters(alias: str, text: str, language: str) -> None:
    assert found({"aliases": [alias]}, text, language) == []


@pytest.mark.parametrize(("alias", "text", "language", "words"), [
    ("Chine", "La Chine a annoncé.", "fr", "Chine"),
    ("São Paulo", "Flooding in Sao Paulo", "en", "Sao Paulo"),
    ("Erdoğan", "Erdogan a parlé.", "fr", "Erdogan"), ("Québec", "LE QUEBEC VOTE", "fr", "QUEBEC"),
    ("Irã", "O Irã anunciou.", "pt", "Irã"), ("Chine", "un pull gris chiné", None, "chiné"),
    # an alias typed without accents names the words written with them as a name
    ("Sao Paulo", "A prefeitura de São Paulo anunciou.", "pt", "São Paulo"),
    ("Erdogan", "Cumhurbaşkanı Erdoğan konuştu.", "tr", "Erdoğan"),
    ("Zurich", "Die Stadt Zürich meldet.", "de", "Zürich"),
    ("Erdogan", "Erdoğan dün konuştu.", "tr", "Erdoğan"),  # opening a sentence, but no common word
])
def test_accents_foreign_to_the_language_still_fold(alias: str, text: str, language: str | None,
                                                    words: str) -> None:
    assert found({"aliases": [alias]}, text, language) == [words]


@pytest.mark.parametrize("text", ["El presidente de México viajó.", "El presidente de Mexico viajó.",
                                  "EL PRESIDENTE DE MÉXICO VIAJÓ."])
def test_a_name_of_the_language_that_only_folds_like_the_plain_one_is_one_mention(text: str) -> None:
    """A country's Spanish name "México" folds like its English one: both are aliases, and one
    mention stands wherever both hold."""
    matcher = Matcher.build(small_config([{"id": "mx", "name": "Mexico", "country": "MX"}]))
    [entity] = matcher.match(article(text, "es")).entities
    assert len(entity.mentions) == 1 and entity.score == 2.0


def test_an_acronym_of_a_language_is_matched_as_written() -> None:
    """The country table's Bosnian name for the United States is SAD; "sad" is "now"."""
    united_states = {"aliases_by_language": {"bs": ["SAD"]}}
    assert found(united_states, "Sad je vrijeme za promjene.", "bs") == []
    assert found(united_states, "Predsjednik SAD-a je rekao.", "bs") == ["SAD"]


def test_an_alias_of_the_language_agrees_on_its_accents() -> None:
    iran = {"aliases_by_language": {"pt": ["Irã"]}}
    assert found(iran, "Irá chover amanhã em Lisboa.", "pt") == []
    assert found(iran, "O Irã anunciou.", "pt") == ["Irã"]


@pytest.mark.parametrize(("entity", "text", "language", "words"), [
    ({"aliases": ["إسرائيل"]}, "قالت اسرائيل إن المحادثات مستمرة", "ar", ["اسرائيل"]),  # no hamza
    ({"aliases_by_language": {"fa": ["ایران"]}}, "وزیر خارجه ايران گفت", "fa", ["ايران"]),  # Arabic yeh
])
def test_letters_written_another_way_as_a_rule_are_not_judged(entity: dict[str, Any], text: str,
                                                               language: str, words: list[str]) -> None:
    assert found(entity, text, language) == words


def test_a_case_sensitive_alias_is_matched_with_its_accents() -> None:
    assert found({"case_sensitive_aliases": ["AS"]}, "Koç Holding AŞ hisseleri", "tr") == []
    assert found({"case_sensitive_aliases": ["AS"]}, "Equinor AS reported", "en") == ["AS"]


def test_letters_come_from_the_languages_own_words() -> None:
    french, english = distinguished("fr"), distinguished("en")
    assert french is not None and {"é", "è", "ç"} <= french and "ğ" not in french
    assert english is None
    russian = distinguished("ru")
    assert russian is not None and "й" in russian and "ё" not in russian
    assert distinguished("ar") is None and distinguished("fa") is None
