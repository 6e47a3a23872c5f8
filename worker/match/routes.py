"""Routes: which of them an article fires, and for the others, which clause failed.

A route fires when every clause it names holds: `all` (every id listed
matched), `any` (at least one did), `none` (none did), for entities,
watchlists, event types and keywords alike, and `min_score`. `languages`
is a clause of the same kinds, `any` and `none` only: the article's one
language (`Article.match_language`) is its one "id"; an article whose
language is unknown has none, so it fails `any` and passes `none`.

`min_score` is compared with the score of the entities the route is about:
those named in its `entities.all`/`entities.any` clauses or belonging to a
watchlist named in `watchlists.all`/`watchlists.any`; a route that names
neither is about every watched entity, and compares the article's score.
So "Leaders in the headlines" asks for a leader in the title, not for any
three mentions of anything.

Keywords are compared in folded form, so a route's "Rumour" is the
article's "rumour" or "RUMOUR"; a regex keyword is its pattern and case rule
("/CVE-\\d+/i"), which no folded phrase can equal.


The source clauses are of the same kinds: `feeds` (the article's feed id),
`feed_tags` (its feed's tags), `domains` (the suffixes of its URL's host, so a
route's `reuters.com` holds for `www.reuters.com`) and `authors` (the folded
names of its byline); see worker.sources for the spellings compared.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from worker.config.models import Pattern, Route
from worker.folding import phrase_key
from worker.language import language_name
from worker.records import Article
from worker.sources import author_key, authors_of, domain_key, domains_of, host_of

CLAUSES = ("entities", "watchlists", "event_types", "keywords", "languages",
           "feeds", "feed_tags", "domains", "authors")
_KEYS = {"keywords": phrase_key, "domains": domain_key, "authors": author_key}


@dataclass(frozen=True, slots=True)
class Found:
    """What one article matched, as routes see it."""

    scores: Mapping[str, float]  # entity id -> score
    watchlist_of: Mapping[str, str]  # entity id -> its watchlist
    present: Mapping[str, frozenset[str]]  # clause kind -> ids (keywords folded) that matched
    article: Article | None = None  # where it comes from, for explanations of source clauses

    @classmethod
    def of(cls, scores: Mapping[str, float], watchlist_of: Mapping[str, str],
           event_types: frozenset[str], keywords: frozenset[str], article: Article | None = None) -> Found:
        language = article.match_language() if article else None
        return cls(scores, watchlist_of, _Present({
            "entities": frozenset(scores), "watchlists": frozenset(watchlist_of[e] for e in scores),
            "event_types": event_types, "keywords": keywords,
            "languages": frozenset((language,)) if language else frozenset(),
        }, article), article)


class _Present(Mapping[str, frozenset[str]]):
    """The ids of each clause kind, the source kinds worked out when first asked: reading a byline or a
    host costs about 0.1 ms an article, a quarter of matching one, and most configs never ask."""

    __slots__ = ("_kinds", "_article")

    def __init__(self, kinds: dict[str, frozenset[str]], article: Article | None) -> None:
        self._kinds = kinds
        self._article = article

    def __getitem__(self, kind: str) -> frozenset[str]:
        if (ids := self._kinds.get(kind)) is None:
            ids = self._kinds[kind] = _source_ids(kind, self._article)
        return ids

    def __iter__(self) -> Iterator[str]:
        return iter(CLAUSES)

    def __len__(self) -> int:
        return len(CLAUSES)


def _source_ids(kind: str, article: Article | None) -> frozenset[str]:
    if article is None:
        return frozenset()
    if kind == "feeds":
        return frozenset((article.feed_id,))
    if kind == "feed_tags":
        return frozenset(article.tags)
    if kind == "domains":
        return domains_of(article.url)
    if kind == "authors":
        return authors_of(article.author)
    raise KeyError(kind)


@dataclass(frozen=True, slots=True)
class RouteOutcome:
    """Whether a route fired; if not, why: one line per failed clause; and the clauses that held."""

    route: str
    fired: bool
    failures: tuple[str, ...]
    score: float  # the score min_score was compared with
    held: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Clause:
    kind: str  # "event_types"
    mode: str  # "any"
    ids: frozenset[str]
    shown: tuple[tuple[str, str], ...]  # (as configured, its id) in config order, for messages

    def holds(self, present: frozenset[str]) -> bool:
        if self.mode == "any":
            return not self.ids.isdisjoint(present)
        return self.ids <= present if self.mode == "all" else self.ids.isdisjoint(present)

    def named(self, present: frozenset[str], matched: bool = True) -> str:
        """The clause's terms as configured that are (or, `matched=False`, are not) in `present`."""
        return ", ".join(s for s, key in self.shown if (key in present) == matched)

    def failure(self, found: Found) -> str | None:
        present = found.present[self.kind]
        if self.kind in _SOURCE_KINDS:
            return None if self.holds(present) else _source_failure(self, found)
        if self.kind == "languages":
            held = self.ids.isdisjoint(present) != (self.mode == "any")
            return None if held else f"languages.{self.mode}: {_in_language(present)}, " + (
                f"not {', '.join(s for s, _ in self.shown)}" if self.mode == "any" else "which is excluded")
        if self.mode == "all" and not self.ids <= present:
            missing = [s for s, key in self.shown if key not in present]
            return f"{self.kind}.all: {', '.join(missing)} not matched"
        if self.mode == "any" and self.ids.isdisjoint(present):
            return f"{self.kind}.any: none of {', '.join(s for s, _ in self.shown)} matched"
        if self.mode == "none" and not self.ids.isdisjoint(present):
            matched = [s for s, key in self.shown if key in present]
            return f"{self.kind}.none: {', '.join(matched)} matched"
        return None

    def success(self, found: Found) -> str:
        """What made the clause hold, for an explanation (call it only when `failure` is None)."""
        if self.kind in _SOURCE_KINDS:
            return _source_success(self, found)
        if self.kind == "languages":
            language = _in_language(found.present[self.kind])
            return f"languages.{self.mode}: {language}" + (
                f", none of {', '.join(s for s, _ in self.shown)}" if self.mode == "none" else "")
        if self.mode == "none":
            return f"{self.kind}.none: none of {', '.join(s for s, _ in self.shown)} matched"
        matched = [s for s, key in self.shown if key in found.present[self.kind]]
        return f"{self.kind}.{self.mode}: {', '.join(matched)} matched"


_SOURCE_KINDS = frozenset(("feeds", "feed_tags", "domains", "authors"))


def _source_failure(clause: _Clause, found: Found) -> str:
    """Why a source clause fails, naming what the article has: "the article's feed 'wire' is not one of a"."""
    kind, mode, present = clause.kind, clause.mode, found.present[clause.kind]
    subject, shown = _subject(kind, found.article), ", ".join(s for s, _ in clause.shown)
    if subject.endswith(_NOTHING):  # only `all` and `any` fail on nothing
        return f"{kind}.{mode}: {subject}"
    matched, missing = clause.named(present), clause.named(present, matched=False)
    if kind == "feed_tags":
        tags = found.article.tags if found.article else ()
        has = f" (its tags: {', '.join(tags)})" if tags else " (it has no tags)"
        reason = {"all": f"is not tagged {missing}{has}", "any": f"has none of the tags {shown}{has}",
                  "none": f"is tagged {matched}"}[mode]
    elif kind == "authors":
        reason = {"all": f"does not name {missing}", "any": f"names none of {shown}",
                  "none": f"names {matched}, excluded"}[mode]
    elif kind == "domains":
        reason = f"is within {matched}, excluded" if mode == "none" else \
            f"is not one of {shown}, nor under one"
    else:
        reason = "is excluded" if mode == "none" else f"is not one of {shown}"
    return f"{kind}.{mode}: {subject} {reason}"


def _source_success(clause: _Clause, found: Found) -> str:
    """What makes a source clause hold: "the article's domain 'www.reuters.com' is within reuters.com"."""
    kind, mode, present = clause.kind, clause.mode, found.present[clause.kind]
    subject = _subject(kind, found.article)
    if subject.endswith(_NOTHING):  # only `none` holds on nothing
        return f"{kind}.{mode}: {subject}"
    if kind == "feeds" and mode == "any":
        return f"feeds.any: the article's feed is {clause.named(present)}"
    if mode == "none":
        return f"{kind}.none: {subject} {_NONE_OF[kind]} {', '.join(s for s, _ in clause.shown)}"
    return f"{kind}.{mode}: {subject} {_IS[kind]} {clause.named(present)}"


_NOTHING = ("no author", "no host", "is unknown")
_NONE_OF = {"feeds": "is not one of", "feed_tags": "has none of the tags", "domains": "is within none of",
            "authors": "names none of"}
_IS = {"feed_tags": "is tagged", "domains": "is within", "authors": "names"}


def _subject(kind: str, article: Article | None) -> str:
    """The article's side of a source clause, in words."""
    if article is None:
        return "the article's source is unknown"
    if kind == "domains":
        host = host_of(article.url)
        return f"the article's domain {host!r}" if host else "the article's URL has no host"
    if kind == "authors":
        return f"the article's byline {article.author!r}" if article.author else "the article names no author"
    return f"the article's feed {article.feed_id!r}"


def _in_language(present: frozenset[str]) -> str:
    """The article's language in words, for explanations: "the article is in French (fr)"."""
    code = next(iter(present), None)
    return f"the article is in {language_name(code)} ({code})" if code else \
        "the article's language is unknown"


def _key(kind: str, term: str | Pattern) -> str:
    """A term as `Found.present` holds it: a keyword folded (a regex as /regex/i), a domain or author in
    its one spelling (worker.sources), any other id as is."""
    if isinstance(term, Pattern):
        return term.key
    key = _KEYS.get(kind)
    return key(term) if key else term


class CompiledRoute:
    """A route's clauses as sets, so checking one costs a few set operations."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.clauses: list[_Clause] = []
        for kind in CLAUSES:
            terms = getattr(route.when, kind)
            for mode in ("all", "any", "none"):
                # `languages`, `feeds` and `domains` have no `all`
                listed: list[str | Pattern] = getattr(terms, mode, [])
                if listed:
                    shown = tuple((str(s), _key(kind, s)) for s in listed)
                    self.clauses.append(_Clause(kind, mode, frozenset(k for _, k in shown), shown))
        when = route.when
        self.about = frozenset(when.entities.all + when.entities.any)
        self.about_watchlists = frozenset(when.watchlists.all + when.watchlists.any)

    def holds(self, found: Found) -> bool:
        for clause in self.clauses:
            present = found.present[clause.kind]
            mode = clause.mode
            if (clause.ids.isdisjoint(present) if mode == "any" else
                    not clause.ids <= present if mode == "all" else not clause.ids.isdisjoint(present)):
                return False
        return self.route.when.min_score <= 0 or self.score(found) >= self.route.when.min_score

    def evaluate(self, found: Found) -> RouteOutcome:
        """Whether the route fires, with every clause that fails."""
        if not self.route.enabled:
            return RouteOutcome(self.route.id, False, ("disabled (enabled: false)",), 0.0)
        failures: list[str] = []
        held: list[str] = []
        for clause in self.clauses:
            failure = clause.failure(found)
            if failure is None:
                held.append(clause.success(found))
            else:
                failures.append(failure)
        score = self.score(found)
        min_score = self.route.when.min_score
        if score < min_score:
            failures.append(f"min_score: {score:g} < {min_score:g}")
        elif min_score > 0:
            held.append(f"min_score: {score:g} >= {min_score:g}")
        return RouteOutcome(self.route.id, not failures, tuple(failures), score, tuple(held))

    def score(self, found: Found) -> float:
        if not (self.about or self.about_watchlists):
            return sum(found.scores.values(), 0.0)
        return sum((score for entity, score in found.scores.items()
                    if entity in self.about or found.watchlist_of[entity] in self.about_watchlists), 0.0)

    def needs(self) -> tuple[str, frozenset[str]] | None:
        """One clause that cannot hold unless one of its ids matched, to index the route by."""
        for clause in self.clauses:
            if clause.mode == "any":
                return clause.kind, clause.ids
            if clause.mode == "all":
                return clause.kind, frozenset(sorted(clause.ids)[:1])
        return None


class RouteSet:
    """Every route of a config, indexed so an article checks only the routes it could fire.

    A route is indexed under the ids of its first `all` or `any` clause: one
    that names none of the article's entities, watchlists, event types,
    keywords, language or sources cannot fire, and is not checked. Routes with
    no such clause are checked for every article. Only the kinds some route is
    indexed by are looked up, so an article's byline and host are read only
    when a route asks.
    """

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = [CompiledRoute(route) for route in routes]
        self._always: list[int] = []
        self._index: dict[str, dict[str, list[int]]] = {kind: {} for kind in CLAUSES}
        for number, route in enumerate(self.routes):
            if not route.route.enabled:
                continue
            needs = route.needs()
            if needs is None:
                self._always.append(number)
                continue
            kind, ids = needs
            for term in ids:
                self._index[kind].setdefault(term, []).append(number)
        self._indexed = [(kind, index) for kind, index in self._index.items() if index]

    def fired(self, found: Found) -> list[str]:
        """The ids of the routes that fire, in config order."""
        candidates = set(self._always)
        for kind, index in self._indexed:
            for term in found.present[kind]:
                if term in index:
                    candidates.update(index[term])
        return [self.routes[n].route.id for n in sorted(candidates) if self.routes[n].holds(found)]

    def outcomes(self, found: Found) -> list[RouteOutcome]:
        """Every route's outcome, with every clause that fails: for explanations."""
        return [route.evaluate(found) for route in self.routes]
