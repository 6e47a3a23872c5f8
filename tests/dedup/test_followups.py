"""Follow-up decisions against the real Redis: one per edit of an alerted story, within the cap."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from worker.clients.redis import Redis
from worker.config.models import Config, DedupSettings, Route, Terms, When
from worker.dedup.followups import FollowUps
from worker.records import Article, EntityHit, EventHit, Match, RouteDecision, StoryRef, stable_id

ARTICLE = uuid.uuid4().hex
ANY = When(keywords=Terms(any=["x"]))
CONFIG = Config(routes=[Route(id="desk", when=ANY, to=["console"]),
                        Route(id="quiet", when=ANY, to=["console"], follow_ups=False)])


def version(title: str, entities: tuple[str, ...] = ("palmyra",), events: tuple[str, ...] = (),
            routes: tuple[str, ...] = ("desk",), status: Literal["alert", "duplicate"] = "alert") -> Match:
    article = Article(id=ARTICLE, feed_id="wire", url="https://wire.example/a", link="x", title=title,
                      text=title, source="title", first_seen=datetime.now(UTC), content_hash=stable_id(title))
    hits = [EntityHit(id=e, name=e.title(), kind="place", watchlist="w", score=1, mentions=[])
            for e in entities]
    found = [EventHit(id=e, name=e.title(), trigger=e, field="title", start=0, end=1, evidence=title)
             for e in events]
    decisions = [RouteDecision(route=r, alert_id=stable_id(r, ARTICLE), status=status,
                               destinations=["console"]) for r in routes]
    return Match(id=ARTICLE, article=article, score=1, entities=hits, events=found, routes=decisions,
                 story=StoryRef(id=ARTICLE, url=article.url), config_version="t")


def test_an_edit_is_one_follow_up_naming_what_is_new_and_a_reread_is_the_same(redis_store: Redis) -> None:
    follow = FollowUps(redis_store, DedupSettings())
    first = follow.revise(version("Clashes near Palmyra"), CONFIG)
    assert [(d.status, d.update_id) for d in first.routes] == [("alert", None)]
    edited = version("IS captures Palmyra", ("palmyra", "islamic-state"), ("armed-conflict",))
    [update] = follow.revise(edited, CONFIG).routes
    assert update.status == "alert" and update.alert_id == first.routes[0].alert_id
    assert update.update_id and update.update_id != update.alert_id
    assert update.changes is not None and update.changes.previous_title == "Clashes near Palmyra"
    assert (update.changes.new_entities, update.changes.new_events) == (["Islamic-State"], ["Armed-Conflict"])
    assert follow.revise(edited, CONFIG).routes == [update]  # read again after a crash: the same decision
    assert follow.revise(version("Clashes near Palmyra"), CONFIG).routes[0].update_id  # reverted: an edit too


def test_the_cap_holds_per_story_and_a_route_without_follow_ups_repeats(redis_store: Redis) -> None:
    follow = FollowUps(redis_store, DedupSettings(follow_up_cap=2))
    follow.revise(version("v0", routes=("desk", "quiet")), CONFIG)
    outcomes = [follow.revise(version(f"v{n}", routes=("desk", "quiet")), CONFIG).routes for n in range(1, 6)]
    assert [[(d.route, d.status, bool(d.update_id)) for d in r] for r in outcomes[:2]] == [
        [("desk", "alert", True), ("quiet", "duplicate", False)]] * 2
    assert all(d.status == "duplicate" and d.update_id is None for r in outcomes[2:] for d in r)


def test_a_route_the_edit_fires_first_alerts_as_new_and_duplicates_stay(redis_store: Redis) -> None:
    follow = FollowUps(redis_store, DedupSettings())
    follow.revise(version("v0"), CONFIG)
    [desk, quiet] = follow.revise(version("v1", routes=("desk", "quiet")), CONFIG).routes
    assert desk.update_id and quiet.status == "alert" and quiet.update_id is None
    [dup] = follow.revise(version("v2", routes=("desk",), status="duplicate"), CONFIG).routes
    assert dup.status == "duplicate" and dup.update_id is None


def test_a_batch_is_revised_as_if_one_record_after_another(redis_store: Redis) -> None:
    """Two versions of a story in one batch (its first alert and an edit) and the edit read again: the
    batch's two round trips decide what three revisions in turn decide."""
    batch = [version("Clashes near Palmyra"), version("IS captures Palmyra"), version("IS captures Palmyra")]
    first, edit, again = FollowUps(redis_store, DedupSettings()).revise_all(batch, CONFIG)
    assert [(d.status, d.update_id) for d in first.routes] == [("alert", None)]
    [update] = edit.routes
    assert update.update_id and update.changes is not None
    assert update.changes.previous_title == "Clashes near Palmyra" and again.routes == [update]
    later = FollowUps(redis_store, DedupSettings()).revise(version("IS captures Palmyra"), CONFIG)
    assert later.routes == [update]  # what the batch recorded is what a later read sees
