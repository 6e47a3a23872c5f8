"""The seen-set, its content hashes and its memory against the real Redis, Kafka and a local feed server."""

from __future__ import annotations

from tests.fetch.conftest import read_entries
from tests.fetch.feeds import STORIES, rss
from tests.fetch.test_poll import due_now, feed
from tests.kit.http import LocalServer
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.fetch.poll import Poller
from worker.fetch.seen import SeenSet, content_hash


def test_new_same_and_edited_entries_are_told_apart(redis_store: Redis) -> None:
    seen = SeenSet(redis_store, 60)
    seen.mark({"a": "v1", "b": "v1"})
    redis_store.set(redis_store.keys.seen("old"), "1")  # marked before hashes were kept
    assert seen.sort({"a": "v1", "b": "v2", "c": "v1", "old": "v1"}) == (["c"], {"b": "v1"})
    assert seen.sort({"old": "v2"}) == ([], {"old": "v1"})  # its hash was recorded: edits now count


def test_an_entry_edited_on_every_poll_is_passed_on_at_most_per_day_times(redis_store: Redis) -> None:
    seen = SeenSet(redis_store, 60)
    passed = [seen.within_budget({"busy": f"v{n}", "calm": "v0"} if n == 0 else {"busy": f"v{n}"}, 2)
              for n in range(4)]
    assert passed == [{"busy": "v0", "calm": "v0"}, {"busy": "v1"}, {}, {}]


def test_whitespace_is_no_edit_but_a_word_is() -> None:
    ten = content_hash("Toll rises", "<p>Ten dead</p>", None)
    assert content_hash("Toll rises", " <p>Ten  dead</p>\n", "") == ten
    assert content_hash("Toll rises", "<p>Twelve dead</p>", None) != ten


def test_an_entry_edited_in_its_feed_goes_on_again_as_a_revision(poller: Poller, http_server: LocalServer,
                                                                kafka: Kafka) -> None:
    http_server.set("/rss", body=rss(http_server.url("")))
    desk = feed(http_server, "/rss")
    assert poller.poll(desk).new == 3
    slug, title, summary, rfc, iso = STORIES[0]
    edited = [(slug, f"UPDATE: {title}", summary, rfc, iso), *STORIES[1:]]
    http_server.set("/rss", body=rss(http_server.url(""), edited))
    due_now(poller)
    assert poller.poll(desk).new == 0  # an edit is no new entry...
    due_now(poller)
    http_server.set("/rss", body=rss(http_server.url(""), edited, extra="<!-- same items -->"))
    poller.poll(desk)  # ...and the same edit polled again is nothing
    entries = read_entries(kafka)
    [first, revision] = [e for e in entries if e.guid == "desk-palmyra"]
    assert revision.id == first.id and revision.title == f"UPDATE: {title}"
    assert first.revision_of is None and revision.revision_of == first.content_hash != revision.content_hash
    assert len(entries) == 4 and poller.states.load("desk").entries_seen == 3


def test_entries_sent_before_redis_lost_its_keys_are_not_new_again(redis_store: Redis) -> None:
    seen = SeenSet(redis_store, ttl=3600)
    assert seen.sort({"a": "v1", "b": "v1"}) == (["a", "b"], {})
    seen.mark({"a": "v1", "b": "v1"})
    redis_store.delete(redis_store.keys.seen("a"), redis_store.keys.seen("b"))  # the loss
    assert seen.sort({"a": "v1", "b": "v2", "c": "v1"}) == (["c"], {"b": "v1"})  # b's edit still counts
    assert SeenSet(redis_store, ttl=3600).sort({"a": "v1", "c": "v1"}) == (["c"], {})  # written back
