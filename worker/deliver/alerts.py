"""The alert a route's decision becomes: what receivers get, built from the match record."""

from __future__ import annotations

from worker.records import Alert, Match, RouteDecision


def build_alert(match: Match, decision: RouteDecision, destination: str | None = None) -> Alert:
    """The alert of `decision`; for `destination`, it also names the routes that share it (see dedup)."""
    article = match.article
    routes = [decision.route]
    if destination is not None:
        routes += [d.route for d in match.routes
                   if d.status == "alert" and d is not decision and destination in d.shared]
    return Alert(
        id=decision.alert_id, route=decision.route, routes=routes, article_id=article.id, url=article.url,
        title=article.title, site=article.site, feed_id=article.feed_id, published=article.published,
        first_seen=article.first_seen, score=match.score, entities=match.entities, events=match.events,
        keywords=match.keywords, story=match.story, snippet=best_evidence(match),
        config_version=match.config_version,
    )


def best_evidence(match: Match) -> str:
    """An event's sentence says most about why; else the context of the strongest mention."""
    if match.events:
        return match.events[0].evidence
    for entity in match.entities:
        if entity.mentions:
            return entity.mentions[0].snippet
    return match.article.text[:280]
