"""The matcher end to end: the Palmyra scenario on the example config, and edge cases on small configs."""

from __future__ import annotations

import pytest

from tests.match.conftest import article, mentions, small_config
from worker.errors import ConfigError
from worker.match.matcher import Matcher, fold_texts
from worker.records import Article


def test_palmyra_yields_the_group_the_city_and_the_capture(matcher: Matcher, palmyra: Article) -> None:
    result = matcher.match(palmyra)
    found = {e.id: e for e in result.entities}
    assert {"islamic-state", "palmyra", "aleppo", "al-bab", "t4-airbase", "united-states"} <= set(found)
    assert [m.text for m in found["islamic-state"].mentions] == ["IS", "IS", "IS", "ISIL"]
    assert [m.field for m in found["palmyra"].mentions] == ["title", "body", "body"]
    [event] = result.events
    assert (event.id, event.trigger, event.field) == ("armed-conflict", "captured", "body")
    assert event.evidence == (
        "IS fighters captured Palmyra from Syrian and Russian forces over the weekend, "
        "meeting little resistance from a garrison that had been thinned out weeks earlier.")
    assert palmyra.text[event.start:event.end] == "captured"
    assert result.routes == ["conflict-desk", "syria-cities"]


def test_spans_and_snippets_come_from_the_original_text(matcher: Matcher, palmyra: Article) -> None:
    for entity in matcher.match(palmyra).entities:
        for mention in entity.mentions:
            text = palmyra.title if mention.field == "title" else palmyra.text
            assert text[mention.start:mention.end] == mention.text
            assert mention.text in mention.snippet


@pytest.mark.parametrize("text", ["It is a mess.", "Is it over?", "This is the question.", "is",
                                  "WHAT IS NEXT FOR THE REBELS"])
def test_the_verb_is_never_the_group(matcher: Matcher, text: str) -> None:
    assert "islamic-state" not in mentions(matcher, text=text)


@pytest.mark.parametrize("text", ["IS fighters took the town.", "The rise of ISIS", "ISIL said",
                                  "Daesh fighters", "a video released by IS\u2019 media arm",
                                  "the Islamic State of Iraq and the Levant"])
def test_the_group_by_any_of_its_names(matcher: Matcher, text: str) -> None:
    assert "islamic-state" in mentions(matcher, text=text)


def test_us_is_the_country_only_as_written(matcher: Matcher) -> None:
    assert mentions(matcher, text="US forces moved in.")["united-states"] == ["US"]
    assert "united-states" not in mentions(matcher, text="He told us nothing. Us and them.")
    assert "united-states" not in mentions(matcher, text="US FORCES ENTER THE CITY")
    assert mentions(matcher, text="The U.S.-led coalition")["united-states"] == ["U.S."]


@pytest.mark.parametrize("name", ["Erdoğan", "Erdogan", "ERDOGAN", "ERDOĞAN", "Erdog\u0306an"])
def test_diacritics_and_case_fold_away(matcher: Matcher, name: str) -> None:
    text = f"Then {name} spoke."
    [words] = mentions(matcher, text=text)["erdogan"]
    assert words == name


def test_an_exclusion_vetoes_only_the_mention_inside_it(matcher: Matcher) -> None:
    assert "paris" not in mentions(matcher, text="Paris Hilton arrived.")
    assert mentions(matcher, text="Paris Hilton arrived in Paris.")["paris"] == ["Paris"]


def test_the_longest_of_overlapping_aliases_wins() -> None:
    matcher = Matcher.build(small_config([
        {"id": "nyt", "name": "New York Times", "kind": "organisation"},
        {"id": "nyc", "name": "New York", "kind": "place"},
        {"id": "york", "name": "York", "kind": "place"},
    ]))
    found = mentions(matcher, text="The New York Times reported from New York, not York.")
    assert found == {"nyt": ["New York Times"], "nyc": ["New York"], "york": ["York"]}


def test_the_same_words_stand_for_every_entity_that_claims_them() -> None:
    matcher = Matcher.build(small_config([
        {"id": "georgia-country", "name": "Georgia"}, {"id": "georgia-state", "name": "Georgia"}]))
    assert set(mentions(matcher, text="Storms hit Georgia.")) == {"georgia-country", "georgia-state"}


@pytest.mark.parametrize("text", ["ISISx fighters", "xISIS", "Syrians fled", "Parisian cafes", "@ISIS_media",
                                  "Palmyra2", "#USArmy"])
def test_matches_only_whole_tokens(matcher: Matcher, text: str) -> None:
    assert not mentions(matcher, text=text)


@pytest.mark.parametrize("text", ["Syria\u2019s army", "(Syria)", "Syria-based", "\u201cSyria\u201d"])
def test_punctuation_and_possessives_are_token_boundaries(matcher: Matcher, text: str) -> None:
    assert mentions(matcher, text=text)["syria"] == ["Syria"]


def test_spans_survive_characters_that_fold_to_several_or_none(matcher: Matcher) -> None:
    text = "Die Stra\u00dfe \ufb01el: Caf\u00e9\u0301 Pal\u00admyra and Aleppo, then Erdog\u0306an."
    result = matcher.match(article(text=text))
    spans = {e.id: [text[m.start:m.end] for m in e.mentions] for e in result.entities}
    assert spans == {"palmyra": ["Pal\u00admyra"], "aleppo": ["Aleppo"], "erdogan": ["Erdog\u0306an"]}


def test_texts_folded_by_the_caller_are_matched_as_the_matcher_folds_them(matcher: Matcher,
                                                                         palmyra: Article) -> None:
    text = "Die Stra\u00dfe \ufb01el: Caf\u00e9\u0301 Pal\u00admyra and Aleppo, then Erdog\u0306an."
    for item in (palmyra, article(text=text)):
        own, given = matcher.match(item), matcher.match(item, folds=fold_texts(item))
        assert (given.entities, given.events, given.keywords, given.routes, given.score) == \
            (own.entities, own.events, own.keywords, own.routes, own.score)


def test_title_and_lead_mentions_weigh_more() -> None:
    matcher = Matcher.build(small_config([{"id": "putin", "name": "Putin", "weight": 2}],
                                         title_weight=3, lead_weight=2, body_weight=1, lead_chars=20))
    title = matcher.match(article(title="Putin speaks", text="x"))
    lead = matcher.match(article(text="Putin speaks"))
    body = matcher.match(article(text="Far down the page, after the lead, Putin speaks"))
    assert [r.entities[0].score for r in (title, lead, body)] == [6, 4, 2]
    both = matcher.match(article(title="Putin speaks", text="Putin spoke. And then, later, Putin left."))
    assert both.score == 6 + 4 + 2


def test_a_phrase_that_folds_to_nothing_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as caught:
        Matcher.build(small_config([{"id": "dash", "name": "Dash", "aliases": ["\u2014"]}]))
    assert "entity 'dash'" in caught.value.problems[0]
    assert "'\u2014'" in caught.value.problems[0]


def test_an_empty_config_matches_nothing() -> None:
    matcher = Matcher.build(small_config([{"id": "x", "name": "Xylophone"}]))
    result = matcher.match(article(title="Nothing", text="to see here"))
    assert (result.entities, result.events, result.keywords, result.routes) == ([], [], [], [])
    assert result.score == 0
