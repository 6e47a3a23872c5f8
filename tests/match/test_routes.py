"""Routes: all / any / none of entities, watchlists, event types, keywords, languages and sources, and
min_score."""

from __future__ import annotations

from typing import Any

import pytest

from tests.match.conftest import article, small_config
from worker.config.models import Route
from worker.match.matcher import Matcher
from worker.match.routes import Found, RouteSet
from worker.records import Article

ENTITIES = [{"id": "putin", "name": "Putin"}, {"id": "assad", "name": "Assad"},
            {"id": "aleppo", "name": "Aleppo"}]
EVENTS = [{"id": "capture", "name": "Capture", "triggers": ["capture"]},
          {"id": "attack", "name": "Attack", "triggers": ["attack"]}]


def matcher_with(**when: Any) -> Matcher:
    return Matcher.build(small_config(ENTITIES, EVENTS, [{"id": "r", "to": ["console"], "when": when}],
                                      title_weight=3, lead_weight=2, body_weight=1, lead_chars=30))


def fires(matcher: Matcher, text: str, title: str = "") -> bool:
    return matcher.match(article(title, text)).routes == ["r"]


def test_all_needs_every_id() -> None:
    matcher = matcher_with(entities={"all": ["putin", "assad"]})
    assert fires(matcher, "Putin met Assad.")
    assert not fires(matcher, "Putin met nobody.")


def test_any_needs_one() -> None:
    matcher = matcher_with(event_types={"any": ["capture", "attack"]})
    assert fires(matcher, "They attacked.")
    assert not fires(matcher, "They talked.")


def test_none_vetoes() -> None:
    matcher = matcher_with(entities={"any": ["aleppo"]}, keywords={"none": ["Opinion"]})
    assert fires(matcher, "News from Aleppo.")
    assert not fires(matcher, "OPINION: Aleppo deserves better.")


def test_keywords_are_folded_phrases_on_token_boundaries() -> None:
    matcher = matcher_with(keywords={"all": ["ground troops"]})
    assert fires(matcher, "Talk of GROUND-TROOPS grew.")
    assert not fires(matcher, "Talk of ground troopships grew.")
    [keyword] = matcher.match(article(text="Talk of Ground Troops grew.")).keywords
    assert (keyword.keyword, keyword.start, keyword.end) == ("ground troops", 8, 21)


def test_every_clause_must_hold() -> None:
    matcher = matcher_with(entities={"any": ["aleppo"]}, event_types={"all": ["capture"]},
                           watchlists={"all": ["test"]})
    assert fires(matcher, "Rebels captured Aleppo.")
    assert not fires(matcher, "Rebels left Aleppo.")


def test_min_score_counts_the_route_s_own_entities() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, min_score=3)
    assert fires(matcher, "x", title="Putin speaks")  # a title mention weighs 3
    assert not fires(matcher, "Putin speaks, and Assad and Aleppo are named too.")  # lead: 2
    assert fires(matcher, "Putin speaks. " + "Later " * 10 + "Putin again.")  # lead 2 + body 1


def test_min_score_alone_counts_every_entity() -> None:
    matcher = matcher_with(min_score=3)
    assert fires(matcher, "Assad and Putin: a long sentence here. Aleppo.")


def test_outcomes_say_which_clause_failed() -> None:
    matcher = matcher_with(entities={"all": ["putin", "assad"]}, event_types={"any": ["capture", "attack"]},
                           keywords={"none": ["opinion"]}, min_score=5)
    result = matcher.match(article(text="Opinion: Putin is here."))
    [outcome] = result.outcomes
    assert not outcome.fired
    assert outcome.failures == ("entities.all: assad not matched",
                                "event_types.any: none of capture, attack matched",
                                "keywords.none: opinion matched", "min_score: 2 < 5")


def test_a_disabled_route_never_fires() -> None:
    matcher = Matcher.build(small_config(ENTITIES, routes=[
        {"id": "r", "to": ["console"], "enabled": False, "when": {"entities": {"any": ["putin"]}}}]))
    result = matcher.match(article(text="Putin"))
    assert result.routes == []
    assert result.outcomes[0].failures == ("disabled (enabled: false)",)


@pytest.mark.parametrize("present", [{"putin"}, {"assad"}, {"putin", "assad"}, set()])
def test_the_index_agrees_with_checking_every_route(present: set[str]) -> None:
    routes = [Route(id=f"r{n}", to=["console"], when=when) for n, when in enumerate([
        {"entities": {"any": ["putin", "assad"]}}, {"entities": {"all": ["putin", "assad"]}},
        {"entities": {"none": ["putin"]}, "min_score": 0.5}, {"event_types": {"none": ["attack"]},
                                                              "entities": {"all": ["assad"]}},
    ])]
    found = Found.of({e: 1.0 for e in present}, {e: "test" for e in present}, frozenset(), frozenset())
    route_set = RouteSet(routes)
    assert route_set.fired(found) == [o.route for o in route_set.outcomes(found) if o.fired]


def _in(language: str | None, detected: str | None = None, confidence: float | None = None) -> Article:
    return article(text="Putin spoke.").model_copy(update={
        "language": language, "detected_language": detected, "language_confidence": confidence})


def test_languages_any_needs_the_article_in_one_of_them() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, languages={"any": ["de", "fr"]})
    assert matcher.match(_in("fr")).routes == ["r"]
    assert matcher.match(_in("en", "fr", 0.96)).routes == ["r"]  # a French story labelled English
    assert matcher.match(_in("de-AT")).routes == ["r"]
    assert matcher.match(_in("en")).routes == []
    assert matcher.match(_in("fr", "en", 0.9)).routes == []
    assert matcher.match(_in(None)).routes == []  # unknown: not shown to be German or French


def test_languages_none_leaves_them_out_and_keeps_the_unknown() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, languages={"none": ["ru"]})
    assert matcher.match(_in("en")).routes == ["r"]
    assert matcher.match(_in("ru")).routes == []
    assert matcher.match(_in("en", "ru", 0.99)).routes == []
    assert matcher.match(_in(None)).routes == ["r"]  # unknown: not shown to be Russian


def test_a_languages_clause_is_explained_like_the_others() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, languages={"any": ["de", "fr"], "none": ["ru"]})
    [failed] = matcher.match(_in("en")).outcomes
    assert failed.failures == ("languages.any: the article is in English (en), not de, fr",)
    [unknown] = matcher.match(_in(None)).outcomes
    assert unknown.failures == ("languages.any: the article's language is unknown, not de, fr",)
    [held] = matcher.match(_in("en", "fr", 0.9)).outcomes
    assert held.fired
    assert held.held == ("entities.any: putin matched", "languages.any: the article is in French (fr)",
                         "languages.none: the article is in French (fr), none of ru")
    [excluded] = matcher.match(_in("ru")).outcomes
    assert "languages.none: the article is in Russian (ru), which is excluded" in excluded.failures


@pytest.mark.parametrize("language", ["de", "ru", None])
def test_the_index_agrees_with_checking_every_route_on_languages(language: str | None) -> None:
    routes = [Route(id=f"r{n}", to=["console"], when=when) for n, when in enumerate([
        {"languages": {"any": ["de"]}}, {"languages": {"none": ["de"]}, "entities": {"any": ["putin"]}},
        {"languages": {"any": ["de", "ru"], "none": ["ru"]}},
    ])]
    found = Found.of({"putin": 1.0}, {"putin": "test"}, frozenset(), frozenset(), _in(language))
    route_set = RouteSet(routes)
    assert route_set.fired(found) == [o.route for o in route_set.outcomes(found) if o.fired]


@pytest.mark.parametrize(("languages", "error"), [
    ({"all": ["de", "fr"]}, "an article is in one language"),
    ({"any": ["xx"]}, "'xx' is not an ISO 639-1 language code"),
    ({"any": ["deu"]}, "for German write 'de'"),
])
def test_a_languages_clause_takes_iso_639_1_codes_and_no_all(languages: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Route(id="r", to=["console"], when={"languages": languages})


def test_language_codes_are_read_in_one_spelling() -> None:
    route = Route(id="r", to=["console"], when={"languages": {"any": ["DE", "nb"]}})
    assert route.when.languages.any == ["de", "no"]


def _from(feed: str = "wire", tags: tuple[str, ...] = (), url: str = "https://www.example.com/a",
          author: str | None = None) -> Article:
    return article(text="Putin spoke.").model_copy(update={
        "feed_id": feed, "tags": list(tags), "url": url, "author": author})


def _fired(when: dict[str, Any], source: Article) -> bool:
    """Whether a route of only `when` fires, checked by the index and clause by clause alike."""
    route_set = RouteSet([Route(id="r", to=["console"], when=when)])
    found = Found.of({"putin": 1.0}, {"putin": "test"}, frozenset(), frozenset(), source)
    [outcome] = route_set.outcomes(found)
    assert (route_set.fired(found) == ["r"]) is outcome.fired
    return outcome.fired


@pytest.mark.parametrize(("when", "source", "fired"), [
    ({"feeds": {"any": ["wire", "grid"]}}, _from("wire"), True),
    ({"feeds": {"any": ["wire", "grid"]}}, _from("other"), False),
    ({"feeds": {"none": ["wire"]}, "entities": {"any": ["putin"]}}, _from("wire"), False),
    ({"feeds": {"none": ["wire"]}, "entities": {"any": ["putin"]}}, _from("other"), True),
    ({"feed_tags": {"all": ["energy", "europe"]}}, _from(tags=("energy", "europe", "daily")), True),
    ({"feed_tags": {"all": ["energy", "europe"]}}, _from(tags=("energy",)), False),
    ({"feed_tags": {"any": ["energy", "grid"]}}, _from(tags=("grid",)), True),
    ({"feed_tags": {"any": ["energy", "grid"]}}, _from(tags=()), False),
    ({"feed_tags": {"none": ["opinion"]}, "entities": {"any": ["putin"]}}, _from(tags=("opinion",)), False),
    ({"feed_tags": {"none": ["opinion"]}, "entities": {"any": ["putin"]}}, _from(tags=("news",)), True),
    ({"domains": {"any": ["reuters.com"]}}, _from(url="https://www.reuters.com/x"), True),
    ({"domains": {"any": ["reuters.com"]}}, _from(url="https://notreuters.com/x"), False),
    ({"domains": {"any": ["Bücher.de"]}}, _from(url="https://shop.xn--bcher-kva.de/x"), True),
    ({"domains": {"none": ["reuters.com"]}, "entities": {"any": ["putin"]}},
     _from(url="https://markets.reuters.com/x"), False),
    ({"domains": {"none": ["reuters.com"]}, "entities": {"any": ["putin"]}},
     _from(url="https://reuters.co/x"), True),
    ({"authors": {"all": ["Jane Doe", "John Roe"]}}, _from(author="By Jane Doe and John Roe"), True),
    ({"authors": {"all": ["Jane Doe", "John Roe"]}}, _from(author="Jane Doe"), False),
    ({"authors": {"any": ["José Álvarez", "Ann Lee"]}}, _from(author="JOSE ALVAREZ"), True),
    ({"authors": {"any": ["Jane Doe"]}}, _from(author="Jane Doerr"), False),
    ({"authors": {"any": ["Jane Doe"]}}, _from(author=None), False),
    ({"authors": {"none": ["Jane Doe"]}, "entities": {"any": ["putin"]}},
     _from(author="Jane Doe, Ann Lee"), False),
    ({"authors": {"none": ["Jane Doe"]}, "entities": {"any": ["putin"]}}, _from(author=None), True),
])
def test_each_source_clause_in_all_any_none(when: dict[str, Any], source: Article, fired: bool) -> None:
    assert _fired(when, source) is fired


def test_source_clauses_reach_the_matcher() -> None:
    matcher = matcher_with(entities={"any": ["putin"]}, feed_tags={"any": ["energy"]},
                           domains={"none": ["example.org"]}, authors={"any": ["Jane Doe"]})
    assert matcher.match(_from(tags=("energy",), author="Jane Doe")).routes == ["r"]
    elsewhere = _from(tags=("energy",), author="Jane Doe", url="https://www.example.org/a")
    assert matcher.match(elsewhere).routes == []


def _explained(when: dict[str, Any], source: Article) -> tuple[tuple[str, ...], tuple[str, ...]]:
    route_set = RouteSet([Route(id="r", to=["console"], when=when)])
    [outcome] = route_set.outcomes(Found.of({}, {}, frozenset(), frozenset(), source))
    return outcome.failures, outcome.held


@pytest.mark.parametrize(("when", "source", "failures", "held"), [
    ({"feeds": {"any": ["energy-news", "grid-watch"]}}, _from("wire"),
     ("feeds.any: the article's feed 'wire' is not one of energy-news, grid-watch",), ()),
    ({"feeds": {"any": ["wire"], "none": ["grid-watch"]}}, _from("wire"), (),
     ("feeds.any: the article's feed is wire",
      "feeds.none: the article's feed 'wire' is not one of grid-watch")),
    ({"feeds": {"none": ["wire"]}}, _from("wire"),
     ("feeds.none: the article's feed 'wire' is excluded",), ()),
    ({"feed_tags": {"all": ["energy", "europe"], "none": ["opinion"]}}, _from(tags=("energy", "opinion")),
     ("feed_tags.all: the article's feed 'wire' is not tagged europe (its tags: energy, opinion)",
      "feed_tags.none: the article's feed 'wire' is tagged opinion"), ()),
    ({"feed_tags": {"any": ["energy"]}}, _from(), (
        "feed_tags.any: the article's feed 'wire' has none of the tags energy (it has no tags)",), ()),
    ({"feed_tags": {"any": ["energy", "grid"], "none": ["opinion"]}}, _from(tags=("grid",)), (),
     ("feed_tags.any: the article's feed 'wire' is tagged grid",
      "feed_tags.none: the article's feed 'wire' has none of the tags opinion")),
    ({"domains": {"any": ["reuters.com", "apnews.com"]}}, _from(url="https://notreuters.com/a"),
     ("domains.any: the article's domain 'notreuters.com' is not one of reuters.com, apnews.com, "
      "nor under one",),
     ()),
    ({"domains": {"any": ["reuters.com"], "none": ["markets.reuters.com"]}},
     _from(url="https://markets.reuters.com/a"),
     ("domains.none: the article's domain 'markets.reuters.com' is within markets.reuters.com, excluded",),
     ("domains.any: the article's domain 'markets.reuters.com' is within reuters.com",)),
    ({"domains": {"any": ["reuters.com"]}}, _from(url="file:///tmp/a.html"),
     ("domains.any: the article's URL has no host",), ()),
    ({"authors": {"all": ["Jane Doe", "John Roe"]}}, _from(author="Jane Doe"),
     ("authors.all: the article's byline 'Jane Doe' does not name John Roe",), ()),
    ({"authors": {"any": ["Jane Doe", "John Roe"]}}, _from(author=None),
     ("authors.any: the article names no author",), ()),
    ({"authors": {"any": ["jose alvarez"], "none": ["Ann Lee"]}}, _from(author="José Álvarez and Ann Lee"),
     ("authors.none: the article's byline 'José Álvarez and Ann Lee' names Ann Lee, excluded",),
     ("authors.any: the article's byline 'José Álvarez and Ann Lee' names jose alvarez",)),
    ({"authors": {"none": ["Ann Lee"]}}, _from(author=None), (),
     ("authors.none: the article names no author",)),
])
def test_source_clauses_are_explained_like_the_others(
        when: dict[str, Any], source: Article, failures: tuple[str, ...], held: tuple[str, ...]) -> None:
    assert _explained(when, source) == (failures, held)


@pytest.mark.parametrize(("when", "error"), [
    ({"feeds": {"all": ["wire"]}}, "an article comes from one feed, so 'all' of several never holds"),
    ({"domains": {"all": ["reuters.com"]}}, "an article has one URL, so 'all' of several domains never"),
    ({"domains": {"any": ["https://reuters.com/"]}}, "write the host name alone: 'reuters.com'"),
    ({"authors": {"any": ["--"]}}, "has no letter or digit, so it names nobody"),
    ({"feeds": {"any": ["Wire Feed"]}}, "should match pattern"),
])
def test_source_clauses_refuse_what_cannot_hold(when: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        Route(id="r", to=["console"], when=when)
