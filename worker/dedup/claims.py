"""Per route, one alert per story: the first article of a story to fire a route claims its alert.

The alert id is a hash of the route and the story, so every replica and every
re-read of an article computes the same one. The claim is a Redis SET NX
holding the claiming article's id: the claimant (and only it, however often
it is processed again) gets status "alert"; every other article of the story
gets "duplicate", counted and shown in its match record with the story's
first URL. Deliver sends each alert id once, so a repeated "alert" is free.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker import metrics
from worker.clients.redis import Redis
from worker.config.models import DedupSettings, Route
from worker.dedup.stories import Assignment, Stories
from worker.logs import get_logger
from worker.records import Article, RouteDecision, StoryRef, stable_id

log = get_logger(__name__)


class Deduplicator:
    def __init__(self, store: Redis, settings: DedupSettings) -> None:
        self.store = store
        self.settings = settings
        self.stories = Stories(store, settings)

    def decide(self, article: Article, fired: Sequence[Route]) -> tuple[StoryRef, list[RouteDecision]]:
        """The article's story, and for each fired route whether it alerts or repeats an alert."""
        assignment = self.stories.assign(article)
        pipe = self.store.client.pipeline(transaction=False)  # one round trip for the rest
        self.stories.describe(pipe, assignment.story)
        ids = [stable_id(route.id, assignment.story) for route in fired]
        for alert_id in ids:
            pipe.set(self.store.key("alert", alert_id), article.id, nx=True, get=True,
                     ex=int(self.settings.exact_ttl))
        url, count, *owners = pipe.execute()
        story = StoryRef(id=assignment.story, url=url or article.url, similarity=assignment.similarity,
                         seen_count=max(1, int(count)))
        decisions = []
        for route, alert_id, owner in zip(fired, ids, owners, strict=True):
            status = "alert" if owner in (None, article.id) else "duplicate"
            if status == "duplicate":
                self._dropped(article, route, alert_id, assignment)
            decisions.append(RouteDecision(route=route.id, alert_id=alert_id, status=status,
                                           destinations=list(route.to), digest=route.digest))
        return story, decisions

    def also_seen(self, story_id: str) -> list[str]:
        """Other outlets' URLs of a story, newest first (for digests and UIs)."""
        return self.stories.also_seen(story_id)

    def _dropped(self, article: Article, route: Route, alert_id: str, assignment: Assignment) -> None:
        kind = "near" if assignment.kind == "near" else "exact"
        metrics.DEDUP_DROPS.labels(kind).inc()
        log.info("repeat of an alerted story; not alerted again", article=article.id, url=article.url,
                 route=route.id, alert=alert_id, story=assignment.story, kind=kind,
                 similarity=round(assignment.similarity, 3))
