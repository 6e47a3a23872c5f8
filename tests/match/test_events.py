"""Triggers and their inflections; which triggers count."""

from __future__ import annotations

import pytest

from tests.match.conftest import article, small_config
from worker.match.events import inflections
from worker.match.matcher import Matcher


@pytest.mark.parametrize(("trigger", "expected"), [
    ("capture", {"capture", "captured", "captures", "capturing"}),
    ("seize", {"seize", "seized", "seizes", "seizing"}),
    ("take control of", {"take control of", "took control of", "taken control of", "takes control of",
                         "taking control of"}),
    ("fall to", {"fall to", "fell to", "fallen to", "falls to", "falling to"}),
    ("data breach", {"data breach", "data breaches"}),
    ("lay off", {"lay off", "laid off", "lays off", "laying off"}),
    ("cut jobs", {"cut jobs", "cuts jobs", "cutting jobs"}),
    ("airstrike", {"airstrike", "airstrikes"}),
    ("shelling", {"shelling", "shellings"}),
])
def test_inflections(trigger: str, expected: set[str]) -> None:
    assert expected <= inflections(trigger)


def test_inflections_never_touch_particles_or_invent_a_gerund_s_lemma() -> None:
    assert not any(form.endswith("ofs") for form in inflections("take control of"))
    assert "shell" not in inflections("shelling")


def test_inflections_fold_like_text() -> None:
    assert inflections("Cyber-Attack") >= {"cyber attack", "cyber attacks"}


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(small_config(
        [{"id": "palmyra", "name": "Palmyra"}, {"id": "flood-re", "name": "Flood Re"}],
        [{"id": "capture", "name": "Capture", "triggers": ["capture"], "same_sentence": True},
         {"id": "flood", "name": "Flood", "triggers": ["flood"]},
         {"id": "ied", "name": "IED", "exact_triggers": ["IED"]}]))


def test_same_sentence_counts_a_trigger_only_beside_an_entity(matcher: Matcher) -> None:
    lone = matcher.match(article(text="Rebels captured a hill. Palmyra was quiet."))
    assert lone.events == []
    beside = matcher.match(article(text="Rebels captured a hill. Later they captured Palmyra."))
    [event] = beside.events
    assert (event.trigger, event.evidence) == ("captured", "Later they captured Palmyra.")


def test_a_chinese_sentence_ends_at_its_full_stop() -> None:
    """Chinese writes no space after 。, so a trigger two sentences from the name is alone."""
    chinese = Matcher.build(small_config(
        [{"id": "palmyra", "name": "Palmyra", "aliases": ["帕尔米拉"]}],
        [{"id": "capture", "name": "Capture", "triggers": ["占领"], "same_sentence": True}]))
    assert chinese.match(article(text="叛军占领了一座山。帕尔米拉很平静。")).events == []
    [event] = chinese.match(article(text="叛军占领了一座山。后来他们占领了帕尔米拉。然后离开了。")).events
    assert event.evidence == "后来他们占领了帕尔米拉。"


def test_the_title_is_one_sentence(matcher: Matcher) -> None:
    [event] = matcher.match(article(title="Palmyra: rebels capture the town", text="More soon.")).events
    assert (event.field, event.evidence) == ("title", "Palmyra: rebels capture the town")


def test_an_event_without_same_sentence_needs_no_entity(matcher: Matcher) -> None:
    [event] = matcher.match(article(text="A flood hit the valley.")).events
    assert (event.id, event.trigger) == ("flood", "flood")


def test_a_trigger_inside_an_entity_name_is_no_event(matcher: Matcher) -> None:
    result = matcher.match(article(text="Flood Re reported results."))
    assert [e.id for e in result.entities] == ["flood-re"]
    assert result.events == []


def test_exact_triggers_match_as_written(matcher: Matcher) -> None:
    assert [e.id for e in matcher.match(article(text="An IED exploded.")).events] == ["ied"]
    assert matcher.match(article(text="He died.")).events == []
    assert matcher.match(article(text="the ied")).events == []


def test_one_event_per_type_title_first(matcher: Matcher) -> None:
    result = matcher.match(article(title="Floods again", text="A flood, then another flood."))
    [event] = result.events
    assert (event.trigger, event.field) == ("Floods", "title")
