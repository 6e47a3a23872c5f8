"""The other outlets an alert lists: from the story's copies in the real Redis, never the article itself."""

from __future__ import annotations

from tests.dedup.stories import QUAKE, rewrite
from tests.dedup.test_dedup import DISASTERS, article
from worker.clients.redis import Redis
from worker.config.models import DedupSettings
from worker.dedup.claims import Deduplicator
from worker.dedup.outlets import OUTLETS, with_outlets
from worker.records import Outlet, StoryRef


def test_a_later_copy_lists_the_earlier_outlets_newest_first(redis_store: Redis) -> None:
    dedup = Deduplicator(redis_store, DedupSettings())
    wire, daily, herald = (article(QUAKE, "wire"), article(rewrite(QUAKE), "daily"),
                           article(rewrite(QUAKE), "herald"))
    for copy in (wire, daily):
        dedup.decide(copy, [DISASTERS])
    story, _ = dedup.decide(herald, [DISASTERS])
    listed = with_outlets(story, herald.url, dedup.also_seen(story.id)[story.id])
    assert listed.outlets == [Outlet(url=daily.url, site="daily.example"),
                              Outlet(url=wire.url, site="wire.example")]


def test_at_most_five_outlets_and_none_twice() -> None:
    urls = [f"https://www.site{i}.example/a" for i in range(8)]
    story = StoryRef(id="s", url=urls[0], seen_count=9)
    listed = with_outlets(story, urls[3], [*urls[1:], urls[1]])
    assert [o.url for o in listed.outlets] == urls[1:3] + urls[4:7]
    assert len(listed.outlets) == OUTLETS and listed.outlets[0].site == "site1.example"


def test_a_story_of_one_article_lists_nothing() -> None:
    story = StoryRef(id="s", url="https://wire.example/a")
    assert with_outlets(story, story.url, []) == story
