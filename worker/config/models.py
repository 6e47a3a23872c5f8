"""The configuration ops keep in git, as pydantic models.

Every model forbids unknown keys: a misspelt key is an error that names it,
never a setting silently ignored. Cross-references (routes to destinations,
routes to entities) are checked in `references.py`, where the path of each
problem is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal, get_args

import re2
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    SecretStr,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from worker.addresses import URLRefused, fetch_target
from worker.config.countries import country_names, known_codes, unknown_code
from worker.language import canonical, iso_639_1, unknown_language
from worker.sources import author_key, domain_key

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*d)?\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*"
                       r"(?:(\d+(?:\.\d+)?)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*$")


def parse_duration(value: Any) -> float:
    """Seconds from `90`, `"90s"`, `"5m"`, `"1h30m"` or `"2d"`; ops write what reads best."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a string such as '5m'")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and value.strip() and (m := _DURATION.match(value)):
        days, hours, minutes, secs = (float(g) if g else 0.0 for g in m.groups())
        seconds = days * 86400 + hours * 3600 + minutes * 60 + secs
    else:
        raise ValueError(f"{value!r} is not a duration; write seconds or e.g. '30s', '5m', '2h', '1d'")
    if seconds <= 0:
        raise ValueError(f"{value!r}: a duration must be greater than zero")
    return seconds


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema({
        "anyOf": [
            {"type": "number", "exclusiveMinimum": 0},
            {"type": "string", "pattern": r"^(\d+(\.\d+)?[dhms])+$"},
        ],
        "description": "seconds, or a string such as '30s', '5m', '2h', '1d'",
    }),
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$",
                            description="lower-case id: letters, digits, '-', '_', '.'")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Mutable(Strict):
    """What a mute in the config can silence (an entity, a watchlist, a route) until a given time: after
    it, everything is as before without an edit (worker/match/mutes.py judges it; `config check` warns
    about one that has expired)."""

    muted_until: AwareDatetime | None = Field(None, description=(
        "silence it until this date-time (with its timezone, e.g. 2026-05-01T18:00:00+02:00): an entity "
        "does not count, a route does not fire; what it held back is still recorded"))
    mute_reason: str | None = Field(None, description="why it is muted: shown with what the mute held back")

    @model_validator(mode="after")
    def _reason_needs_until(self) -> Mutable:
        if self.mute_reason is not None and self.muted_until is None:
            raise ValueError("mute_reason without muted_until mutes nothing: add muted_until (a date-time "
                             "with its timezone) or remove mute_reason")
        return self


# --- settings ---------------------------------------------------------------------------------


DAY = 86400.0


class Retention(Strict):
    """How long the topics kept for history hold their records (each topic's `retention.ms`).

    The worker sets these on the topics it creates. On a topic that exists it
    only compares: a retention that differs is reported at start, never
    changed, since shortening it deletes history at once and a broker's
    operator may have set it on purpose.
    """

    articles: Duration = Field(30 * DAY, description=(
        "extracted articles: what `newswatch backtest` can re-match (the README gives the disk it takes)"))
    matches: Duration = Field(30 * DAY, description=(
        "match records with their route decisions: what `newswatch alerts` can list; keep it within "
        "settings.deliver.sent_ttl, the ledger that says an alert was delivered"))
    deadletter: Duration = Field(90 * DAY, description=(
        "dead letters: an alert still there is one `newswatch dlq replay` can send; one past this is lost"))

    def ms(self) -> dict[str, int]:
        """retention.ms per topic name, as the brokers keep it."""
        return {name: int(seconds * 1000) for name, seconds in self.model_dump().items()}


class KafkaSettings(Strict):
    bootstrap: str = Field("127.0.0.1:9092",
        description="host:port[,host:port]; env NEWSWATCH_KAFKA_BOOTSTRAP wins")
    topic_prefix: str = "newswatch."
    group_prefix: str = Field("newswatch-", description="consumer groups are <group_prefix><stage>")
    partitions: int = Field(6, ge=1,
        description="partitions of each topic the worker creates: the most replicas a stage can use")
    replication_factor: int = Field(1, ge=1)
    max_batch: int = Field(200, ge=1, le=10000, description="records a stage takes per poll")
    poll_timeout: Duration = 1.0
    retention: Retention = Field(default_factory=Retention,
        description="how long the articles, matches and deadletter topics keep records")
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = Field(
        "PLAINTEXT", description="SASL_SSL for a managed Kafka (Confluent Cloud, MSK, Aiven, Redpanda Cloud)")
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = Field(
        None, description="required with SASL_PLAINTEXT and SASL_SSL")
    sasl_username: str | None = Field(None, description="the SASL principal (an API key on Confluent Cloud)")
    sasl_password: SecretStr | None = Field(
        None, description="write ${KAFKA_SASL_PASSWORD}, never the password itself")
    ssl_cafile: str | None = Field(
        None, description="PEM file of the CAs that sign the brokers' certificates; default the system's")
    ssl_certfile: str | None = Field(None, description="PEM client certificate, for brokers that want mTLS")
    ssl_keyfile: str | None = Field(None, description="PEM private key of ssl_certfile")
    ssl_check_hostname: bool = Field(True, description="check that a broker's certificate names its host")
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="other kafka-python client options (e.g. request_timeout_ms, api_version), given to "
                    "the producer, consumer and admin client that know each; they win over Newswatch's "
                    "tuned defaults, and keys Newswatch sets itself are refused")

    def topic(self, name: str) -> str:
        return f"{self.topic_prefix}{name}"

    @field_validator("options")
    @classmethod
    def _not_ours(cls, options: dict[str, str | int | float | bool]) -> dict[str, str | int | float | bool]:
        """A pass-through option must not undo a guarantee or shadow a setting of its own."""
        for key in options:
            if key in KAFKA_OWNED_OPTIONS:
                raise ValueError(f"options.{key}: Newswatch sets it itself ({KAFKA_OWNED_OPTIONS[key]}); "
                                 f"remove it from options")
        return options

    @model_validator(mode="after")
    def _security(self) -> KafkaSettings:
        """Refused at check time, not at the first connection to the brokers."""
        sasl = self.security_protocol.startswith("SASL_")
        given = [k for k in _SASL_KEYS if getattr(self, k)]
        if sasl and len(given) < len(_SASL_KEYS):
            missing = [k for k in _SASL_KEYS if k not in given]
            raise ValueError(f"security_protocol {self.security_protocol} needs {', '.join(missing)}: set "
                             f"sasl_mechanism (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512), sasl_username and "
                             f"sasl_password: ${{KAFKA_SASL_PASSWORD}}")
        if given and not sasl:
            raise ValueError(f"{given[0]} is set but security_protocol is {self.security_protocol}, which "
                             f"sends no credentials; set security_protocol: SASL_SSL (or SASL_PLAINTEXT)")
        files = [k for k in ("ssl_cafile", "ssl_certfile", "ssl_keyfile") if getattr(self, k)]
        if files and not self.security_protocol.endswith("SSL"):
            raise ValueError(f"{files[0]} is set but security_protocol is {self.security_protocol}, which "
                             f"does not use TLS; set security_protocol: SSL (or SASL_SSL)")
        if self.ssl_keyfile and not self.ssl_certfile:
            raise ValueError("ssl_keyfile is set without ssl_certfile; give the client certificate too")
        return self


_SASL_KEYS = ("sasl_mechanism", "sasl_username", "sasl_password")
# kafka-python options that Newswatch sets itself, and why: `options` may not name them.
KAFKA_OWNED_OPTIONS = {
    "bootstrap_servers": "use settings.kafka.bootstrap", "client_id": "one per process and stage",
    "security_protocol": "use settings.kafka.security_protocol",
    "sasl_mechanism": "use settings.kafka.sasl_mechanism",
    "sasl_plain_username": "use settings.kafka.sasl_username",
    "sasl_plain_password": "use settings.kafka.sasl_password",
    "ssl_cafile": "use settings.kafka.ssl_cafile", "ssl_certfile": "use settings.kafka.ssl_certfile",
    "ssl_keyfile": "use settings.kafka.ssl_keyfile",
    "ssl_check_hostname": "use settings.kafka.ssl_check_hostname",
    "acks": "all: a record counts as sent only when the brokers have it",
    "enable_idempotence": "on: a retried send is written once", "retries": "until delivery_timeout_ms",
    "group_id": "use settings.kafka.group_prefix", "max_poll_records": "use settings.kafka.max_batch",
    "enable_auto_commit": "off: offsets are committed only after a batch's output is durable",
    "auto_offset_reset": "earliest: a new group reads what is already on its topic",
    "key_serializer": "keys are sent as UTF-8 bytes", "value_serializer": "values are sent as bytes",
    "key_deserializer": "keys are read as bytes", "value_deserializer": "values are read as bytes",
}


class RedisSettings(Strict):
    url: str = Field("redis://127.0.0.1:6379/0", description="env NEWSWATCH_REDIS_URL wins")
    key_prefix: str = "nw:"

    @field_validator("url")
    @classmethod
    def _redis_url(cls, url: str) -> str:
        """redis-py refuses any other URL when the worker starts; say so at check time instead."""
        if not url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"{url!r} is not a Redis URL; write redis://host:6379/0 (rediss:// for TLS, "
                             f"unix:///path/to/socket)")
        return url


class HttpSettings(Strict):
    user_agent: str = "Newswatch/0.1 (news monitoring worker)"
    connect_timeout: Duration = 5.0
    read_timeout: Duration = 15.0
    total_timeout: Duration = 30.0
    max_feed_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    max_page_bytes: int = Field(5 * 1024 * 1024, ge=1024)
    max_redirects: int = Field(5, ge=0, le=20)
    per_host_concurrency: int = Field(2, ge=1, le=64)
    allow_private_hosts: list[str] = Field(
        default_factory=list,
        description="hosts, IPs or CIDRs that may resolve to loopback/private addresses (local feeds, tests)",
    )


class FetchSettings(Strict):
    workers: int = Field(16, ge=1, le=512, description="feeds polled at once by one fetcher process")
    jitter: Duration = 10.0
    min_interval: Duration = 60.0
    max_interval: Duration = 3600.0
    adaptive: bool = True
    backoff_cap: Duration = 6 * 3600.0
    seen_ttl: Duration = 30 * 86400.0
    revisions_per_day: int = Field(4, ge=0, description=(
        "edits of one entry passed on within 24 h; later ones are only marked seen, so a feed that "
        "changes its items on every poll (comment counts, timestamps) is not re-extracted each time"))
    host_interval: Duration | None = Field(1.0, description=(
        "least time between two requests to one feed host, shared by every fetcher replica; null for none"))
    host_wait: Duration = Field(1.0, description=(
        "longest a fetch thread waits for its host's turn; a later turn reschedules the poll for then, "
        "the feed keeping its place in the host's line, and the thread serves other hosts meanwhile"))


class ExtractSettings(Strict):
    processes: int = Field(0, ge=0, description="extraction processes; 0 means one per core")
    fetch_threads: int = Field(16, ge=1, le=256)
    min_text_chars: int = Field(250, ge=0, description=(
        "shorter extractions fall back to the feed's text; a Han, kana or Hangul character counts as three"))
    page_timeout: Duration = Field(20.0, description=(
        "longest one page may take to extract; its process is then replaced and the entry falls back"))


class MatchSettings(Strict):
    title_weight: float = Field(3.0, ge=0)
    lead_weight: float = Field(2.0, ge=0)
    body_weight: float = Field(1.0, ge=0)
    lead_chars: int = Field(500, ge=0, description="how much of the body counts as the lead")
    snippet_chars: int = Field(160, ge=40)
    reload_interval: Duration = 2.0


class DedupSettings(Strict):
    window: Duration = 48 * 3600.0
    threshold: float = Field(0.6, gt=0, le=1,
        description="estimated Jaccard similarity that makes two stories one")
    exact_ttl: Duration = 30 * 86400.0
    follow_up_cap: int = Field(3, ge=0, description=(
        "follow-ups per story within follow_up_window: stops a feed that rewrites its items on every poll"))
    follow_up_window: Duration = 24 * 3600.0


SVIX_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)  # 27 h 35 m 5 s in all


class RetrySchedule(Strict):
    """How long a failing destination is retried, and how its circuit breaker probes it."""

    delays: list[Duration] = Field(
        default_factory=lambda: list(SVIX_SCHEDULE), max_length=100,
        description=("waits before each retry of an alert, in order (Svix's: 5s, 5m, 30m, 2h, 5h, 10h, 10h); "
                     "an alert still undelivered when their sum has passed becomes a dead letter"))
    open_after: int = Field(5, ge=1, le=1000, description=(
        "failed attempts in a row that open the destination's circuit breaker: it then sends nothing "
        "but one probe at the schedule's pace, and everything else waits"))
    probe_max: Duration = Field(30.0, description=(
        "the longest wait between two probes of an open breaker, so a receiver's return is noticed soon"))

    @field_validator("delays")
    @classmethod
    def _some_delay(cls, delays: list[float]) -> list[float]:
        if not delays:
            raise ValueError("the schedule is empty; list at least one wait, e.g. [5s, 5m, 30m, 2h]")
        return delays

    @property
    def span(self) -> float:
        """How long an alert waits for its destination before it is dead-lettered."""
        return sum(self.delays)


class DeliverSettings(Strict):
    retry: RetrySchedule = Field(default_factory=RetrySchedule,
        description="every destination's retry schedule, unless the destination sets its own `retry`")
    timeout: Duration = 10.0
    slack_min_interval: Duration = 1.0
    threads: int = Field(8, ge=1, le=256)
    sent_ttl: Duration = 30 * 86400.0


class FeedHealthSettings(Strict):
    to: list[Slug] = Field(default_factory=list, description=(
        "destination ids that hear when a feed starts failing, goes silent or recovers; none: nobody"))
    failing_after: int = Field(3, ge=1, description="polls failed in a row that make a feed failing")
    silent_after: float = Field(5.0, gt=1, description=(
        "a feed that answers but published nothing for this many times its usual gap is silent"))


class MetricsSettings(Strict):
    host: str = "127.0.0.1"
    port: int = Field(9108, ge=0, le=65535, description="0 turns the metrics and health server off")


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


class LoggingSettings(Strict):
    """Either case reads: NEWSWATCH_LOG_LEVEL=debug is as good as DEBUG."""

    format: Annotated[Literal["auto", "json", "console"], BeforeValidator(_lower)] = "auto"
    level: Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR"], BeforeValidator(_upper)] = "INFO"


class Settings(Strict):
    kafka: KafkaSettings = KafkaSettings()
    redis: RedisSettings = RedisSettings()
    http: HttpSettings = HttpSettings()
    fetch: FetchSettings = FetchSettings()
    extract: ExtractSettings = ExtractSettings()
    match: MatchSettings = MatchSettings()
    dedup: DedupSettings = DedupSettings()
    deliver: DeliverSettings = DeliverSettings()
    feed_health: FeedHealthSettings = FeedHealthSettings()
    metrics: MetricsSettings = MetricsSettings()
    logging: LoggingSettings = LoggingSettings()


# --- feeds ------------------------------------------------------------------------------------


class Feed(Strict):
    id: Slug
    url: str = Field(description="http(s) URL of an RSS, Atom or JSON feed")
    name: str | None = None
    interval: Duration = 300.0
    tags: list[str] = Field(default_factory=list)
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        """Read as the fetcher reads it (`worker.addresses.fetch_target`): what it cannot parse is refused."""
        if not re.match(r"^https?://[^\s/]+", url):
            raise ValueError("must start with http:// or https:// followed by a host")
        try:
            fetch_target(url)
        except URLRefused as exc:
            raise ValueError(f"{exc.reason}; the fetcher could never fetch it, so write the feed's URL "
                             "as a browser shows it") from None
        return url


# --- watchlists -------------------------------------------------------------------------------

EntityKind = Literal["organisation", "person", "place", "country", "group", "product", "other"]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("an empty phrase matches nothing; remove the empty item")
    return value


Phrase = Annotated[str, AfterValidator(_not_blank)]
def _language_code(value: str) -> str:
    """The code in the one spelling detection uses ("nb" is "no"), or an error naming the code meant."""
    code = canonical(value)
    if code not in iso_639_1():
        raise ValueError(unknown_language(value))
    return code


LanguageCode = Annotated[str, AfterValidator(_language_code), WithJsonSchema(
    {"type": "string", "pattern": r"^[a-zA-Z]{2}$", "description": "ISO 639-1 language code, e.g. de"})]
# The pattern documents the schema; `Entity._known_country` checks the code, naming the fix.
CountryCode = Annotated[str, Field(json_schema_extra={"pattern": "^[A-Z]{2}$"},
                                   description="ISO 3166-1 alpha-2 code, e.g. DE")]


class Pattern(Strict):
    """A rule written as a regular expression, matched by RE2 (google-re2) on the text as written.

    RE2 runs in time linear in the text whatever the pattern, so no rule can
    stall the matcher on a crafted article; it refuses what needs backtracking
    (back-references, look-around), and the refusal is a config error."""

    regex: str = Field(min_length=1, description=(
        "an RE2 regular expression (https://github.com/google/re2/wiki/Syntax), matched on the text as "
        "written, e.g. 'CVE-\\d{4}-\\d{4,}'; \\b is an ASCII word boundary"))
    case_sensitive: bool = Field(False, description="match only in the case written (default: any case)")

    @field_validator("regex")
    @classmethod
    def _compiles(cls, regex: str) -> str:
        try:
            compiled = _compile(regex, case_sensitive=False)
        except re2.error as exc:
            reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
            raise ValueError(f"RE2 refuses the regex '{regex}': {reason}; correct it (RE2 has no "
                             f"back-references or look-around)") from None
        if compiled.search("") is not None:
            raise ValueError(f"the regex '{regex}' matches an empty text, so it would find a mention "
                             f"everywhere; make it require at least one character (+ instead of *)")
        return regex

    def compile(self) -> Any:
        """The compiled RE2 pattern (re2 has no type hints)."""
        return _compile(self.regex, self.case_sensitive)

    @property
    def key(self) -> str:
        """The regex with its case rule, as /regex/ or /regex/i: how route clauses tell it from a phrase
        (no phrase's folded key has a slash) and how messages show it."""
        return f"/{self.regex}/" if self.case_sensitive else f"/{self.regex}/i"

    def __str__(self) -> str:
        return self.key


def _compile(regex: str, case_sensitive: bool) -> Any:
    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.log_errors = False  # a refusal is reported as a config error, not on stderr
    return re2.compile(regex, options)


def _rule_kind(value: Any) -> str:
    return "pattern" if isinstance(value, dict | Pattern) else "phrase"


# A phrase, or a mapping {regex: ..., case_sensitive: ...}: the form tells a regex from a phrase at a glance.
Rule = Annotated[Annotated[Phrase, Tag("phrase")] | Annotated[Pattern, Tag("pattern")],
                 Discriminator(_rule_kind)]


def phrases(rules: list[str | Pattern]) -> list[str]:
    """The plain phrases of a list of rules, for what only phrases have (folding, the automaton)."""
    return [rule for rule in rules if isinstance(rule, str)]


def patterns(rules: list[str | Pattern]) -> list[Pattern]:
    return [rule for rule in rules if isinstance(rule, Pattern)]


class Entity(Mutable):
    id: Slug
    name: str = Field(min_length=1, description="display name; also matched, ignoring case")
    kind: EntityKind = "other"
    aliases: list[Rule] = Field(default_factory=list, description=(
        "matched ignoring case and accents; or {regex: ..., case_sensitive: false}"))
    case_sensitive_aliases: list[Phrase] = Field(
        default_factory=list, description="matched only as written, e.g. acronyms: IS, US, UN")
    exclusions: list[Rule] = Field(default_factory=list, description=(
        "phrases (or {regex: ...}) that veto a mention they contain, e.g. 'Paris Hilton'"))
    aliases_by_language: dict[LanguageCode, list[Phrase]] = Field(default_factory=dict, description=(
        "aliases that belong to some languages only, matched only in articles in that language: "
        "{id: [Turki], fr: [Chine]}"))
    country: CountryCode | None = Field(None, description=(
        "a country's ISO code: its names in every language CLDR knows are matched, each in articles "
        "of its own language"))
    weight: float = Field(1.0, gt=0)

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str | None) -> str | None:
        if code is not None and code not in known_codes():
            raise ValueError(unknown_code(code))
        return code

    def language_aliases(self) -> dict[str, list[str]]:
        """The aliases matched only in articles of one language, by language: the configured ones and,
        for a `country`, its names in every language."""
        named = country_names(self.country) if self.country else {}
        merged = {lang: list(names) for lang, names in named.items()}
        for lang, names in self.aliases_by_language.items():
            merged.setdefault(lang, []).extend(n for n in names if n not in merged[lang])
        return merged


class Watchlist(Mutable):
    id: Slug
    name: str
    description: str | None = None
    entities: list[Entity] = Field(min_length=1)


class EventType(Strict):
    id: Slug
    name: str
    description: str | None = None
    triggers: list[Phrase] = Field(
        default_factory=list,
        description="words or phrases; their inflections match too (capture: captured, captures)")
    exact_triggers: list[Phrase] = Field(default_factory=list,
                                         description="matched as written, no inflections")
    same_sentence: bool = Field(False,
        description="count a trigger only in a sentence that names a watched entity")


# --- routes and destinations --------------------------------------------------------------------


class Terms(Strict):
    all: list[Phrase] = Field(default_factory=list)
    any: list[Phrase] = Field(default_factory=list)
    none: list[Phrase] = Field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.all or self.any or self.none)


class _OneValued(Strict):
    """A clause on what an article has exactly one of (a language, a feed, a domain): `all` of several
    never holds and `all` of one is `any`, so `all` is refused with the form to write instead."""

    one_only: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _no_all(cls, value: Any) -> Any:
        if isinstance(value, dict) and "all" in value:
            raise ValueError(cls.one_only)
        return value


class Languages(_OneValued):
    """The languages an article may be in, or may not: by `Article.match_language` (the detected
    language when the detector is sure, else the declared one). An article whose language nobody
    knows fails `any` (it cannot be shown to be one of them) and passes `none` (it is not shown to be
    one of them: a route that leaves some languages out keeps alerting on the rest)."""

    one_only = ("an article is in one language, so 'all' of several never holds: write "
                "'any: [de, fr]' for articles in any of them")
    any: list[LanguageCode] = Field(default_factory=list, description="the article is in one of these")
    none: list[LanguageCode] = Field(default_factory=list, description="the article is in none of these")


class Feeds(_OneValued):
    """The feeds an article may come from, or may not, by feed id."""

    one_only = ("an article comes from one feed, so 'all' of several never holds: write "
                "'any: [a, b]' for articles from any of them")
    any: list[Slug] = Field(default_factory=list, description="the article comes from one of these feeds")
    none: list[Slug] = Field(default_factory=list, description="the article comes from none of these feeds")


def _domain(value: str) -> str:
    domain_key(value)  # kept as written, for messages; routes compare the key
    return value.strip()


Domain = Annotated[str, AfterValidator(_domain), WithJsonSchema({
    "type": "string", "pattern": r"^[^\s/:@?#*]+\.[^\s/:@?#*]+$",
    "description": "a host name, e.g. reuters.com: it and every host under it (www.reuters.com)"})]


class Domains(_OneValued):
    """The domains an article's URL may be under, or may not (see worker.sources)."""

    one_only = ("an article has one URL, so 'all' of several domains never holds: write "
                "'any: [reuters.com, apnews.com]' for articles under any of them")
    any: list[Domain] = Field(default_factory=list,
                              description="the article's host is one of these or under one of them")
    none: list[Domain] = Field(default_factory=list,
                               description="the article's host is none of these and under none of them")


def _author(value: str) -> str:
    if not author_key(value):
        raise ValueError(f"{value!r} has no letter or digit, so it names nobody; write the author's name")
    return value


Author = Annotated[str, AfterValidator(_author)]


class Authors(Strict):
    """The authors an article may have, or may not: whole names, compared folded (see worker.sources)."""

    all: list[Author] = Field(default_factory=list, description="each of these is an author of the article")
    any: list[Author] = Field(default_factory=list, description="one of these is an author of the article")
    none: list[Author] = Field(default_factory=list, description="none of these is an author of the article")


class KeywordTerms(Strict):
    """Route keywords: phrases, or {regex: ...} rules."""

    all: list[Rule] = Field(default_factory=list)
    any: list[Rule] = Field(default_factory=list)
    none: list[Rule] = Field(default_factory=list)


def _as_keywords(value: Any) -> Any:
    """Plain `Terms` are keyword terms of phrases only, as code that builds routes writes them."""
    return value.model_dump() if isinstance(value, Terms) else value


class When(Strict):
    entities: Terms = Terms()
    watchlists: Terms = Terms()
    event_types: Terms = Terms()
    keywords: Annotated[KeywordTerms, BeforeValidator(_as_keywords)] = KeywordTerms()
    languages: Languages = Field(Languages(), description=(
        "ISO 639-1 codes: any (the article is in one of them) or none; an article of unknown language "
        "fails any and passes none"))
    feeds: Feeds = Field(Feeds(), description="feed ids: any (the article comes from one of them) or none")
    feed_tags: Terms = Field(Terms(), description="the tags the article's feed has in config")
    domains: Domains = Field(Domains(), description=(
        "any or none: the article's URL is on one of these hosts or under it (reuters.com takes in "
        "www.reuters.com, not notreuters.com)"))
    authors: Authors = Field(Authors(), description=(
        "whole names, case and accents aside; each name of a byline counts ('Jane Doe and John Roe')"))
    min_score: float = Field(0.0, ge=0, description="minimum weighted mention score of the watched entities")


_BURST = re.compile(r"^\s*(\d+)\s+per\s+(\S+)\s*$")


class Burst(Strict):
    """A route's flood budget: at most `count` single messages to each destination per `per` window."""

    count: int = Field(ge=1)
    per: Duration

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        """`"10 per 5m"` is how ops say it."""
        if not isinstance(value, str):
            return value
        if not (m := _BURST.match(value)):
            raise ValueError(f"{value!r} is not a budget; write e.g. '10 per 5m'")
        return {"count": m.group(1), "per": m.group(2)}


BurstBudget = Annotated[Burst, WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": r"^\s*\d+\s+per\s+(\d+(\.\d+)?[dhms])+\s*$"},
              {"type": "object", "required": ["count", "per"],
               "properties": {"count": {"type": "integer", "minimum": 1},
                              "per": {"type": ["number", "string"]}}}],
    "description": "e.g. '10 per 5m': past it, the rest of the window's alerts go in one summary"})]


class Route(Mutable):
    id: Slug
    name: str | None = None
    when: When
    to: list[Slug] = Field(min_length=1, description="destination ids")
    digest: Duration | None = Field(None,
        description="send one summary per period instead of one message per alert")
    burst: BurstBudget | None = Field(None, description=(
        "flood control, per destination: past this many alerts in a window, the rest of the window "
        "goes in one summary, sent when the window closes; nothing is dropped"))
    follow_ups: bool = Field(True, description=(
        "when an alerted story's entry is edited in its feed, send what changed as a follow-up"))
    enabled: bool = True


class _Destination(Strict):
    id: Slug
    optional: bool = Field(
        False, description="when a ${VAR} it uses is unset, disable it with a warning instead of an error")
    enabled: bool = True
    retry: RetrySchedule | None = Field(None, description="this destination's retry schedule; "
                                        "default settings.deliver.retry")


class ConsoleDestination(_Destination):
    type: Literal["console"]
    format: Literal["text", "json"] = "text"


class SlackDestination(_Destination):
    type: Literal["slack"]
    url: SecretStr = Field(
        description="incoming-webhook URL; write ${SLACK_WEBHOOK_URL}, never the URL itself")
    min_interval: Duration | None = Field(None,
        description="pace between messages; default settings.deliver.slack_min_interval")


class WebhookDestination(_Destination):
    type: Literal["webhook"]
    url: SecretStr
    secret: SecretStr | None = Field(
        None, description="Standard Webhooks signing secret (whsec_...), from ${ENV}; without one, "
                          "`config check` warns unless `unsigned: true` says it is meant")
    unsigned: bool = Field(
        False, description="send without a signature on purpose (a receiver that cannot verify one); "
                           "webhook-id and webhook-timestamp are sent all the same")
    headers: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _signed_or_not(self) -> WebhookDestination:
        if self.unsigned and self.secret is not None and self.secret.get_secret_value():
            raise ValueError("has a secret and says unsigned: true; remove one of them (a secret signs "
                             "every alert)")
        return self


class AppriseDestination(_Destination):
    type: Literal["apprise"]
    url: SecretStr = Field(
        description="an Apprise URL (msteams://, mailto://, pagerduty://, tgram://, discord://, "
                    "matrix://, json://...), from ${ENV}: it holds the service's credentials")
    format: Literal["text", "markdown"] = Field(
        "markdown", description="how the alert's body is written for the service")

    @model_validator(mode="after")
    def _known_service(self) -> AppriseDestination:
        """Refused here, so `config check` and a reload refuse it too, not the first alert."""
        if self.enabled:
            import apprise  # noqa: PLC0415 - ~0.4 s of plugins, only for configs that use it

            if apprise.Apprise.instantiate(self.url.get_secret_value()) is None:
                raise ValueError("Apprise does not understand this URL; check its scheme and fields "
                                 "against Apprise's list of services")
        return self


Destination = Annotated[ConsoleDestination | SlackDestination | WebhookDestination | AppriseDestination,
                        Field(discriminator="type")]
DESTINATION_TYPES: tuple[str, ...] = tuple(  # the `type` values, read off the union so none is forgotten
    get_args(member.model_fields["type"].annotation)[0] for member in get_args(get_args(Destination)[0]))


# --- the whole ----------------------------------------------------------------------------------


class Config(Strict):
    """Everything in the config folder, merged: lists from all files, one settings block."""

    settings: Settings = Settings()
    feeds: list[Feed] = Field(default_factory=list)
    watchlists: list[Watchlist] = Field(default_factory=list)
    event_types: list[EventType] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    destinations: list[Destination] = Field(default_factory=list)

    _version: str = PrivateAttr("")
    _warnings: tuple[str, ...] | Callable[[], tuple[str, ...]] = PrivateAttr(())
    _notes: tuple[str, ...] = PrivateAttr(())
    _disabled: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def version(self) -> str:
        """Short hash of the files' contents: logs and match records say which config decided."""
        return self._version

    @property
    def warnings(self) -> tuple[str, ...]:
        """Likely mistakes (`file:line: key: why; fix`): `config check --strict` refuses them. Worked out
        on first use: judging aliases reads word lists, which a load that never shows warnings skips."""
        if callable(self._warnings):
            self._warnings = self._warnings()
        return self._warnings

    @property
    def notes(self) -> tuple[str, ...]:
        """What this environment changes (a destination disabled for an unset variable): not mistakes."""
        return self._notes

    def disabled_reason(self, dest_id: str) -> str:
        """Why a destination is disabled: "SLACK_WEBHOOK_URL unset" or "enabled: false in the config"."""
        return self._disabled.get(dest_id, "enabled: false in the config")

    def destination(self, dest_id: str) -> (ConsoleDestination | SlackDestination | WebhookDestination
                                             | AppriseDestination):
        for dest in self.destinations:
            if dest.id == dest_id:
                return dest
        raise KeyError(dest_id)

    def route(self, route_id: str) -> Route:
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)
