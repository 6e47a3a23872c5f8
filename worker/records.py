"""The messages between stages, as versioned JSON.

Each record carries `type` and `version`. Within a version, fields are only
ever added, and readers ignore fields they do not know, so a stage can be
upgraded before or after its neighbours. A change that removes or re-means a
field is a new version. The JSON Schemas in `worker/schemas/` are generated
from these models (`newswatch schemas --write`) and a test keeps them in step.

    fetch --Entry--> extract --Article--> match+dedup --Match--> deliver --Alert--> Slack/webhook
                                                                    \\--DeadLetter--> replay
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from worker.errors import RecordError


def utcnow() -> datetime:
    return datetime.now(UTC)


def stable_id(*parts: str) -> str:
    """A 128-bit hex id from its parts: the same input always gives the same id, on any replica."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()


R = TypeVar("R", bound=Record)


def parse_record(cls: type[R], raw: bytes | None) -> R:
    """Decode one Kafka value; a `RecordError` says what is wrong with it."""
    if raw is None:
        raise RecordError(f"empty message where a {cls.__name__} was expected")
    try:
        return cls.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise RecordError(f"not a valid {cls.__name__}: {where}: {first['msg']} "
                          f"({exc.error_count()} problem(s))") from None


# --- fetch -> extract ---------------------------------------------------------------------------


class Entry(Record):
    """A new item seen in a feed. Keyed on the entries topic by `url`."""

    type: Literal["entry"] = "entry"
    version: Literal[1] = 1
    id: str = Field(
        description="stable article id: hash of the entry's canonical id; follows the article "
                    "through every stage")
    feed_id: str
    feed_url: str
    url: str = Field(description="canonical URL: fragment and tracking parameters (utm_*, fbclid...) removed")
    link: str = Field(description="the link as the feed gave it")
    guid: str | None = None
    title: str = ""
    summary: str | None = Field(None, description="the feed's summary, as text")
    content: str | None = Field(None, description="the feed's full content, when it has one, as HTML")
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    tags: list[str] = Field(default_factory=list, description="the feed's tags from config")
    first_seen: datetime = Field(default_factory=utcnow,
        description="when a fetcher first saw the entry; alert latency is measured from here")


# --- extract -> match ---------------------------------------------------------------------------

TextSource = Literal["page", "feed_content", "feed_summary", "title"]
BlockKind = Literal["paragraph", "heading", "list", "quote", "table", "caption", "code", "embed"]
BlockRole = Literal["body", "follow", "contact", "bio", "related", "promo", "credit"]


class Block(Record):
    """One block of the article's `text` (a paragraph, heading, list...), and whether it is the story."""

    kind: BlockKind
    start: int = Field(description="character offset of the block in `text`")
    end: int
    role: BlockRole = Field("body", description=(
        "body, or the boilerplate it is (a follow or share line, contact line, author bio, related or "
        "read-more list, newsletter or subscription promo, photo credit): its mentions do not count"))


class Article(Record):
    """An entry with its extracted body. Keyed on the articles topic by `url`."""

    type: Literal["article"] = "article"
    version: Literal[1] = 1
    id: str
    feed_id: str
    url: str
    link: str
    title: str
    text: str = Field(description="the article body as plain text, paragraphs separated by newlines")
    source: TextSource = Field(
        description="where `text` came from: the page, or the feed when the page failed")
    fallback_reason: str | None = Field(None, description="why the page was not used, when it was not")
    blocks: list[Block] = Field(default_factory=list, description=(
        "the structure of `text` when it came from the page; none for feed text, which all counts"))
    extraction_note: str | None = Field(None, description=(
        "why the page's text is not trafilatura's precise extraction: a longer recall-mode text was "
        "taken, or the page held only a headline"))
    author: str | None = None
    published: datetime | None = None
    language: str | None = None
    site: str | None = None
    tags: list[str] = Field(default_factory=list)
    first_seen: datetime
    extracted_at: datetime = Field(default_factory=utcnow)


# --- match -> deliver ---------------------------------------------------------------------------

Field_ = Literal["title", "body"]


class Mention(Record):
    text: str = Field(description="the words as written in the article")
    alias: str = Field(description="the configured alias that matched")
    field: Field_
    start: int = Field(description="character offset in the title or body")
    end: int
    snippet: str = Field(description="the words around the mention")
    block: BlockKind | None = Field(None, description="the kind of block the mention stands in")


class UncountedMention(Record):
    """A mention in a boilerplate block: shown to explain, never counted towards a route."""

    entity: str = Field(description="the entity id")
    text: str
    start: int = Field(description="character offset in the body")
    end: int
    block: BlockKind
    role: BlockRole = Field(description="the boilerplate that holds it")
    snippet: str


class EntityHit(Record):
    id: str
    name: str
    kind: str
    watchlist: str
    score: float = Field(description="mentions weighted by place: title, lead, body")
    mentions: list[Mention]


class EventHit(Record):
    id: str
    name: str
    trigger: str = Field(description="the words as written")
    field: Field_
    start: int
    end: int
    evidence: str = Field(description="the sentence that holds the trigger")


class KeywordHit(Record):
    keyword: str
    field: Field_
    start: int
    end: int


class StoryRef(Record):
    """The story an article belongs to: itself, or an earlier near-identical article."""

    id: str = Field(description="the id of the story's first article")
    url: str = Field(description="the first article's URL")
    similarity: float = Field(1.0, description="estimated Jaccard similarity to the first article")
    seen_count: int = Field(1, description="articles of this story seen so far, this one included")


class RouteDecision(Record):
    route: str
    alert_id: str = Field(description="stable per route and story: receivers drop what they already have")
    status: Literal["alert", "duplicate"]
    destinations: list[str]
    digest: float | None = Field(None, description="digest period in seconds, when the route collects alerts")


class Match(Record):
    """Why an article matters: keyed on the matches topic by article `id`."""

    type: Literal["match"] = "match"
    version: Literal[1] = 1
    id: str = Field(description="the article id")
    article: Article
    score: float
    entities: list[EntityHit] = Field(default_factory=list)
    events: list[EventHit] = Field(default_factory=list)
    keywords: list[KeywordHit] = Field(default_factory=list)
    routes: list[RouteDecision] = Field(default_factory=list)
    uncounted: list[UncountedMention] = Field(default_factory=list, description=(
        "mentions that stand in boilerplate blocks (follow lines, bios, related lists...): "
        "they count for nothing"))
    story: StoryRef | None = None
    config_version: str
    matched_at: datetime = Field(default_factory=utcnow)


# --- deliver ------------------------------------------------------------------------------------


class Alert(Record):
    """What a webhook receives (and what Slack and the console render). Signed per Standard Webhooks."""

    type: Literal["alert"] = "alert"
    version: Literal[1] = 1
    id: str = Field(description="alert id, also the webhook-id header")
    route: str
    article_id: str
    url: str
    title: str
    site: str | None = None
    feed_id: str
    published: datetime | None = None
    first_seen: datetime
    score: float
    entities: list[EntityHit]
    events: list[EventHit]
    keywords: list[KeywordHit]
    story: StoryRef | None = None
    snippet: str = Field(description="the best evidence: an event sentence, else the first mention's context")
    config_version: str


class Digest(Record):
    """One summary of a route's alerts over a period, for routes with `digest`."""

    type: Literal["digest"] = "digest"
    version: Literal[1] = 1
    id: str = Field(description="stable per route, destination and period")
    route: str
    period_start: datetime
    period_end: datetime
    alerts: list[Alert]


class DeadLetter(Record):
    """An alert a destination refused after every attempt; `newswatch dlq replay` sends it again."""

    type: Literal["deadletter"] = "deadletter"
    version: Literal[1] = 1
    alert: Alert | None = None
    digest: Digest | None = None
    destination: str
    reason: str
    attempts: int
    failed_at: datetime = Field(default_factory=utcnow)


class Rejected(Record):
    """A message a stage could not read: kept, with why, instead of dropped."""

    type: Literal["rejected"] = "rejected"
    version: Literal[1] = 1
    stage: str
    topic: str
    partition: int
    offset: int
    key: str | None = None
    value: str = Field(description="the raw value, cut at 64 kB")
    error: str
    rejected_at: datetime = Field(default_factory=utcnow)


RECORDS: dict[str, type[Record]] = {
    "entry": Entry, "article": Article, "match": Match, "alert": Alert,
    "digest": Digest, "deadletter": DeadLetter, "rejected": Rejected,
}
