"""The alert a route's decision becomes: what receivers get, built from the match record."""

from __future__ import annotations

from worker.records import Alert, Match, RouteDecision


def build_alert(match: Match, decision: RouteDecision, destination: str | None = None) -> Alert:
    """The alert of `decision`; for `destination`, it also names the routes that share it (see dedup).
    On a follow-up decision, the follow-up, under its own id, naming the first."""
    article = match.article
    routes = [decision.route]
    if destination is not None:
        routes += [d.route for d in match.routes
                   if d.status == "alert" and d is not decision and destination in d.shared]
    update = {} if decision.update_id is None else {
        "id": decision.update_id, "event": "alert.updated", "update_of": decision.alert_id,
        "changes": decision.changes}
    return Alert(
        id=decision.alert_id, route=decision.route, routes=routes, article_id=article.id, url=article.url,
        title=article.title, site=article.site, feed_id=article.feed_id, published=article.published,
        first_seen=article.first_seen, score=match.score, entities=match.entities, events=match.events,
        keywords=match.keywords, story=match.story, snippet=best_evidence(match),
        config_version=match.config_version,
    ).model_copy(update=update)


def best_evidence(match: Match) -> str:
    """An event's sentence says most about why; else the context of the strongest mention."""
    if match.events:
        return match.events[0].evidence
    for entity in match.entities:
        if entity.mentions:
            return entity.mentions[0].snippet
    return match.article.text[:280]


def what_changed(alert: Alert) -> str | None:
    """A follow-up's "Updated:" line, plain text for each sender to escape its own way."""
    changes = alert.changes
    if changes is None:
        return None
    retitled = changes.previous_title != changes.title
    parts = [f"was “{changes.previous_title}”, now “{changes.title}”" if retitled
             else "the text changed, the title did not"]
    if changes.new_entities:
        parts.append("new entities: " + ", ".join(changes.new_entities))
    if changes.new_events:
        parts.append("new events: " + ", ".join(changes.new_events))
    return "Updated: " + "; ".join(parts)
