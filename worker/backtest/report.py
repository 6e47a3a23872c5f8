"""From the alerting articles to the alerts a channel would see under each config, and their difference.

Only routes some article alerts on under one config only can change; the
others are reported unchanged, without counting. For the changed ones,
articles are taken in the order of their timestamps. Each gets its story
(stories.py: near copies collapse as live dedup collapses them), and a route
alerts once per story, as the dedup stage's claims allow: so counts are
alerts, not articles. Stories are formed over the articles either config
alerts on (on the changed routes), so a story is the same story on both sides and an alert that
merely moves to another copy of the story is no change. An alert is added
when the new config alerts on a story the current one does not (on that
route), removed the other way round; its example is the article that would
have raised it, with the `Difference` that says why.

The report is a pydantic model: `--json` writes it as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from worker.backtest.judge import Difference, Direction
from worker.backtest.scan import Fired
from worker.backtest.stories import MemoryStories
from worker.clients.kafka_span import PartitionSpan
from worker.config.models import DedupSettings


class AlertChange(BaseModel):
    """An alert one config raises and the other does not: the article that raises it, and why."""

    route: str
    story: str = Field(description="the story id (its first alerting article's id)")
    article: str
    title: str
    url: str
    at: datetime = Field(description="when the article was stored")
    entities: list[str] = Field(description="entities only the alerting config found in it")
    events: list[str] = Field(description="event types only the alerting config found in it")
    keywords: list[str] = Field(description="route keywords only the alerting config found in it")
    rule: str = Field(description="why the other config does not alert it: failed clauses, a mute, no route")
    mention: str = Field(description="the words that decide it, as written")
    snippet: str = Field(description="the words around them")


class Reasons(BaseModel):
    """How many of a route's added (or removed) alerts each entity, event type, keyword and rule is behind."""

    entities: dict[str, int] = Field(default_factory=dict)
    events: dict[str, int] = Field(default_factory=dict)
    keywords: dict[str, int] = Field(default_factory=dict)
    rules: dict[str, int] = Field(default_factory=dict)

    @classmethod
    def of(cls, changes: Iterable[AlertChange]) -> Reasons:
        entities, events, keywords, rules = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
        for change in changes:
            entities.update(change.entities)
            events.update(change.events)
            keywords.update(change.keywords)
            rules[change.rule] += 1
        return cls(entities=dict(entities.most_common()), events=dict(events.most_common()),
                   keywords=dict(keywords.most_common()), rules=dict(rules.most_common()))


class RouteChanges(BaseModel):
    route: str
    before: int | None = Field(description=(
        "alerts (stories) the current config raises on this route; none when no article alerts on it under "
        "one config only: then nothing changes and the alerts are not counted"))
    after: int | None = Field(description="alerts the new config raises (none: as before)")
    added: list[AlertChange]
    removed: list[AlertChange]
    why_added: Reasons
    why_removed: Reasons


class Gap(BaseModel):
    """A partition whose span start retention already deleted: what is left begins at `retained_from`."""

    partition: int
    retained_from: datetime | None = Field(description="the first record left; none when none is")


class Report(BaseModel):
    current: str = Field(description="the config folder compared against")
    new: str = Field(description="the changed config folder")
    topic: str
    start: datetime
    end: datetime
    deleted: list[Gap] = Field(description="partitions where retention already deleted part of the span")
    articles: int = Field(description="stored articles read")
    unreadable: int = Field(description="records that are not articles (left out)")
    alerting: int = Field(description="articles that alert on some route under either config")
    seconds: float = Field(description="the whole backtest, compiling included")
    compile_seconds: float = Field(description="compiling both configs' matchers")
    routes: list[RouteChanges]

    @property
    def added(self) -> int:
        return sum(len(r.added) for r in self.routes)

    @property
    def removed(self) -> int:
        return sum(len(r.removed) for r in self.routes)


def route_changes(fired: list[Fired], routes: Sequence[str], changed: frozenset[str],
                  dedup: DedupSettings) -> list[RouteChanges]:
    """Per route of `routes` (those of either config), the alerts each config raises and their difference;
    `fired` holds the fingerprinted articles that alert on the `changed` routes."""
    stories = MemoryStories(dedup)
    before: dict[str, dict[str, Fired]] = {route: {} for route in routes}  # route -> story -> its alert
    after: dict[str, dict[str, Fired]] = {route: {} for route in routes}
    for item in sorted(fired, key=lambda f: (f.at_ms, f.partition, f.offset)):
        if item.print_ is None:
            raise ValueError(f"article {item.article} has no fingerprint; compare what `scan` returns")
        story = stories.assign(item.article, item.at_ms, item.print_)
        for claims, alerting in ((before, item.old), (after, item.new)):
            for route in alerting:
                claims[route].setdefault(story, item)
    out = []
    for route in routes:
        if route not in changed:
            out.append(RouteChanges(route=route, before=None, after=None, added=[], removed=[],
                                    why_added=Reasons(), why_removed=Reasons()))
            continue
        old, new = before[route], after[route]
        added = [_change(route, story, item, "added") for story, item in new.items() if story not in old]
        removed = [_change(route, story, item, "removed") for story, item in old.items() if story not in new]
        out.append(RouteChanges(route=route, before=len(old), after=len(new), added=added, removed=removed,
                                why_added=Reasons.of(added), why_removed=Reasons.of(removed)))
    return out


def gaps(spans: Iterable[PartitionSpan]) -> list[Gap]:
    return [Gap(partition=s.partition.partition,
                retained_from=None if s.first_retained_ms is None else _at(s.first_retained_ms))
            for s in spans if s.deleted]


def _change(route: str, story: str, item: Fired, direction: Direction) -> AlertChange:
    why = next((d for d in item.why if d.route == route and d.direction == direction), None) \
        or Difference(route, direction, (), (), (), "", "", "")
    return AlertChange(route=route, story=story, article=item.article, title=item.title, url=item.url,
                       at=_at(item.at_ms), entities=list(why.entities), events=list(why.events),
                       keywords=list(why.keywords), rule=why.rule, mention=why.mention, snippet=why.snippet)


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
