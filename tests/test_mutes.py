"""Run-time mutes in the real Redis, and a match worker of its own process honouring them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from tests.kit.config import write_config
from tests.kit.process import WorkerProcess
from tests.kit.topics import publish
from tests.kit.waiting import wait_until
from worker.cli import main
from worker.clients.kafka import Consumer, Kafka, Message
from worker.clients.redis import Redis
from worker.config.models import Config, Settings
from worker.dedup.claims import Deduplicator
from worker.match.stage import CurrentMatcher, MatchCore
from worker.mutes import MuteStore, RuntimeMutes
from worker.records import Article, Match, Mute, RouteDecision, parse_record

pytestmark = pytest.mark.integration

TEXT = ("Harbourline Shipping said on Tuesday that its container terminal at the northern quay would stay "
        "closed for a third day after the crane collapse, and that crews were still clearing the berth. "
        "The company expects to reopen two of the four berths by the weekend, a spokeswoman said.")


def now() -> datetime:
    return datetime.now(UTC)


def test_a_mute_is_kept_with_who_why_and_until_and_its_key_expires_with_it(redis_store: Redis) -> None:
    store = MuteStore(redis_store)
    start = now()
    store.put(Mute(kind="entity", id="acme", until=start + timedelta(hours=12), reason="earnings week",
                   by="alice"), start)
    (mute,) = store.active(now())
    assert (mute.kind, mute.id, mute.reason, mute.by) == ("entity", "acme", "earnings week", "alice")
    ttl = redis_store.script("return redis.call('ttl', KEYS[1])").integer(
        [redis_store.keys.mute("entity", "acme")])
    assert 12 * 3600 - 60 < ttl <= 12 * 3600
    assert store.remove("entity", "acme") and store.active(now()) == []
    assert not store.remove("entity", "acme")


def test_a_short_mute_expires_by_itself(redis_store: Redis) -> None:
    store = MuteStore(redis_store)
    store.put(Mute(kind="route", id="quick", until=now() + timedelta(seconds=1)), now())
    key = redis_store.keys.mute("route", "quick")
    assert redis_store.exists(key)
    wait_until(lambda: not redis_store.exists(key) and store.active(now()) == [],
               "the mute's key to expire by itself", timeout=30)


def test_a_replica_reads_the_mutes_once_per_max_age(redis_store: Redis) -> None:
    ticks = [0.0]
    cached = RuntimeMutes(MuteStore(redis_store), max_age=2.0, clock=lambda: ticks[0])
    assert cached.current(now()) == []
    MuteStore(redis_store).put(Mute(kind="route", id="r", until=now() + timedelta(hours=1)), now())
    assert cached.current(now()) == []  # the batch's read still stands
    ticks[0] = 2.0
    assert [m.id for m in cached.current(now())] == ["r"]


# --- a match worker in a process of its own --------------------------------------------------------


def _article(n: int) -> Article:
    """The same wire story at another outlet each time: one story id, near copies of each other."""
    url = f"https://outlet{n}.example/harbourline-terminal"
    return Article(id=uuid.uuid4().hex, feed_id="wire", url=url, link=url,
                   title="Harbourline terminal stays shut after crane collapse",
                   text=TEXT + ("" if n % 2 else " Updated with the spokeswoman's comment."),
                   source="page", first_seen=now())


class Matches:
    """The matches topic as it fills, read by one consumer for the whole test."""

    def __init__(self, kafka: Kafka) -> None:
        self.kafka = kafka
        self.consumer: Consumer = kafka.consumer(f"reader-{uuid.uuid4().hex[:8]}", ["matches"])
        self.seen: dict[str, Match] = {}

    def decision(self, article: Article) -> RouteDecision:
        """Publish `article` and wait for its match record's one decision."""
        publish(self.kafka, "articles", [article], key=article.url)

        def arrived() -> Match | None:
            for message in self.consumer.poll(0.5):
                match = parse_record(Match, message.value)
                self.seen[match.id] = match
            return self.seen.get(article.id)
        wait_until(arrived, f"the match record of {article.url}", show=lambda: list(self.seen))
        (decision,) = self.seen[article.id].routes
        return decision

    def first(self, status: Callable[[str], bool], what: str, timeout: float) -> RouteDecision:
        """Publish near copies of the story one at a time until one's decision has a `status` that holds."""
        decided: list[RouteDecision] = []

        def next_copy() -> bool:
            decided.append(self.decision(_article(len(self.seen))))
            return status(decided[-1].status)
        wait_until(next_copy, what, timeout=timeout, step=0, show=lambda: [d.status for d in decided])
        return decided[-1]


@pytest.fixture
def matches(kafka: Kafka) -> Iterator[Matches]:
    reader = Matches(kafka)
    yield reader
    reader.consumer.close()


@pytest.fixture
def worker(tmp_path: Path, kafka: Kafka, redis_store: Redis) -> Iterator[Path]:
    config = Config.model_validate({
        "settings": Settings(kafka=kafka.settings, redis=redis_store.settings),
        "watchlists": [{"id": "ports", "name": "Ports", "entities": [{"id": "harbourline",
                                                                       "name": "Harbourline"}]}],
        "routes": [{"id": "ports", "when": {"entities": {"any": ["harbourline"]}}, "to": ["console"]}],
        "destinations": [{"id": "console", "type": "console"}]})
    folder = write_config(tmp_path / "config", config)
    process = WorkerProcess(folder, "--stage", "match")
    yield folder
    assert process.stop() == 0, process.tail()


def test_a_story_mute_is_honoured_by_another_worker_within_seconds_and_ends_by_itself(
        worker: Path, matches: Matches, redis_store: Redis, capsys: pytest.CaptureFixture[str]) -> None:
    first = matches.decision(_article(0))
    assert first.status == "alert"
    story = first.alert_id  # what an alert carries: `mute story` finds the story from it
    assert main(["mute", "story", story, "--for", "8s", "--reason", "one crane story is enough",
                 "--config", str(worker)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("muted story ") and "one crane story is enough" in said
    # the worker reads the mutes at most every two seconds: its next batches are held back
    muted = matches.first(lambda status: status == "muted", "a near copy held back by the story mute", 20)
    assert muted.mute is not None and muted.mute.kind == "story" and muted.mute.by
    assert muted.mute.reason == "one crane story is enough"
    # no edit, no unmute: once the mute's time is over, the story is as before (its alert already made)
    after = matches.first(lambda status: status != "muted", "the story mute to end by itself", 60)
    assert after.status == "duplicate" and after.alert_id == first.alert_id
    assert MuteStore(redis_store).active(now()) == []


def test_the_match_stage_holds_back_a_route_that_fired_only_on_a_muted_entity(redis_store: Redis) -> None:
    config = Config.model_validate({
        "settings": Settings(redis=redis_store.settings),
        "watchlists": [{"id": "firms", "name": "Firms", "entities": [
            {"id": "harbourline", "name": "Harbourline"}, {"id": "northquay", "name": "Northern Quay Ltd"}]}],
        "routes": [{"id": "shipping", "when": {"entities": {"any": ["harbourline"]}}, "to": ["console"]},
                   {"id": "firms", "when": {"watchlists": {"any": ["firms"]}}, "to": ["console"]}],
        "destinations": [{"id": "console", "type": "console"}]})
    store = MuteStore(redis_store)
    store.put(Mute(kind="entity", id="harbourline", until=now() + timedelta(hours=1), reason="strike week",
                   by="alice"), now())
    core = MatchCore(CurrentMatcher(config), Deduplicator(redis_store, config.settings.dedup), "matches",
                     mutes=RuntimeMutes(store))
    counted = REGISTRY.get_sample_value("newswatch_muted_total", {"kind": "entity"}) or 0.0
    message = Message("articles", 0, 0, None, None, 0)
    (out,) = core.handle([(message, _article(0))])
    record = parse_record(Match, out.value)
    # "firms" fired on the watchlist, whose one entity mentioned is muted: held back too
    assert [(d.route, d.status) for d in record.routes] == [("shipping", "muted"), ("firms", "muted")]
    assert record.routes[0].mute is not None and record.routes[0].mute.reason == "strike week"
    assert [e.id for e in record.entities] == ["harbourline"]  # what matched is still recorded
    assert REGISTRY.get_sample_value("newswatch_muted_total", {"kind": "entity"}) == counted + 2
