"""The one automaton: token boundaries, typed payloads, case-sensitive phrases."""

from __future__ import annotations

from tests.match.conftest import article, small_config
from worker.folding import fold
from worker.match.automaton import Hit, Kind, PhraseAutomaton, Refusal, Target
from worker.match.matcher import Matcher


def build(*phrases: tuple[str, Target]) -> PhraseAutomaton:
    automaton, empty = PhraseAutomaton.build(phrases)
    assert not empty
    return automaton


def words(text: str, hits: list[Hit]) -> list[str]:
    folded = fold(text)
    return [text[slice(*folded.original_span(h.start, h.end))] for h in hits]


def test_hits_start_and_end_on_token_boundaries() -> None:
    automaton = build(("ISIS", Target.of(Kind.ENTITY, 0, "ISIS")),
                      ("al-Bab", Target.of(Kind.ENTITY, 1, "al-Bab")))
    text = "ISISx and xISIS are not ISIS; al Bab is al-Bab."
    hits = automaton.scan(fold(text)).entities
    assert words(text, hits) == ["ISIS", "al Bab", "al-Bab"]


def test_one_key_carries_every_target_it_stands_for() -> None:
    automaton = build(("Paris", Target.of(Kind.ENTITY, 0, "Paris")),
                      ("Paris", Target.of(Kind.KEYWORD, 3, "paris")),
                      ("Paris Hilton", Target.of(Kind.EXCLUSION, 0, "Paris Hilton")))
    assert automaton.size == 2
    hits = automaton.scan(fold("Paris Hilton in Paris"))
    assert [(h.start, h.end) for h in hits.entities] == [(1, 6), (17, 22)]
    assert [h.target.owner for h in hits.keywords] == [3, 3]
    assert [(h.start, h.end) for h in hits.exclusions] == [(1, 13)]


def test_case_sensitive_phrases_are_checked_against_the_original() -> None:
    automaton = build(("IS", Target.of(Kind.ENTITY, 0, "IS", case_sensitive=True)))
    refused: list[Refusal] = []
    text = "IS fighters: it is, Is it? IS\u2019 media. WHAT IS NEXT"
    hits = automaton.scan(fold(text), refused)
    assert [h.start for h in hits.entities] == [1, 28]
    reasons = [r.reason for r in refused]
    assert reasons[:2] == ["written 'is'; it matches only as 'IS'", "written 'Is'; it matches only as 'IS'"]
    assert "capitals" in reasons[2]


def test_a_phrase_with_no_letters_is_reported_not_added() -> None:
    target = Target.of(Kind.ENTITY, 0, "---")
    aleppo = Target.of(Kind.ENTITY, 1, "Aleppo")
    automaton, empty = PhraseAutomaton.build([("---", target), ("Aleppo", aleppo)])
    assert empty == [("---", target)]
    assert automaton.size == 1


def test_an_empty_automaton_finds_nothing() -> None:
    automaton, _ = PhraseAutomaton.build([])
    assert automaton.scan(fold("anything")) == ([], [], [], [])


def test_a_target_of_two_groups_stands_once_at_a_span() -> None:
    """An entity's "Acme" and case-sensitive "ACME" are one key with two groups: "ACME" is one mention."""
    matcher = Matcher.build(small_config([{"id": "a", "name": "Acme", "case_sensitive_aliases": ["ACME"]}]))
    [entity] = matcher.match(article(text="The ACME plant opened in town.")).entities
    assert [m.text for m in entity.mentions] == ["ACME"] and entity.score == 2.0
