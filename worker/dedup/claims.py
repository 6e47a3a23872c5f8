"""Per route, one alert per story; per destination, one message per story.

The alert id is a hash of the route and the story (`records.alert_id`), so
every replica and every re-read of an article computes the same one. The claim is a Redis SET NX
holding the claiming article's id: the claimant (and only it, however often
it is processed again) gets status "alert"; every other article of the story
gets "duplicate", counted and shown in its match record with the story's
first URL. Deliver sends each alert id once, so a repeated "alert" is free.

Two routes that fire on one story and share a destination would send it the
same story twice. So each destination is claimed too, per story (and per
digest period, since a digest and an immediate message are different
messages), by the first alert to reach it, in config order: the other
routes' decisions list that destination as `shared`, and the claiming alert
names them in its `routes`. The claim holds an alert id, so re-reading the
article decides the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from worker import metrics, records
from worker.clients.redis import Redis
from worker.config.models import DedupSettings, Route
from worker.dedup.signature import fingerprint_of
from worker.dedup.stories import Assignment, Stories
from worker.logs import get_logger
from worker.records import AlertStatus, Article, RouteDecision, StoryRef

log = get_logger(__name__)


class Deduplicator:
    def __init__(self, store: Redis, settings: DedupSettings) -> None:
        self.store = store
        self.settings = settings
        self.stories = Stories(store, settings)

    def decide(self, article: Article, fired: Sequence[Route],
               assignment: Assignment | None = None) -> tuple[StoryRef, list[RouteDecision]]:
        """The article's story, and for each fired route whether it alerts or repeats an alert; pass the
        `assignment` when it was made first (to see whether the story is muted before claiming)."""
        assignment = assignment or self.stories.assign(article, fingerprint_of(article.title, article.text))
        return self.decide_all([(article, fired, assignment)])[0]

    def decide_all(self, items: Sequence[tuple[Article, Sequence[Route], Assignment]],
                   ) -> list[tuple[StoryRef, list[RouteDecision]]]:
        """`decide` for a batch's articles (each with its fired routes and story), as if one after
        another, in two round trips for them all: the stories and route claims, then the destinations'
        claims. Each round trip runs in order, so an article sees what the ones before it claimed."""
        pipe = self.store.pipeline()
        wanted = []
        for article, fired, assignment in items:
            self.stories.describe(pipe, assignment.story)
            ids = [records.alert_id(route.id, assignment.story) for route in fired]
            for alert_id in ids:
                pipe.set(self.store.keys.alert(alert_id), article.id, nx=True, get=True,
                         ex=int(self.settings.exact_ttl))
            wanted.append(ids)
        replies = iter(pipe.execute() if wanted else [])
        decided = []
        for (article, fired, assignment), ids in zip(items, wanted, strict=True):
            url, count = next(replies), next(replies)
            story = StoryRef(id=assignment.story, url=url or article.url, similarity=assignment.similarity,
                             seen_count=max(1, int(count)))
            decisions = []
            for route, alert_id in zip(fired, ids, strict=True):
                owner = next(replies)
                status: AlertStatus = "alert" if owner in (None, article.id) else "duplicate"
                if status == "duplicate":
                    self._dropped(article, route, alert_id, assignment)
                decisions.append(RouteDecision.of(route, assignment.story, status))
            decided.append((story, decisions))
        shared = self._share_destinations([(story.id, decisions) for story, decisions in decided])
        return [(story, decisions) for (story, _), decisions in zip(decided, shared, strict=True)]

    def _share_destinations(self, items: list[tuple[str, list[RouteDecision]]]) -> list[list[RouteDecision]]:
        """Claim each (destination, digest period) of each story for one alert, in one round trip for
        all of a batch's (story, decisions); see the module docstring."""
        wanted = [(story, d, dest) for story, decisions in items for d in decisions if d.status == "alert"
                  for dest in d.destinations]
        if not wanted:
            return [decisions for _, decisions in items]
        pipe = self.store.pipeline()
        for story, decision, dest in wanted:
            pipe.set(self.store.keys.sent_to(dest, f"{decision.digest or 0:g}", story), decision.alert_id,
                     nx=True, get=True, ex=int(self.settings.exact_ttl))
        shared: dict[str, list[str]] = {}
        for (story, decision, dest), owner in zip(wanted, pipe.execute(), strict=True):
            if owner not in (None, decision.alert_id):
                shared.setdefault(decision.alert_id, []).append(dest)
                log.debug("story already sent to this destination by another route's alert; named there",
                          route=decision.route, destination=dest, alert=decision.alert_id, by_alert=owner,
                          story=story)
        return [[d.model_copy(update={"shared": shared[d.alert_id]}) if d.alert_id in shared else d
                 for d in decisions] for _, decisions in items]

    def also_seen(self, *stories: str) -> dict[str, list[str]]:
        """Other outlets' URLs of each story, newest first (for digests and UIs), in one round trip."""
        return self.stories.also_seen(stories)

    def _dropped(self, article: Article, route: Route, alert_id: str, assignment: Assignment) -> None:
        kind: metrics.DropKind = "near" if assignment.kind == "near" else "exact"
        metrics.DEDUP_DROPS.labels(kind).inc()
        log.info("repeat of an alerted story; not alerted again", article=article.id, url=article.url,
                 route=route.id, alert=alert_id, story=assignment.story, kind=kind,
                 similarity=round(assignment.similarity, 3))
