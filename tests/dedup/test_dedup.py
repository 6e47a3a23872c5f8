"""Dedup against the real Redis: one story per set of copies, one alert per story and route."""

from __future__ import annotations

import threading
import time
import uuid

from tests.dedup.stories import BUDGET, QUAKE, rewrite
from worker.clients.redis import Redis
from worker.config.models import DedupSettings, Route, Terms, When
from worker.dedup.claims import Deduplicator
from worker.dedup.signature import Fingerprint, band_keys, fingerprint_of
from worker.dedup.stories import Read, Stories
from worker.records import Article, stable_id

NOW = "2016-12-13T06:00:00Z"


def article(text: str, outlet: str, title: str = "Strong quake hits coastal province") -> Article:
    return Article(id=uuid.uuid4().hex, feed_id=outlet, url=f"https://{outlet}.example/{uuid.uuid4().hex[:6]}",
                   link="x", title=title, text=text, source="page", first_seen=NOW)


def printed(*articles: Article) -> list[tuple[Article, Fingerprint]]:
    return [(a, fingerprint_of(a.title, a.text)) for a in articles]


def route(route_id: str) -> Route:
    return Route(id=route_id, when=When(keywords=Terms(any=["quake"])), to=["console"])


DISASTERS, EVERYTHING = route("disasters"), route("everything")


def test_the_same_article_again_is_the_same_alert(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    quake = article(QUAKE, "wire")
    story, first = dedup.decide(quake, [DISASTERS])
    again_story, again = dedup.decide(quake, [DISASTERS])
    assert story == again_story and story.id == quake.id and story.url == quake.url
    assert [d.status for d in first] == [d.status for d in again] == ["alert"]
    assert first[0].alert_id == again[0].alert_id == stable_id("disasters", quake.id)
    assert story.seen_count == 1


def test_a_copy_in_another_feed_is_a_duplicate_with_the_first_url(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    wire, daily = article(QUAKE, "wire"), article(rewrite(QUAKE), "daily", "STRONG QUAKE HITS COAST")
    _, [first] = dedup.decide(wire, [DISASTERS])
    story, [second] = dedup.decide(daily, [DISASTERS])
    assert (first.status, second.status) == ("alert", "duplicate")
    assert second.alert_id == first.alert_id
    assert story.id == wire.id and story.url == wire.url and 0.6 <= story.similarity < 1
    assert story.seen_count == 2
    assert dedup.also_seen(wire.id)[wire.id] == [daily.url]
    again, [repeat] = dedup.decide(daily, [DISASTERS])  # read again after a crash: counted once
    assert repeat.status == "duplicate" and again.seen_count == 2
    assert dedup.also_seen(wire.id)[wire.id] == [daily.url]


def test_an_identical_copy_is_an_exact_duplicate(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    dedup.decide(article(QUAKE, "wire"), [DISASTERS])
    story, [decision] = dedup.decide(article(QUAKE, "mirror"), [DISASTERS])
    assert decision.status == "duplicate" and story.similarity == 1.0


def test_routes_are_independent(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    dedup.decide(article(QUAKE, "wire"), [DISASTERS])
    _, decisions = dedup.decide(article(rewrite(QUAKE), "daily"), [DISASTERS, EVERYTHING])
    assert [(d.route, d.status) for d in decisions] == [("disasters", "duplicate"), ("everything", "alert")]


def test_different_stories_stay_apart(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    quake, budget = article(QUAKE, "wire"), article(BUDGET, "wire", "Council approves budget")
    _, [a] = dedup.decide(quake, [EVERYTHING])
    story, [b] = dedup.decide(budget, [EVERYTHING])
    assert (a.status, b.status) == ("alert", "alert") and story.id == budget.id


def test_after_the_window_a_copy_is_a_new_story(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings(window=1))
    dedup.decide(article(QUAKE, "wire"), [DISASTERS])
    time.sleep(2.1)
    _, [decision] = dedup.decide(article(rewrite(QUAKE), "daily"), [DISASTERS])
    assert decision.status == "alert"


def race(store: Redis, copies: list[Article]) -> list[str]:
    """Two replicas (own connections) decide two copies at the same moment; their statuses."""
    barrier = threading.Barrier(len(copies))
    statuses: list[str] = []

    def decide(copy: Article) -> None:
        dedup = Deduplicator(Redis(store.settings), DedupSettings())
        barrier.wait()
        _, [decision] = dedup.decide(copy, [DISASTERS])
        statuses.append(decision.status)

    threads = [threading.Thread(target=decide, args=(copy,)) for copy in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_replicas_deciding_copies_at_once_alert_once(redis_store: Redis) -> None:
    for round_ in range(20):
        prefix = f"{redis_store.settings.key_prefix}{round_}:"  # a fresh story space, cleaned with the rest
        store = Redis(redis_store.settings.model_copy(update={"key_prefix": prefix}))
        assert sorted(race(store, [article(QUAKE, "wire"), article(rewrite(QUAKE), "daily")])) == [
            "alert", "duplicate"]


def test_an_assignment_read_before_another_replica_wrote_is_refused_then_redone(redis_store: Redis) -> None:
    stories = Stories(redis_store, DedupSettings())
    wire, copy = article(QUAKE, "wire"), article(rewrite(QUAKE), "daily")
    print_ = fingerprint_of(copy.title, copy.text)
    [stale] = stories.read([(copy, print_)])
    assert isinstance(stale, Read)
    stories.assign_all(printed(wire))  # another replica founds the story between this one's read and write
    [alone] = stories.decide([(copy, print_, stale)])
    assert alone.kind == "first"  # as read, the copy would found a story of its own
    assert stories.write([(copy, print_, stale, alone)]) == [False]
    assert isinstance(stories.read([(copy, print_)])[0], Read)  # the refused write left nothing behind
    joined = stories.assign(copy, print_)
    assert (joined.story, joined.kind) == (wire.id, "near")


def test_copies_in_one_batch_are_assigned_as_one_after_another(redis_store: Redis) -> None:
    """Assigned together, a batch's copies join the first one's story, as they would one by one."""
    stories = Stories(redis_store, DedupSettings())
    wire, daily, again, budget = (article(QUAKE, "wire"), article(rewrite(QUAKE), "daily"),
                                  article(QUAKE, "again"), article(BUDGET, "council"))
    found = stories.assign_all(printed(wire, daily, again, budget, wire))
    assert [(a.story, a.kind) for a in found] == [
        (wire.id, "first"), (wire.id, "near"), (wire.id, "exact"), (budget.id, "first"), (wire.id, "first")]
    again_read = stories.assign_all(printed(daily, budget))  # a batch read again: decided before
    assert [(a.story, a.kind) for a in again_read] == [(wire.id, "same"), (budget.id, "first")]


def test_routes_sharing_a_destination_alert_it_once(redis_store: Redis) -> None:
    """The first route in config order claims the story for the destination; the others name it."""
    dedup = Deduplicator(redis_store, DedupSettings())
    both = [route("disasters"), route("everything"),
            Route(id="pager", when=When(keywords=Terms(any=["quake"])), to=["pager"])]
    quake = article(QUAKE, "wire")
    _, decisions = dedup.decide(quake, both)
    assert [(d.route, d.status, d.shared) for d in decisions] == [
        ("disasters", "alert", []), ("everything", "alert", ["console"]), ("pager", "alert", [])]
    _, again = dedup.decide(quake, both)  # read again after a crash: the same decisions
    assert again == decisions
    # a later copy fires a route new to the story: its destination already has the story
    _, later = dedup.decide(article(rewrite(QUAKE), "daily"), [route("everything"), route("quakes")])
    assert [(d.status, d.shared) for d in later] == [("duplicate", []), ("alert", ["console"])]


def test_a_digest_and_an_immediate_alert_do_not_share(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    digest = Route(id="daily", when=When(keywords=Terms(any=["quake"])), to=["console"], digest=3600)
    _, decisions = dedup.decide(article(QUAKE, "wire"), [DISASTERS, digest])
    assert [d.shared for d in decisions] == [[], []]


def test_a_batch_is_decided_as_if_one_article_after_another(redis_store: Redis) -> None:
    """decide_all's two round trips give what deciding each article in turn gives: the copy later in the
    batch repeats the first's alert, and finds the destination claimed for the route new to the story."""
    dedup = Deduplicator(redis_store, DedupSettings())
    wire, daily, budget = article(QUAKE, "wire"), article(rewrite(QUAKE), "daily"), article(BUDGET, "desk")
    stories = dedup.stories.assign_all(printed(wire, daily, budget))
    fired = [[DISASTERS], [route("disasters"), route("quakes")], [EVERYTHING]]
    decided = dedup.decide_all(list(zip([wire, daily, budget], fired, stories, strict=True)))
    assert [[(d.route, d.status, d.shared) for d in decisions] for _, decisions in decided] == [
        [("disasters", "alert", [])], [("disasters", "duplicate", []), ("quakes", "alert", ["console"])],
        [("everything", "alert", [])]]
    assert [(story.id, story.seen_count) for story, _ in decided] == [(wire.id, 2), (wire.id, 2),
                                                                    (budget.id, 1)]
    assert dedup.decide_all([]) == [] and dedup.also_seen() == {}
    assert dedup.also_seen(wire.id, budget.id) == {wire.id: [daily.url], budget.id: []}


def test_the_scripts_build_each_band_key_as_the_key_scheme_names_it(redis_store: Redis) -> None:
    """The reads and writes name bands by their prefix and hashes; the keys are the documented ones."""
    settings = DedupSettings()
    wire = article(QUAKE, "wire")
    [(_, print_)] = printed(wire)
    Stories(redis_store, settings).assign_all([(wire, print_)])
    bands = band_keys(print_.signature, settings.threshold)
    assert len(bands) > 1
    stored = redis_store.mget([redis_store.keys.story("band", band) for band in bands])
    assert stored == [wire.id] * len(bands)
