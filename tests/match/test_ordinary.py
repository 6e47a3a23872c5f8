"""Names that are an ordinary word of the article's language stand only where written as names."""

from __future__ import annotations

from typing import Any

import pytest

from tests.match.conftest import small_config
from tests.match.test_languages import article, found
from worker.match.matcher import Matcher
from worker.match.ordinary import as_name
from worker.match.sentences import sentence_start

UN = {"aliases": ["Uno"]}  # the German short name of the United Nations, matched in every language


@pytest.mark.parametrize(("text", "at", "first"), [
    ("Uno lo sabe.", 0, True), ("Dijo: «Uno lo sabe».", 7, True), ("Fin. ¿Uno más?", 6, True),
    ("Lo dijo — Uno", 10, False), ("Lo dijo la Uno", 11, False), ("línea\n  Uno", 8, True),
])
def test_a_sentence_starts_after_its_end_and_opening_marks(text: str, at: int, first: bool) -> None:
    assert sentence_start(text, at) is first


@pytest.mark.parametrize(("text", "span", "name"), [
    ("Según la Uno, nada.", (9, 12), True), ("Uno de ellos.", (0, 3), None), ("y uno más", (2, 5), False),
    ("LA UNO DE HOY DICE", (3, 6), None), ("Según la UNO, nada.", (9, 12), True),
])
def test_how_a_word_is_written(text: str, span: tuple[int, int], name: bool | None) -> None:
    assert as_name(text, *span) is name


def test_an_ordinary_word_of_the_language_at_a_sentence_start_is_not_the_name() -> None:
    assert found(UN, "«Uno lo hace para que se valide», dijo el abogado.", "es") == []
    assert found(UN, "Cada uno de los testigos habló.", "es") == []


def test_written_as_a_name_inside_a_sentence_it_stands() -> None:
    assert found(UN, "El informe de la Uno llegó tarde.", "es") == ["Uno"]


def test_a_name_shown_once_is_the_name_at_a_sentence_start_too() -> None:
    text = "Uno publicó el informe. Según la Uno, faltan fondos."
    assert found(UN, text, "es") == ["Uno", "Uno"]


def test_the_title_shows_a_name_for_the_body() -> None:
    matcher = Matcher.build(small_config([{"id": "x", "name": "Xylophone", **UN}]))
    item = article("Uno pide calma en la frontera.", "es").model_copy(update={"title": "Informe de la Uno"})
    assert [m.text for e in matcher.match(item).entities for m in e.mentions] == ["Uno", "Uno"]


@pytest.mark.parametrize(("entity", "text", "language", "words"), [
    (UN, "Die Uno warnt. Uno-Generalsekretär spricht.", "de", ["Uno", "Uno"]),  # not a German word
    (UN, "Uno lo hace.", None, ["Uno"]),  # no language known: nothing to judge by
    ({"aliases_by_language": {"es": ["Podemos"]}}, "Podemos gobernar, dijo.", "es", ["Podemos"]),
    ({"case_sensitive_aliases": ["Onu"]}, "Onu gördüm. Ali onu aradı.", "tr", []),
    # the most common words of Turkish and Italian news, and names: a town of the language's countries
    ({"aliases": ["Ankara"]}, "Ankara'da toplantı yapıldı.", "tr", ["Ankara"]),
    ({"aliases": ["Milano"]}, "Milano si prepara.", "it", ["Milano"]),
])
def test_only_the_articles_own_ordinary_words_are_judged(entity: dict[str, Any], text: str,
                                                         language: str | None, words: list[str]) -> None:
    assert found(entity, text, language) == words


def test_an_explanation_says_why_the_word_was_turned_down() -> None:
    matcher = Matcher.build(small_config([{"id": "x", "name": "Xylophone", **UN}]))
    result = matcher.match(article("Uno lo hace.", "es"), explain=True)
    assert result.explanation is not None
    reasons = [refusal.reason for _, refusal in result.explanation.refused]
    assert reasons == ["'Uno' is the ordinary Spanish word 'uno', and here it starts a sentence, where a "
                       "capital proves nothing; it stands where the article writes it with a capital "
                       "inside a sentence"]


@pytest.mark.parametrize(("entity", "text", "language", "words"), [
    ({"aliases": ["China"]}, "She packed the china plates. China said it would reply.", "en", ["China"]),
    ({"aliases": ["Chile"]}, "Le añadieron chile a la salsa; Chile exporta cobre.", "es", ["Chile"]),
    ({"aliases": ["Peru"]}, "O peru assado saiu do forno.", "pt", []),
    ({"aliases": ["Nice"]}, "A nice day in Nice.", None, ["Nice"]),
    ({"aliases": ["Port Authority"]}, "The port authority of the town met the Port Authority.", "en",
     ["Port Authority"]),
    # a host name, a handle, a tag or a path is written in lower case by custom
    ({"aliases": ["Twitter"]}, "Posted at pic.twitter.com/x1 and twitter.com by @twitter, #twitter.", "en",
     ["twitter", "twitter", "twitter", "twitter"]),
    # a text without capitals says nothing by its case; nor does a phrase the user wrote in lower case
    ({"aliases": ["China"]}, "china raised tariffs on steel", "en", ["china"]),
    ({"aliases": ["acme"]}, "The acme of the season.", "en", ["acme"]),
    # scripts without case are not judged by it, nor are names written with a capital anywhere in them
    ({"aliases": ["Россия"]}, "Россия и сша.", "ru", ["Россия"]),
    ({"aliases": ["Deutschland"]}, "Die Reise nach DEUTSCHLAND.", "de", ["DEUTSCHLAND"]),
])
def test_a_name_in_lower_case_in_a_text_with_capitals_is_an_ordinary_word(
        entity: dict[str, Any], text: str, language: str | None, words: list[str]) -> None:
    assert found(entity, text, language) == words


def test_an_explanation_says_the_name_was_in_lower_case() -> None:
    matcher = Matcher.build(small_config([{"id": "x", "name": "Xylophone", "aliases": ["China"]}]))
    result = matcher.match(article("A china plate broke.", "en"), explain=True)
    assert result.explanation is not None and not result.entities
    assert [r.reason for _, r in result.explanation.refused] == [
        "written 'china', in lower case in a text that writes names with capitals: an ordinary word, not "
        "the name 'China'"]
