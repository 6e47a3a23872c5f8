"""Names that start with an article, found where a preposition fused with it (au Caire, al Cairo)."""

from __future__ import annotations

import pytest

from tests.match.conftest import small_config
from tests.match.test_inflection import article, found
from worker.match.contractions import RULE, fused
from worker.match.matcher import Matcher


def test_an_article_s_fused_forms_each_with_its_language() -> None:
    forms = set(fused("Le Caire"))
    assert {("du Caire", "fr"), ("Au Caire", "fr")} <= forms
    assert ("dell'Aquila", "it") in set(fused("L'Aquila"))
    assert ("dell'Aquila", "it") in set(fused("L\u2019Aquila"))
    assert {("al Cairo", "es"), ("del Cairo", "ca")} <= set(fused("El Cairo"))


@pytest.mark.parametrize("phrase", ["Cairo", "Le", "Lebanon", "Los Angeles", "Lagos"])
def test_a_name_without_an_article_has_no_fused_form(phrase: str) -> None:
    assert list(fused(phrase)) == []


@pytest.mark.parametrize(("language", "alias", "text", "form"), [
    ("fr", "Le Caire", "Les ministres se sont retrouvés au Caire mardi.", "au Caire"),
    ("fr", "Le Havre", "Les dockers du Havre ont voté la grève.", "du Havre"),
    ("fr", "Le Caire", "Au Caire, la place était noire de monde.", "Au Caire"),
    ("es", "El Cairo", "Los negociadores viajaron al Cairo el lunes.", "al Cairo"),
    ("it", "La Spezia", "Il traghetto è arrivato alla Spezia in ritardo.", "alla Spezia"),
    ("it", "L'Aquila", "Il sindaco dell\u2019Aquila ha convocato la giunta.", "dell\u2019Aquila"),
    ("pt", "O Cairo", "A comitiva seguiu para o aeroporto e chegou ao Cairo.", "ao Cairo"),
])
def test_a_name_is_found_with_its_article_fused(language: str, alias: str, text: str, form: str) -> None:
    assert found(alias, text, language) == [(form, RULE)]


def test_the_mention_names_the_alias_as_configured() -> None:
    matcher = Matcher.build(small_config([{"id": "cairo", "name": "Cairo", "aliases": ["Le Caire"]}]))
    [entity] = matcher.match(article("La délégation est arrivée au Caire.", "fr")).entities
    assert [(m.text, m.alias, m.rule) for m in entity.mentions] == [("au Caire", "Le Caire", RULE)]


def test_a_fused_form_stands_only_where_the_name_is_written_as_configured() -> None:
    """"alla stampa" is "to the press"; the newspaper is "La Stampa", "alla Stampa" after a preposition."""
    assert found("La Stampa", "Il ministro ha parlato alla stampa ieri.", "it") == []
    assert found("La Stampa", "Il ministro ha scritto alla Stampa ieri.", "it") == [("alla Stampa", RULE)]


@pytest.mark.parametrize("language", ["en", "de", None])
def test_a_fused_form_stands_only_in_its_language(language: str | None) -> None:
    assert found("Le Caire", "The flight au Caire was delayed.", language) == []


@pytest.mark.parametrize("text", ["Les ministres sont au Caire.", "Au Caire, les ministres parlent."])
def test_a_fused_form_found_is_not_also_explained_as_refused(text: str) -> None:
    """Each fused form is a target of its own case (au Caire, Au Caire): the one that does not stand
    where the other does is no refusal worth showing."""
    matcher = Matcher.build(small_config([{"id": "cairo", "name": "Cairo", "aliases": ["Le Caire"]}]))
    result = matcher.match(article(text, "fr"), explain=True)
    assert result.entity_ids == ["cairo"]
    assert result.explanation is not None and result.explanation.refused == []
