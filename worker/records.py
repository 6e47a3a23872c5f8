"""The messages between stages, as versioned JSON.

Each record carries `type` and `version`. Within a version, fields are only
ever added, and readers ignore fields they do not know, so a stage can be
upgraded before or after its neighbours. A change that removes or re-means a
field is a new version. The JSON Schemas in `worker/schemas/` are generated
from these models (`newswatch schemas --write`) and a test keeps them in step.

    fetch --Entry--> extract --Article--> match+dedup --Match--> deliver --Alert--> Slack/webhook
                                                                    \\--DeadLetter--> replay
    fetch --FeedHealth (notices)--> deliver
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from worker.errors import RecordError
from worker.language import canonical, iso_639_1
from worker.text import BODY, CONTENT, GUID, LANGUAGE, NAME, SUMMARY, TITLE, refuse_unclean

if TYPE_CHECKING:  # records import no config at run time: a reader of the topics needs none
    from worker.config.models import Route


def utcnow() -> datetime:
    return datetime.now(UTC)


def stable_id(*parts: str) -> str:
    """A 128-bit hex id from its parts: the same input always gives the same id, on any replica."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


# A feed's health as fetch keeps it (per feed, in Redis) and notices report it: see fetch/feed_health.py.
FeedHealthState = Literal["ok", "failing", "silent"]
# What was decided for a fired route: it alerts, it repeats an alert already made on the story, or a mute
# holds it back (match version 2; see `Match.version`).
AlertStatus = Literal["alert", "duplicate", "muted"]
MuteKind = Literal["story", "entity", "watchlist", "route"]


def alert_id(route: str, story: str) -> str:
    """The id of a route's alert on a story: every replica and every re-read of an article computes the
    same one, so receivers and the deliver ledger drop what they already have. Never change the formula:
    the ids already in Kafka and Redis must keep matching."""
    return stable_id(route, story)


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    def to_json(self) -> bytes:
        return self.model_dump_json(exclude_none=True).encode()


R = TypeVar("R", bound=Record)


def parse_record(cls: type[R], raw: bytes | None, stored: bool = False) -> R:
    """Decode one Kafka value; a `RecordError` says what is wrong with it.

    `stored`: a record read back long after a stage wrote it (a backtest), whose text that stage already
    checked for controls and overrides: that check, most of decoding an article's cost, is not made again.
    Everything else is still checked, so what is not such a record is still refused."""
    if raw is None:
        raise RecordError(f"empty message where a {cls.__name__} was expected")
    try:
        return cls.model_validate_json(raw, context=_STORED if stored else None)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "(record)"
        raise RecordError(f"not a valid {cls.__name__}: {where}: {first['msg']} "
                          f"({exc.error_count()} problem(s))") from None


_STORED = {"stored": True}  # the validation context of `parse_record(..., stored=True)`


def _clean_text(limit: int) -> AfterValidator:
    """Text a feed or a page gave: refused unless `worker.text.clean` would leave it as it is (see there
    why); not checked again in a stored record (`parse_record`)."""
    check = refuse_unclean(limit)

    def unless_stored(value: str, info: ValidationInfo) -> str:
        return value if info.context is _STORED else check(value)

    return AfterValidator(unless_stored)


Title = Annotated[str, Field(max_length=TITLE), _clean_text(TITLE)]
Summary = Annotated[str, Field(max_length=SUMMARY), _clean_text(SUMMARY)]
Content = Annotated[str, Field(max_length=CONTENT), _clean_text(CONTENT)]
Body = Annotated[str, Field(max_length=BODY), _clean_text(BODY)]
Name = Annotated[str, Field(max_length=NAME), _clean_text(NAME)]
Guid = Annotated[str, Field(max_length=GUID), _clean_text(GUID)]
Language = Annotated[str, Field(max_length=LANGUAGE), _clean_text(LANGUAGE)]


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
    link: str = Field(description="the link as the feed gave it, made safe (worker.links.safe_link)")
    guid: Guid | None = None
    title: Title = ""
    summary: Summary | None = Field(None, description="the feed's summary, as text")
    content: Content | None = Field(None, description="the feed's full content, when it has one, as HTML")
    author: Name | None = None
    published: datetime | None = None
    language: Language | None = None
    tags: list[str] = Field(default_factory=list, description="the feed's tags from config")
    first_seen: datetime = Field(default_factory=utcnow,
        description="when a fetcher first saw the entry; alert latency is measured from here")
    has_page: bool = Field(True, description="false for an item the feed gave no link: `link` and `url` "
                                             "are then the feed's site, and the article is the feed's text")
    content_hash: str | None = Field(None,
        description="hash of the title, summary and content as the feed gave them: the entry's version")
    revision_of: str | None = Field(None, description=(
        "present when the feed edited an entry already passed on: the content hash it had before"))


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


class ArticleHead(Record):
    """What an alert shows of an article: the fields the deliver stage reads, inside a `MatchHead`.

    Read this way, the text is not checked again (the match stage read it as
    an `Article`; only its first words can become a snippet), and the blocks
    and the rest are skipped.
    """

    type: Literal["article"] = "article"
    version: Literal[1] = 1
    id: str
    feed_id: str
    url: str
    title: str
    text: str = ""
    source: TextSource
    fallback_reason: str | None = None
    site: str | None = None
    published: datetime | None = None
    first_seen: datetime


class Article(ArticleHead):
    """An entry with its extracted body. Keyed on the articles topic by `url`."""

    id: str
    feed_id: str
    url: str
    link: str
    title: Title
    text: Body = Field(description="the article body as plain text, paragraphs separated by newlines")
    source: TextSource = Field(
        description="where `text` came from: the page, or the feed when the page failed")
    fallback_reason: str | None = Field(None, description="why the page was not used, when it was not")
    blocks: list[Block] = Field(default_factory=list, description=(
        "the structure of `text` when it came from the page; none for feed text, which all counts"))
    extraction_note: str | None = Field(None, description=(
        "why the page's text is not trafilatura's precise extraction: a longer recall-mode text was "
        "taken, or the page held only a headline; or that every block of it reads as boilerplate"))
    author: Name | None = None
    published: datetime | None = None
    language: Language | None = Field(None, description="the language the page or feed declares")
    detected_language: Language | None = Field(None, description=(
        "ISO 639-1 code of the language detected from the body (see `language_confidence`)"))
    language_confidence: float | None = Field(None, ge=0, le=1,
        description="how sure the detector is of `detected_language`, 0 to 1")
    site: Name | None = None
    tags: list[str] = Field(default_factory=list)
    first_seen: datetime
    extracted_at: datetime = Field(default_factory=utcnow)
    content_hash: str | None = Field(None, description="the entry's version (see entry)")
    revision_of: str | None = Field(None, description="the version before, when the feed edited the entry")

    def match_language(self) -> str | None:
        """The ISO 639-1 code matching goes by: the detected language when the detector is sure (a
        French story on a page labelled `lang="en"` is French), else the declared one's base code
        ("de" of "de-AT", "no" of "nb-NO"), else the detector's guess; None when neither is known."""
        if self.detected_language and (self.language_confidence or 0.0) >= LANGUAGE_CONFIDENT:
            return self.detected_language
        declared = canonical((self.language or "").replace("_", "-").split("-")[0])
        return declared if declared in iso_639_1() else self.detected_language


# Below this confidence a detected language gives way to the declared one. Measured by bench/langid.py
# (`make bench-langid`, the threshold table): at 0.5, 98% of the answers on 60-150 characters of text
# reach it and all of those are right; on 20-60 characters, 76% and 98%.
LANGUAGE_CONFIDENT = 0.5


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
    rule: str | None = Field(None, description=(
        "how the words were found when not as the alias is written (case aside): 'Russian inflection', "
        "'Han sequence', 'Korean particle', 'Arabic prefix', 'Arabic folding', 'accent folding', "
        "'article contraction'"))


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


class Outlet(Record):
    """Another outlet that carried the story."""

    url: str
    site: str | None = Field(None, description="the outlet's host")


class StoryRef(Record):
    """The story an article belongs to: itself, or an earlier near-identical article."""

    id: str = Field(description="the id of the story's first article")
    url: str = Field(description="the first article's URL")
    similarity: float = Field(1.0, description="estimated Jaccard similarity to the first article")
    seen_count: int = Field(1, description="articles of this story seen so far, this one included")
    outlets: list[Outlet] = Field(default_factory=list,
        description="up to five other outlets of the story (not this article), newest first")


class Changes(Record):
    """What an edit of an alerted story changed, for its follow-up."""

    previous_title: str
    title: str
    new_entities: list[str] = Field(default_factory=list, description="names of entities not matched before")
    new_events: list[str] = Field(default_factory=list, description="names of event types not matched before")


class Mute(Record):
    """A mute: a story, entity, watchlist or route silenced until a time, from the config (`by` None) or
    set at run time (`newswatch mute`); on a route decision it held back, which one did."""

    kind: MuteKind
    id: str = Field(description="the muted story, entity, watchlist or route id")
    until: datetime
    reason: str | None = None
    by: str | None = Field(None, description="who muted it (run-time mutes); none for a mute in the config")
    at: datetime | None = Field(None, description="when it was set (run-time mutes)")

    def holds(self, now: datetime) -> bool:
        return now < self.until

    def until_text(self) -> str:
        return self.until.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")

    def describe(self) -> str:
        """`muted until 2026-12-07 18:00:00 UTC: earnings week (entity acme, by alice)`."""
        why = f": {self.reason}" if self.reason else ""
        return (f"muted until {self.until_text()}{why} ({self.kind} {self.id}, "
                f"{f'by {self.by}' if self.by else 'in the config'})")


class RouteDecision(Record):
    route: str
    alert_id: str = Field(description="stable per route and story: receivers drop what they already have")
    status: AlertStatus
    destinations: list[str]
    digest: float | None = Field(None, description="digest period in seconds, when the route collects alerts")
    shared: list[str] = Field(
        default_factory=list,
        description="destinations another route's alert of the same story already reaches; "
                    "this route is named in that alert instead of sending a second one")
    update_id: str | None = Field(None, description=(
        "a follow-up: the story, already alerted as `alert_id`, was edited; the follow-up's own id"))
    changes: Changes | None = Field(None, description="what the edit changed, on a follow-up")
    mute: Mute | None = Field(None, description="on status \"muted\": the mute that held the route back")

    @classmethod
    def of(cls, route: Route, story: str, status: AlertStatus = "alert") -> RouteDecision:
        """The decision of a fired `route` on `story`; dedup says whether it alerts or repeats an alert."""
        return cls(route=route.id, alert_id=alert_id(route.id, story), status=status,
                   destinations=list(route.to), digest=route.digest)


class MatchHead(Record):
    """A match record as the deliver stage reads it: every field an alert is built from, the article's as
    an `ArticleHead`. The same JSON as a `Match`, decoded in about a third of its time (0.06 against
    0.17 ms for a 12 kB record), since the article's body, blocks and uncounted mentions are skipped."""

    type: Literal["match"] = "match"
    # 2: a route decision may have status "muted", which a version-1 reader would refuse; read both
    version: Literal[1, 2] = 2
    id: str = Field(description="the article id")
    article: ArticleHead
    score: float
    entities: list[EntityHit] = Field(default_factory=list)
    events: list[EventHit] = Field(default_factory=list)
    keywords: list[KeywordHit] = Field(default_factory=list)
    routes: list[RouteDecision] = Field(default_factory=list)
    story: StoryRef | None = None
    config_version: str


class Match(MatchHead):
    """Why an article matters: keyed on the matches topic by article `id`."""

    article: Article
    uncounted: list[UncountedMention] = Field(default_factory=list, description=(
        "mentions that stand in boilerplate blocks (follow lines, bios, related lists...): "
        "they count for nothing"))
    matched_at: datetime = Field(default_factory=utcnow)


# --- deliver ------------------------------------------------------------------------------------


class Alert(Record):
    """What a webhook receives (and what Slack and the console render). Signed per Standard Webhooks.

    Version 2 says what the alert stands on (`text_source`, `fallback_reason`): every version-2 alert
    has `text_source`, so a receiver can tell an alert on a two-line summary from one on the whole
    article. Readers take version 1 too (a dead letter or digest written before), where it is absent.
    """

    type: Literal["alert"] = "alert"
    version: Literal[1, 2] = 2
    id: str = Field(description="alert id, also the webhook-id header")
    route: str
    routes: list[str] = Field(
        default_factory=list,
        description="every route that fired for this destination on this article, `route` first")
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
    text_source: TextSource | None = Field(None, description=(
        "where the matched text came from: the page, or the feed's content, summary or title when the "
        "page could not be used (always present from version 2; absent on version 1)"))
    fallback_reason: str | None = Field(None, description=(
        "why the page's text was not used, when `text_source` is not the page (the extract stage's "
        "bounded reasons: headline_only, http_error, not_html...)"))
    config_version: str
    event: Literal["alert.created", "alert.updated", "test"] = Field("alert.created", description=(
        "alert.updated: a follow-up on a story already alerted, whose entry its feed edited; test: "
        "a message `newswatch destinations test` sent, no alert (version 2)"))
    update_of: str | None = Field(None, description="on a follow-up: the id of the story's first alert")
    changes: Changes | None = Field(None, description="on a follow-up: what changed")


class Digest(Record):
    """One summary of a route's alerts over a period, for routes with `digest`."""

    type: Literal["digest"] = "digest"
    version: Literal[1] = 1
    id: str = Field(description="stable per route, destination and period")
    route: str
    period_start: datetime
    period_end: datetime
    alerts: list[Alert]
    budget: int | None = Field(None, description=(
        "flood control: the route's burst budget per period, when this digest holds the alerts past it"))


class FeedHealth(Record):
    """A feed's health changed: fetch writes one per change (on the notices topic), deliver sends it to
    `settings.feed_health.to`. Keyed by feed id."""

    type: Literal["feed_health"] = "feed_health"
    version: Literal[1] = 1
    id: str = Field(description="stable per feed and change: receivers drop what they already have")
    route: str = Field("feed-health", description="what delivery logs and ledgers file it under")
    feed_id: str
    feed_url: str
    state: Literal["failing", "silent", "recovered"]
    previous: FeedHealthState
    failures: int = Field(description="polls failed in a row")
    last_error: str | None = None
    last_success: datetime | None = None
    last_published: datetime | None = Field(None, description="the newest publication time the feed gave")
    usual_gap: float | None = Field(None, description="seconds: the median gap between its publications")
    at: datetime = Field(default_factory=utcnow)


Payload = Alert | Digest | FeedHealth  # what a destination is sent


class DeadLetter(Record):
    """An alert a destination refused after every attempt; `newswatch dlq replay` sends it again."""

    type: Literal["deadletter"] = "deadletter"
    version: Literal[1] = 1
    alert: Alert | None = None
    digest: Digest | None = None
    feed_health: FeedHealth | None = None
    destination: str
    reason: str
    attempts: int
    failed_at: datetime = Field(default_factory=utcnow)

    @property
    def payload(self) -> Payload | None:
        """What was to be sent: the alert, the digest or the feed-health notice."""
        return self.alert or self.digest or self.feed_health


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
    "digest": Digest, "deadletter": DeadLetter, "rejected": Rejected, "feed_health": FeedHealth,
}
