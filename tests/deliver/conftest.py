"""Match records built by hand, and a deliver stage wired to the real Kafka, Redis and a local receiver."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from worker.config.models import (
    Config,
    ConsoleDestination,
    DeliverSettings,
    RetrySchedule,
    Route,
    Settings,
    SlackDestination,
    Terms,
    WebhookDestination,
    When,
)
from worker.records import (
    Alert,
    Article,
    Digest,
    EntityHit,
    EventHit,
    Match,
    Mention,
    RouteDecision,
    StoryRef,
    stable_id,
)

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
SECRET = "whsec_" + "ZGVsaXZlci10ZXN0cy1zaWduaW5nLWtleQ=="
# Retries within 1.55 s in all; a breaker that opens after 3 failures in a row, probing every 0.3 s at most.
QUICK = RetrySchedule(delays=[0.05, 0.1, 0.2, 0.4, 0.8], open_after=3, probe_max=0.3)
FAST = DeliverSettings(retry=QUICK, slack_min_interval=0.5, timeout=5)


def match(title: str = "IS fighters seize Palmyra", routes: tuple[str, ...] = ("conflict",),
          destinations: tuple[str, ...] = ("hook",), digest: float | None = None) -> Match:
    article_id = uuid.uuid4().hex
    article = Article(id=article_id, feed_id="wire", url=f"https://wire.example/{article_id[:8]}",
                      link="https://wire.example/x", title=title, site="wire.example", source="page",
                      text="IS fighters captured Palmyra on Sunday after defences collapsed.",
                      first_seen=datetime.now(UTC))
    entity = EntityHit(id="islamic-state", name="Islamic State", kind="group", watchlist="me", score=5,
                       mentions=[Mention(text="IS", alias="IS", field="body", start=0, end=2,
                                         snippet="IS fighters captured Palmyra")])
    event = EventHit(id="armed-conflict", name="Armed conflict", trigger="captured", field="body",
                     start=12, end=20,
                     evidence="IS fighters captured Palmyra on Sunday after defences collapsed.")
    decisions = [RouteDecision(route=r, alert_id=stable_id(r, article_id), status="alert",
                               destinations=list(destinations), digest=digest) for r in routes]
    return Match(id=article_id, article=article, score=5, entities=[entity], events=[event],
                 routes=decisions, story=StoryRef(id=article_id, url=article.url), config_version="test")


def config(settings: Settings, hook_url: str = "", slack_url: str = "",
           secret: str | None = SECRET) -> Config:
    nowhere = "http://127.0.0.1:9/none"
    destinations = [ConsoleDestination(id="console", type="console"),
                    WebhookDestination(id="hook", type="webhook", url=hook_url or nowhere, secret=secret),
                    SlackDestination(id="slack", type="slack", url=slack_url or nowhere)]
    route = Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=["hook"])
    return Config(settings=settings, destinations=destinations, routes=[route])


def alert(title: str = "Port workers end strike", url: str = "https://news.example/a", n: int = 0,
          **fields: object) -> Alert:
    values: dict[str, object] = {
        "id": f"alert-{n}", "route": "conflict", "article_id": f"article-{n}", "url": url, "title": title,
        "site": "news.example", "feed_id": "wire", "first_seen": NOW, "score": 1.0, "entities": [],
        "events": [], "keywords": [], "snippet": "Dockers accepted the deal on Friday.",
        "config_version": "test", **fields}
    return Alert.model_validate(values)


def digest(items: list[Alert]) -> Digest:
    return Digest(id="digest-1", route="conflict", period_start=NOW, period_end=NOW, alerts=items)
