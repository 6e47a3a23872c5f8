"""Finding the inflected forms of configured names: what a token is kept as, languages, threads."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.match.conftest import small_config
from tests.match.test_inflection import article, found
from worker.match import inflection_index
from worker.match.matcher import Matcher
from worker.match.stage import CurrentMatcher


def test_one_token_written_two_ways_is_kept_apart() -> None:
    """Askā and Aska fold alike; only the first is a case of the name (Latvian tells ā from a)."""
    assert found("Aska", "Aska ir ciemats. Nogruvums notika Askā naktī.", "lv") == [
        ("Aska", None), ("Askā", "Latvian inflection")]


def test_a_phrase_whose_first_word_stands_as_written_and_a_later_one_inflects() -> None:
    assert found("Eiropas Savienība", "Tas notika Eiropas Savienībā pagājušajā gadā.", "lv") == [
        ("Eiropas Savienībā", "Latvian inflection")]


def test_an_alias_of_one_language_inflects_in_that_language_only() -> None:
    matcher = Matcher.build(small_config([{"id": "pl", "name": "Poland",
                                           "aliases_by_language": {"pl": ["Polska"]}}]))
    assert matcher.match(article("Wybory w Polsce odbędą się jesienią.", "pl")).entity_ids == ["pl"]
    assert matcher.match(article("Volby v Polsce se konají na podzim.", "cs")).entity_ids == []


def test_entities_sharing_a_name_are_each_found_in_config_order() -> None:
    matcher = Matcher.build(small_config([{"id": "a", "name": "Polska"}, {"id": "b", "name": "Polska"}]))
    result = matcher.match(article("Wybory w Polsce odbędą się jesienią.", "pl"))
    assert [(e.id, [m.text for m in e.mentions]) for e in result.entities] == [
        ("a", ["Polsce"]), ("b", ["Polsce"])]


def test_what_a_language_keeps_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inflection_index, "_TOKENS", 2)
    text = "Rozmowy w Polsce i w Niemczech. Polska i Polsce, potem znowu Polsce."
    assert [words for words, _ in found("Polska", text, "pl")] == ["Polsce", "Polska", "Polsce", "Polsce"]


def test_threads_sharing_a_matcher_find_what_one_finds() -> None:
    """The index, and each language's tokens kept, are built on first use, by whichever thread comes first."""
    entities = [{"id": "pl", "name": "Polska"}, {"id": "ru", "name": "Москва"},
                {"id": "de", "name": "München"}]
    texts = [("Wybory w Polsce i w Warszawie.", "pl"), ("Переговоры в Москве.", "ru"),
             ("Die Sicherheitskonferenz Münchens beginnt.", "de")] * 20
    expected = [Matcher.build(small_config(entities)).match(article(t, lang)).entity_ids for t, lang in texts]
    shared = Matcher.build(small_config(entities))
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda pair: shared.match(article(*pair)).entity_ids, texts)) == expected


def test_english_articles_never_build_the_index() -> None:
    """English words are not looked up in this index (its triggers' forms are keys of the automaton): a
    backtest of English articles and an English-only deployment never pay for building it."""
    matcher = Matcher.build(small_config([{"id": "pl", "name": "Polska"}]))
    assert matcher.match(article("Polska won the match.", "en")).entity_ids == ["pl"]
    assert matcher.inflected._built is None
    assert matcher.match(article("Wybory w Polsce odbędą się jesienią.", "pl")).entity_ids == ["pl"]
    assert matcher.inflected._built is not None


def test_the_match_stage_builds_the_index_with_its_matcher() -> None:
    """Off the batches: the first article of a language that inflects does not wait for it."""
    matchers = CurrentMatcher(small_config([{"id": "pl", "name": "Polska"}]))
    assert matchers.current.inflected._built is not None
    matchers.update(small_config([{"id": "pl", "name": "Polska"}, {"id": "de", "name": "München"}]))
    assert matchers.current.inflected._built is not None


def test_a_reloaded_matcher_is_prepared_for_the_languages_the_one_before_met() -> None:
    """A reload builds, off the batches, each met language's inflected forms and ordinary words (0.2 to
    0.5 s each at 100k entities), so the first batch after it waits for none of them."""
    entities = [{"id": "pl", "name": "Polska"}, {"id": "un", "name": "Uno"}]
    matchers = CurrentMatcher(small_config(entities))
    assert matchers.current.met() == []
    for text, language in (("Wybory w Polsce.", "pl"), ("Uno de ellos habló.", "es"), ("Polska won.", "en")):
        matchers.current.match(article(text, language))
    assert sorted(matchers.current.met()) == ["es", "pl"]
    matchers.update(small_config([*entities, {"id": "de", "name": "München"}]))
    assert sorted(matchers.current.met()) == ["es", "pl"]  # before any article of the new config
    assert "Uno" in matchers.current.ordinary._by_language["es"]  # "uno" is an ordinary Spanish word
    assert matchers.current.match(article("Wybory w Polsce.", "pl")).entity_ids == ["pl"]
