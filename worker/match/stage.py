"""The match stage: articles in, match records out, after the matcher and dedup have spoken.

The stage builds its matcher on start and again for each reloaded config,
off the hot path, and swaps it in with one assignment. Per batch: take the
current matcher once (so a reload swaps it between batches, never inside
one), match each article, find the stories of those that fire routes (for
the whole batch at once: a few Redis round trips, not a few per article),
and for the routes that fire ask dedup whether this story was already
alerted on that route. A mute (in the config, or set
at run time with `newswatch mute`, read from Redis at most every couple of
seconds, once per batch) holds a fired route back before dedup claims
anything: its decision says "muted", so the story alerts as new once the
mute ends. The record goes to the matches topic either way: a duplicate's
record says which story it repeats, a muted one which mute held it back, and
deliver sends only the decisions marked "alert". Articles that fire no route
write nothing; the counters say how many there were.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from worker import metrics
from worker.clients.connections import Clients
from worker.clients.kafka import Message, Outgoing
from worker.config.models import Config, Route
from worker.dedup.claims import Deduplicator
from worker.dedup.followups import FollowUps
from worker.dedup.outlets import with_outlets
from worker.dedup.signature import Fingerprint, fingerprint
from worker.dedup.stories import Assignment
from worker.health import Health
from worker.logs import get_logger
from worker.match.matcher import Matcher, fold_texts
from worker.match.mutes import Muting, config_mutes, decisions, held_back
from worker.match.result import MatchResult
from worker.mutes import MuteStore, RuntimeMutes
from worker.records import Article, Match, Mute, RouteDecision, StoryRef, utcnow
from worker.runtime import ConsumerStage, StageCore

log = get_logger(__name__)


class CurrentMatcher:
    """The stage's matcher: built from the config it starts with, rebuilt for each reloaded one."""

    def __init__(self, config: Config) -> None:
        self.current = _compiled(config)
        self.mutes = config_mutes(config)

    def update(self, config: Config) -> None:
        """Build the new config's matcher and swap it in whole (the batch under way keeps the old one)."""
        if config.version == self.current.version:
            return
        started = time.monotonic()
        matcher = _compiled(config, self.current.met())
        self.current, self.mutes = matcher, config_mutes(config)
        log.info("matcher rebuilt for the reloaded config", version=matcher.version,
                 phrases=matcher.automaton.size, prepared_for=matcher.met(),
                 seconds=round(time.monotonic() - started, 3))


def _compiled(config: Config, languages: Iterable[str] = ()) -> Matcher:
    """The config's matcher, prepared for `languages` (those the matcher it replaces had met): here,
    before the swap, rather than in the batch of the first article of each (see `Matcher.prepare`)."""
    matcher = Matcher.build(config)
    matcher.prepare(languages)
    return matcher


class MatchCore(StageCore[Article]):
    def __init__(self, matchers: CurrentMatcher, dedup: Deduplicator, matches_topic: str,
                 follow_ups: FollowUps | None = None, mutes: RuntimeMutes | None = None) -> None:
        self.matchers = matchers
        self.dedup = dedup
        self.topic = matches_topic
        self.follow_ups = follow_ups
        self.mutes = mutes

    def update(self, config: Config) -> None:
        self.matchers.update(config)

    def handle(self, items: list[tuple[Message, Article]]) -> list[Outgoing]:
        matcher = self.matchers.current
        now = utcnow()
        runtime: list[Mute] = self.mutes.current(now) if self.mutes else []
        muting = Muting.at(now, [*self.matchers.mutes, *runtime])  # once per batch
        fired: list[tuple[Article, MatchResult]] = []
        prints: list[Fingerprint] = []
        for _, article in items:
            folds = fold_texts(article)  # once, for the matcher and dedup's fingerprint
            result = matcher.match(article, folds=folds)
            metrics.MATCHED_ARTICLES.inc()
            if result.routes:
                fired.append((article, result))
                prints.append(fingerprint(folds))
            else:
                log.debug("no route fired", article=article.id, feed=article.feed_id, url=article.url)
        # the stories, claims and other outlets of the batch's articles in a few round trips for all
        # (see dedup/stories.py and dedup/claims.py), each in order, as if one article after another
        assignments = self.dedup.stories.assign_all(
            [(article, print_) for (article, _), print_ in zip(fired, prints, strict=True)])
        routes = {route.id: route for route in matcher.config.routes}
        held = [self._held(matcher, muting, result, assignment)
                for (_, result), assignment in zip(fired, assignments, strict=True)]
        decided = self.dedup.decide_all([
            (article, [routes[r] for r in result.routes if r not in holds], assignment)
            for (article, result), holds, assignment in zip(fired, held, assignments, strict=True)])
        also = self.dedup.also_seen(*{story.id for story, _ in decided if story.seen_count > 1})
        records = [self._record(matcher, routes, article, result, holds, story, decisions, also.get(story.id))
                   for (article, result), holds, (story, decisions) in zip(fired, held, decided, strict=True)]
        if self.follow_ups is not None:
            records = self.follow_ups.revise_all(records, matcher.config)
        return [self._outgoing(matcher, record, result.score, holds)
                for record, (_, result), holds in zip(records, fired, held, strict=True)]

    @staticmethod
    def _held(matcher: Matcher, muting: Muting, result: MatchResult,
              assignment: Assignment) -> dict[str, Mute]:
        """The fired routes a mute holds back, and by which mute: before dedup claims anything."""
        held = held_back(result.routes, result.found, matcher.routes, muting)
        if (story_mute := muting.of("story", assignment.story)) is not None:
            held = {r: held.get(r, story_mute) for r in result.routes}
        return held

    @staticmethod
    def _record(matcher: Matcher, routes: dict[str, Route], article: Article, result: MatchResult,
                held: dict[str, Mute], story: StoryRef, decided: list[RouteDecision],
                also_seen: list[str] | None) -> Match:
        """The match record of an article that fired routes, once mutes and dedup have spoken; `routes`:
        the config's, by id."""
        if also_seen is not None:
            story = with_outlets(story, article.url, also_seen)
        decided = decisions(result.routes, decided, held, routes, story.id)
        for decision in decided:
            metrics.MATCHES.labels(decision.route).inc()
        for mute in held.values():
            metrics.MUTED.labels(mute.kind).inc()
        return matcher.record(article, result, decided, story)

    def _outgoing(self, matcher: Matcher, record: Match, score: float, held: dict[str, Mute]) -> Outgoing:
        article = record.article
        log.info("article matched", article=article.id, feed=article.feed_id, url=article.url,
                 score=score, story=record.story.id if record.story else None,
                 alerts={d.route: d.alert_id for d in record.routes if d.status == "alert"},
                 duplicates=[d.route for d in record.routes if d.status == "duplicate"],
                 muted={r: f"{m.kind} {m.id} until {m.until.isoformat()}" for r, m in held.items()},
                 config=matcher.version)
        return Outgoing(self.topic, article.id, record.to_json())


def match_stage(config: Config, clients: Clients, health: Health) -> ConsumerStage[Article]:
    """The match stage of `newswatch run`: group newswatch-match, reading articles, writing matches."""
    settings, kafka = config.settings.dedup, clients.kafka
    dedup, follow_ups = Deduplicator(clients.redis, settings), FollowUps(clients.redis, settings)
    mutes = RuntimeMutes(MuteStore(clients.redis))
    core = MatchCore(CurrentMatcher(config), dedup, kafka.topic("matches"), follow_ups, mutes)
    return ConsumerStage("match", kafka, core, Article, "articles", health=health)
