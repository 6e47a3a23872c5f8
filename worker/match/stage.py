"""The match stage: articles in, match records out, after the matcher and dedup have spoken.

The stage builds its matcher on start and again for each reloaded config,
off the hot path, and swaps it in with one assignment. Per batch: take the
current matcher once (so a reload swaps it between batches, never inside
one), match each article, and for the routes that fire ask dedup whether
this story was already alerted on that route. The record goes to the
matches topic either way: a duplicate's record says which story it repeats,
and deliver sends only the decisions marked "alert". Articles that fire no
route write nothing; the counters say how many there were.
"""

from __future__ import annotations

import time

from worker import metrics
from worker.clients.connections import Clients
from worker.clients.kafka import Message, Outgoing
from worker.config.models import Config
from worker.dedup.claims import Deduplicator
from worker.dedup.followups import FollowUps
from worker.dedup.outlets import with_outlets
from worker.health import Health
from worker.logs import get_logger
from worker.match.matcher import Matcher
from worker.records import Article
from worker.runtime import ConsumerStage, StageCore

log = get_logger(__name__)


class CurrentMatcher:
    """The stage's matcher: built from the config it starts with, rebuilt for each reloaded one."""

    def __init__(self, config: Config) -> None:
        self.current = Matcher.build(config)

    def update(self, config: Config) -> None:
        """Build the new config's matcher and swap it in whole (the batch under way keeps the old one)."""
        if config.version == self.current.version:
            return
        started = time.monotonic()
        matcher = Matcher.build(config)
        self.current = matcher
        log.info("matcher rebuilt for the reloaded config", version=matcher.version,
                 phrases=matcher.automaton.size, seconds=round(time.monotonic() - started, 3))


class MatchCore(StageCore[Article]):
    def __init__(self, matchers: CurrentMatcher, dedup: Deduplicator, matches_topic: str,
                 follow_ups: FollowUps | None = None) -> None:
        self.matchers = matchers
        self.dedup = dedup
        self.topic = matches_topic
        self.follow_ups = follow_ups

    def update(self, config: Config) -> None:
        self.matchers.update(config)

    def handle(self, items: list[tuple[Message, Article]]) -> list[Outgoing]:
        matcher = self.matchers.current
        out: list[Outgoing] = []
        for _, article in items:
            result = matcher.match(article)
            metrics.MATCHED_ARTICLES.inc()
            if not result.routes:
                log.debug("no route fired", article=article.id, feed=article.feed_id, url=article.url)
                continue
            story, decisions = self.dedup.decide(article, [matcher.config.route(r) for r in result.routes])
            if story.seen_count > 1:
                story = with_outlets(story, article.url, self.dedup.also_seen(story.id))
            for decision in decisions:
                metrics.MATCHES.labels(decision.route).inc()
            record = matcher.record(article, result, decisions, story)
            if self.follow_ups is not None:
                record = self.follow_ups.revise(record, matcher.config)
                decisions = record.routes
            out.append(Outgoing(self.topic, article.id, record.to_json()))
            log.info("article matched", article=article.id, feed=article.feed_id, url=article.url,
                     score=result.score, story=story.id,
                     alerts={d.route: d.alert_id for d in decisions if d.status == "alert"},
                     duplicates=[d.route for d in decisions if d.status == "duplicate"],
                     config=matcher.version)
        return out


def match_stage(config: Config, clients: Clients, health: Health) -> ConsumerStage[Article]:
    """The match stage of `newswatch run`: group newswatch-match, reading articles, writing matches."""
    settings, kafka = config.settings.dedup, clients.kafka
    dedup, follow_ups = Deduplicator(clients.redis, settings), FollowUps(clients.redis, settings)
    core = MatchCore(CurrentMatcher(config), dedup, kafka.topic("matches"), follow_ups)
    return ConsumerStage("match", kafka, core, Article, "articles", health=health)
