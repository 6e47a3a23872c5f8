"""Which candidate mentions stand: exclusions veto their own entity's mentions; the longest overlap wins."""

from __future__ import annotations

from worker.config.models import MatchSettings
from worker.match.automaton import Hit, Kind, Target
from worker.match.entities import Dropped, keep, weight
from worker.records import Field_


def hit(start: int, end: int, owner: int, kind: Kind = Kind.ENTITY) -> Hit:
    return Hit(start, end, Target(kind, owner, f"phrase-{owner}"))


def test_an_exclusion_vetoes_the_mentions_of_its_entity_it_contains() -> None:
    paris, hilton = hit(1, 6, owner=0), hit(1, 6, owner=1)
    exclusion = hit(1, 13, owner=0, kind=Kind.EXCLUSION)
    later = hit(20, 25, owner=0)
    dropped: list[Dropped] = []
    assert keep([paris, hilton, later], [exclusion], dropped) == [hilton, later]
    assert dropped == [Dropped(paris, exclusion, "excluded")]


def test_an_exclusion_next_to_a_mention_does_not_veto_it() -> None:
    mention = hit(10, 15, owner=0)
    assert keep([mention], [hit(1, 12, owner=0, kind=Kind.EXCLUSION)]) == [mention]


def test_mentions_of_one_span_by_many_entities_all_stand_in_text_order() -> None:
    shared = [hit(1, 6, owner=n) for n in range(3)]  # one surname, three people
    after, overlapped = hit(8, 12, owner=3), hit(8, 10, owner=4)
    assert keep([*shared, after], []) == [*shared, after]
    assert keep([*shared, overlapped, after], []) == [*shared, after]
    assert keep([*shared, after], [hit(20, 30, owner=0, kind=Kind.EXCLUSION)]) == [*shared, after]


def test_the_longest_overlapping_mention_wins() -> None:
    times, city, york = hit(5, 19, owner=0), hit(5, 13, owner=1), hit(9, 13, owner=2)
    alone = hit(30, 34, owner=2)
    dropped: list[Dropped] = []
    assert keep([city, york, times, alone], [], dropped) == [times, alone]
    assert {(d.mention, d.reason) for d in dropped} == {(city, "overlapped"), (york, "overlapped")}


def test_a_chain_of_overlaps_keeps_what_does_not_overlap_the_winner() -> None:
    left, middle, right = hit(1, 10, owner=0), hit(6, 20, owner=1), hit(16, 25, owner=2)
    assert keep([left, middle, right], []) == [middle]
    assert keep([left, hit(6, 12, owner=1), right], []) == [left, right]


def test_equal_spans_all_stand() -> None:
    first, second = hit(1, 8, owner=0), hit(1, 8, owner=1)
    assert keep([first, second], []) == [first, second]


def test_weight_by_place() -> None:
    settings = MatchSettings(title_weight=3, lead_weight=2, body_weight=1, lead_chars=100)
    places: list[tuple[Field_, int]] = [("title", 500), ("body", 99), ("body", 100)]
    assert [weight(field, start, settings) for field, start in places] == [3, 2, 1]
