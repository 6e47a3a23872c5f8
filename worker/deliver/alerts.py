"""The alert a route's decision becomes: what receivers get, built from the match record."""

from __future__ import annotations

from collections.abc import Iterator

from worker.records import Alert, MatchHead, RouteDecision, StoryRef, TextSource

# The words for where an alert's text came from and why the page was not used; the reasons are the
# extract stage's bounded `FallbackReason` (a test keeps both in step), shown raw if one is new.
_SOURCES: dict[TextSource, str] = {
    "page": "the page", "feed_content": "the feed's content", "feed_summary": "the feed's summary",
    "title": "the title alone",
}
_WHY: dict[str, str] = {
    "blocked": "the page's address is refused (private or not http)",
    "too_large": "the page is too large to fetch",
    "timeout": "the page did not answer in time",
    "http_error": "the page's server answered with an error",
    "unreachable": "the page's server could not be reached",
    "redirects": "the page redirects too many times",
    "not_html": "the page is not HTML",
    "no_text": "no article text was found on the page",
    "headline_only": "the page could not be extracted (paywall, teaser or gallery)",
    "shorter_than_feed": "the feed's text is longer than the page's",
    "too_short": "the page's text is too short",
    "extract_timeout": "extracting the page took too long",
    "extract_crashed": "extracting the page crashed",
    "extract_failed": "the page could not be extracted",
    "fetch_failed": "the page could not be fetched",
    "no_link": "the feed gave no link to a page",
}


def alerts_of(match: MatchHead) -> Iterator[tuple[RouteDecision, str, Alert]]:
    """Every alert a match record becomes, with its decision and destination: one per destination of each
    decision that alerts, except the destinations another route's alert of the story reaches (`shared`),
    which that alert names."""
    for decision in match.routes:
        if decision.status != "alert":
            continue
        for destination in decision.destinations:
            if destination not in decision.shared:
                yield decision, destination, build_alert(match, decision, destination)


def build_alert(match: MatchHead, decision: RouteDecision, destination: str | None = None) -> Alert:
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
        text_source=article.source, fallback_reason=article.fallback_reason,
        config_version=match.config_version,
    ).model_copy(update=update)


def best_evidence(match: MatchHead) -> str:
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


def text_source_line(alert: Alert) -> str | None:
    """What the alert stands on, as one plain-text line (each sender escapes it its own way), when it is
    not the page's text: "from the feed's summary: the page could not be extracted (paywall, ...)".
    None for the page's text and for a version-1 alert, which did not say."""
    if alert.text_source in (None, "page"):
        return None
    line = f"from {_SOURCES[alert.text_source]}"
    if alert.fallback_reason:
        line += f": {_WHY.get(alert.fallback_reason, alert.fallback_reason.replace('_', ' '))}"
    return line


def also_seen(story: StoryRef | None) -> str | None:
    """How often else the story was seen, in words whose count is what the outlets list shows:
    "also seen at 2 other outlets" when it lists them all; else the articles and how many are listed
    ("also seen in 2 other articles; 1 outlet listed": copies at one outlet, or more than the list holds)."""
    others = story.seen_count - 1 if story else 0
    if story is None or others < 1:
        return None
    listed = len(story.outlets)
    if listed == others:
        return f"also seen at {others} other outlet{'s' if others != 1 else ''}"
    line = f"also seen in {others} other article{'s' if others != 1 else ''}"
    return line + (f"; {listed} outlet{'s' if listed != 1 else ''} listed" if listed else "")
