"""Which aliases are ordinary words where they are matched: towns and regions are names."""

from __future__ import annotations

import pytest

from worker.config.collisions import collision, ordinary_in


@pytest.mark.parametrize(("alias", "language"), [("Ankara", "tr"), ("Milano", "it"), ("Porto", "pt"),
                                                 ("Bayern", "de")])
def test_a_town_or_region_of_the_languages_countries_is_a_name(alias: str, language: str) -> None:
    assert ordinary_in(alias, language) is None
    assert collision(alias, None) is None


def test_an_ordinary_word_is_one_in_its_language_only() -> None:
    assert ordinary_in("Uno", "es") == "is the ordinary Spanish word 'uno'"
    assert ordinary_in("Uno", "de") is None
    assert ordinary_in("Uno", "ja") is None  # another script: never a Japanese word


def test_an_english_word_stays_a_word_where_a_town_is_named_after_it() -> None:
    assert collision("Reading", None) == "is the ordinary English word 'reading'"


def test_a_word_that_only_folds_like_the_alias_is_left_to_the_accent_rule() -> None:
    assert collision("Latvija", None) is not None  # config check: Latvian "latvijā"
    assert ordinary_in("Latvija", "lv") is None  # the matcher: no ordinary word is spelled "latvija"
