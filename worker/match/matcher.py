"""The matcher: an article in, its entities, events, keywords, score and routes out. No I/O.

`Matcher.build(config)` compiles a config once (one automaton over every
phrase, inflected triggers, routes as sets); `match(article)` is then pure and
thread-safe, so a stage can swap matchers between batches (see `reload`).
Spans in the results are offsets into the article's own `title` and `text`.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from worker.config.models import Config, Entity, MatchSettings, Pattern, Route, patterns, phrases
from worker.errors import ConfigError
from worker.folding import Folded, case_key, fold, phrase_key
from worker.match.automaton import Hit, Kind, PhraseAutomaton, Refusal, Target
from worker.match.contractions import RULE, fused
from worker.match.entities import Dropped, WatchedEntity, keep, weight
from worker.match.events import EventRule, TriggerHit, count, inflections
from worker.match.inflection_index import Inflections
from worker.match.layout import Layout
from worker.match.ordinary import OrdinaryWords, judge, lowered, lowered_reason
from worker.match.patterns import PatternRules
from worker.match.result import Explanation, Located, MatchResult, Tables, Uncounted
from worker.match.routes import Found, RouteSet
from worker.records import Article, Field_, Match, RouteDecision, StoryRef

Spot = tuple[Field_, int, int]  # where a keyword first stands: field, start, end
_PUNCTUATION = ".,;:!?)]}'\"\u2019\u201d"


class Matcher:
    """A compiled config; build with `Matcher.build`."""

    def __init__(self, config: Config, automaton: PhraseAutomaton, entities: list[WatchedEntity],
                 rules: list[EventRule], keywords: list[str | Pattern], inflected: Inflections,
                 patterns: PatternRules, ordinary: OrdinaryWords) -> None:
        self.config = config
        self.version = config.version
        self.settings: MatchSettings = config.settings.match
        self.automaton = automaton
        self.inflected = inflected
        self.patterns = patterns
        self.ordinary = ordinary
        self.entities = entities
        self.rules = rules
        self.keywords = [str(k) for k in keywords]  # as configured (a regex as /regex/i), by keyword index
        self._keyword_keys = [phrase_key(k) if isinstance(k, str) else k.key for k in keywords]
        self.routes = RouteSet(config.routes)
        self.tables = Tables(entities, rules, self.keywords, self.settings)
        self._weights = [entity.weight for entity in entities]
        self._entity_ids = [entity.id for entity in entities]
        self._watchlist_of = {entity.id: entity.watchlist for entity in entities}

    @classmethod
    def build(cls, config: Config) -> Matcher:
        """Compile `config`; a `ConfigError` lists every phrase that can never match."""
        entities = [WatchedEntity(e.id, e.name, e.kind, w.id, e.weight)
                    for w in config.watchlists for e in w.entities]
        rules = [EventRule(e.id, e.name, e.same_sentence) for e in config.event_types]
        keywords = _keywords(config.routes)
        named = list(_entity_phrases(config))
        literal = [*named, *_trigger_phrases(config),
                   *((k, Target(Kind.KEYWORD, i, k)) for i, k in enumerate(keywords) if isinstance(k, str))]
        automaton, empty = PhraseAutomaton.build(literal)
        if empty:
            raise ConfigError([_unmatchable(phrase, target, entities, rules) for phrase, target in empty])
        configured = ((trigger, Target.of(Kind.TRIGGER, index, trigger))
                      for index, event in enumerate(config.event_types) for trigger in event.triggers)
        inflected = Inflections([*named, *configured])
        regexes = PatternRules([*_entity_patterns(config),
                                *((k, Target(Kind.KEYWORD, i, str(k))) for i, k in enumerate(keywords)
                                  if isinstance(k, Pattern))])
        ordinary = OrdinaryWords(t.phrase for _, t in named if t.kind is Kind.ENTITY and t.languages is None)
        return cls(config, automaton, entities, rules, keywords, inflected, regexes, ordinary)

    def prepare(self, languages: Iterable[str] = ()) -> None:
        """Build now what the first article of each of `languages` would build in its batch: the inflection
        index (about a second at 100k entities) and each language's inflected forms and ordinary words
        (0.2 to 0.5 s each). The match stage does, off its batches, for the languages its previous
        matcher met, so a config reload stalls no batch."""
        self.inflected.prepare(languages)
        self.ordinary.prepare(languages)

    def met(self) -> list[str]:
        """The languages of the articles this matcher has met that cost it something to meet."""
        return list(dict.fromkeys([*self.inflected.met(), *self.ordinary.met()]))

    def match(self, article: Article, explain: bool = False, folds: Sequence[Folded] = ()) -> MatchResult:
        """Everything the config finds in the article; `explain` also keeps what it turned down. `folds`:
        its title and text folded already (`fold_texts`), by a caller that reads them too."""
        why = Explanation() if explain else None
        texts: dict[Field_, str] = {"title": article.title, "body": article.text}
        located: list[Located] = []
        spans: dict[Field_, list[tuple[int, int]]] = {"title": [], "body": []}
        scores: dict[int, float] = {}
        triggers: list[TriggerHit] = []
        keywords: dict[int, Spot] = {}
        uncounted: list[Uncounted] = []
        layout = Layout(article) if article.blocks else None
        new = tuple.__new__  # a NamedTuple's own constructor costs twice as much, per mention
        language = article.match_language()
        scanned = [(name, *self._scan(name, folding, language, keywords, why))
                   for name, folding in zip(texts, folds or fold_texts(article), strict=True)]
        if ordinary := self.ordinary.of(language):
            scanned = _judged(scanned, ordinary, why)
        weights, settings = self._weights, self.settings
        for name, folded, kept, trigger_hits in scanned:
            text = texts[name]
            span = folded.original_span
            for start, end, target, _ in _outside(trigger_hits, kept):
                triggers.append(TriggerHit(target.owner, name, *span(start, end)))
            field_spans = spans[name]
            blocks = layout if name == "body" else None
            mapped = folded.original_span if folded.anchors else None  # else a span moves by the padding
            for start, end, target, how in kept:
                owner, phrase = target.owner, target.phrase
                first, last = mapped(start, end) if mapped else (start - 1, end - 1)
                # its first letter tested here at once: most names are written with a capital
                if text[first].islower() and lowered(text, first, last, phrase, how):
                    if why is not None:
                        refusal = Refusal(new(Hit, (start, end, target, how)),
                                          lowered_reason(phrase, text[first:last]))
                        why.refused.append((name, refusal))
                    continue
                if not phrase[-1].isalnum():
                    last = _with_trailing(text, last, phrase)
                block = blocks.at(first) if blocks else None
                if block is not None and block.role != "body":
                    uncounted.append(new(Uncounted, (first, last, owner, block)))
                    continue
                located.append(new(Located, (name, first, last, owner, phrase, block.kind if block else None,
                                             how)))
                field_spans.append((first, last))
                scores[owner] = scores.get(owner, 0.0) + weight(name, first, settings) * weights[owner]
        counted = count(self.rules, triggers, texts, spans, why.lone_triggers if why else None)
        ids = self._entity_ids
        found = Found.of({ids[i]: score for i, score in scores.items()}, self._watchlist_of,
                         frozenset(self.rules[hit.rule].id for hit in counted),
                         frozenset(self._keyword_keys[i] for i in keywords), article)
        return MatchResult(texts, self.tables, located, scores, counted, keywords, found, self.routes, why,
                           uncounted)

    def _scan(self, name: Field_, folded: Folded, language: str | None, keywords: dict[int, Spot],
              why: Explanation | None) -> tuple[Folded, list[Hit], list[Hit]]:
        """The kept entity mentions of one field and its trigger hits; its keywords are added to those
        given."""
        refused: list[Refusal] | None = [] if why else None
        dropped: list[Dropped] | None = [] if why else None
        hits = self.automaton.scan(folded, refused, language)
        self.inflected.scan(folded, language, hits)
        self.patterns.scan(folded, hits)
        span = folded.original_span
        for hit in hits.keywords:
            keywords.setdefault(hit.target.owner, (name, *span(hit.start, hit.end)))
        kept = keep(hits.entities, hits.exclusions, dropped)
        if why is not None:
            # a refusal of a form another form of the same target made good (au Caire, Au Caire) is noise
            stood = {_spot(hit) for kind in hits for hit in kind}
            why.refused.extend((name, r) for r in refused or () if _spot(r.hit) not in stood)
            why.dropped.extend((name, d) for d in dropped or ())
            why.folded[name] = folded
        return folded, kept, hits.triggers

    def record(self, article: Article, result: MatchResult, routes: Sequence[RouteDecision] = (),
               story: StoryRef | None = None) -> Match:
        """The match record for the matches topic; route decisions and story come from dedup."""
        return Match(id=article.id, article=article, score=result.score, entities=result.entities,
                     events=result.events, keywords=result.keywords, routes=list(routes), story=story,
                     uncounted=result.uncounted,
                     config_version=self.version)

    def alerts(self, result: MatchResult, story_id: str) -> list[RouteDecision]:
        """A decision with status "alert" for each route that fired, as if dedup had seen no copy of it."""
        return [RouteDecision.of(self.config.route(route_id), story_id) for route_id in result.routes]


def fold_texts(article: Article) -> tuple[Folded, Folded]:
    """The article's title and text, folded for matching (in `Matcher.match`'s field order)."""
    return fold(article.title), fold(article.text)


def _judged(scanned: list[tuple[Field_, Folded, list[Hit], list[Hit]]], ordinary: dict[str, str],
            why: Explanation | None) -> list[tuple[Field_, Folded, list[Hit], list[Hit]]]:
    """Each field's scan without the mentions of the article language's ordinary words that are not
    written as names (see `worker.match.ordinary`)."""
    turned_down: list[list[Refusal] | None] = [[] if why else None for _ in scanned]
    judged = judge([(folded, kept) for _, folded, kept, _ in scanned], ordinary, turned_down)
    if why is not None:
        why.refused.extend((name, r) for (name, *_), refusals in zip(scanned, turned_down, strict=True)
                           for r in refusals or ())
    return [(name, folded, kept, triggers)
            for (name, folded, _, triggers), kept in zip(scanned, judged, strict=True)]


def _spot(hit: Hit) -> tuple[int, int, Kind, int]:
    """Where a hit stands and what it stands for, whichever of its target's forms found it."""
    return hit.start, hit.end, hit.target.kind, hit.target.owner


def _outside(triggers: list[Hit], mentions: list[Hit]) -> Iterator[Hit]:
    """The triggers that are not part of an entity's name ("Flood Insurance Ltd" is no flood)."""
    starts = [m.start for m in mentions]
    for trigger in triggers:
        index = bisect.bisect_right(starts, trigger.start) - 1
        if index < 0 or mentions[index].end < trigger.end:
            yield trigger


def _with_trailing(text: str, end: int, phrase: str) -> int:
    """Extend a mention over the punctuation its alias ends with: "U.S." is highlighted whole."""
    trailing = phrase[len(phrase.rstrip(_PUNCTUATION)):]
    return end + len(trailing) if text.startswith(trailing, end) else end


def _entity_phrases(config: Config) -> Iterator[tuple[str, Target]]:
    entities = (entity for watchlist in config.watchlists for entity in watchlist.entities)
    for index, entity in enumerate(entities):
        yield from entity_phrases(entity, index)


def entity_phrases(entity: Entity, index: int) -> Iterator[tuple[str, Target]]:
    """The literal phrases of the entity numbered `index`: its names, aliases and exclusions."""
    for phrase in (entity.name, *phrases(entity.aliases)):
        yield phrase, Target.of(Kind.ENTITY, index, phrase)
    for phrase in entity.case_sensitive_aliases:
        yield phrase, Target.of(Kind.ENTITY, index, phrase, case_sensitive=True)
    by_language = entity.language_aliases()  # a country's names in every language: worked out once
    yield from _language_phrases(entity, index, by_language)
    yield from _fused_phrases(entity, index, by_language)
    for phrase in phrases(entity.exclusions):
        yield phrase, Target.of(Kind.EXCLUSION, index, phrase)


def _entity_patterns(config: Config) -> Iterator[tuple[Pattern, Target]]:
    """The regex aliases and exclusions, numbered as `_entity_phrases` numbers their entities."""
    entities = (entity for watchlist in config.watchlists for entity in watchlist.entities)
    for index, entity in enumerate(entities):
        for kind, rules in ((Kind.ENTITY, entity.aliases), (Kind.EXCLUSION, entity.exclusions)):
            yield from ((p, Target(kind, index, str(p))) for p in patterns(rules))


def _language_phrases(entity: Entity, index: int,
                      by_language: dict[str, list[str]]) -> Iterator[tuple[str, Target]]:
    """The aliases matched only in articles of their languages: one target for a phrase of many.

    One in capitals is an acronym, matched as written. A phrase spelled as one of the entity's plain
    aliases is matched everywhere already. One that only folds like it is not: in a Spanish article
    "México" is another word than the alias "Mexico" (see `worker.match.languages`), and only the
    Spanish name finds it. An article of unknown language matches none of them: a country's names in
    a hundred languages include common words of others, and nothing would tell which apply.
    `by_language`: the entity's `language_aliases`."""
    if not by_language:
        return
    plain = {_spelling(p) for p in (entity.name, *phrases(entity.aliases))}
    languages: dict[str, set[str]] = {}
    for language, names in by_language.items():
        for phrase in names:
            if _spelling(phrase) not in plain:
                languages.setdefault(phrase, set()).add(language)
    for phrase, codes in languages.items():  # an acronym (SAD, США) only as written: Bosnian "Sad je..."
        yield phrase, Target.of(Kind.ENTITY, index, phrase, languages=frozenset(codes),
                                case_sensitive=len(phrase) > 1 and phrase.isupper())


def _spelling(phrase: str) -> str:
    """A phrase's words as written, case aside: accents count."""
    return " ".join(unicodedata.normalize("NFC", phrase).casefold().split())


def _fused_phrases(entity: Entity, index: int,
                   by_language: dict[str, list[str]]) -> Iterator[tuple[str, Target]]:
    """The entity's names that start with an article, with it fused to a preposition (see
    `worker.match.contractions`): each form a case-sensitive target of its languages, for the name as
    configured."""
    named: list[tuple[str, str | None]] = [
        (p, None) for p in (entity.name, *phrases(entity.aliases), *entity.case_sensitive_aliases)]
    named += [(p, language) for language, names in by_language.items() for p in names]
    forms: dict[str, tuple[str, set[str]]] = {}
    for phrase, only in named:
        for form, language in fused(phrase):
            if only in (None, language):
                forms.setdefault(form, (phrase, set()))[1].add(language)
    for form, (phrase, languages) in forms.items():
        yield form, Target(Kind.ENTITY, index, phrase, case_key(form), frozenset(languages), RULE)


def _trigger_phrases(config: Config) -> Iterator[tuple[str, Target]]:
    for index, event in enumerate(config.event_types):
        for trigger in event.triggers:
            target = Target.of(Kind.TRIGGER, index, trigger)
            forms = inflections(trigger) or {trigger}  # an empty form is reported by the automaton
            yield from ((form, target) for form in sorted(forms))
        for trigger in event.exact_triggers:
            yield trigger, Target.of(Kind.TRIGGER, index, trigger, case_sensitive=True)


def _keywords(routes: Iterable[Route]) -> list[str | Pattern]:
    """Every route keyword once per folded form (a regex once per pattern and case), first spelling kept."""
    seen: dict[str, str | Pattern] = {}
    for route in routes:
        terms = route.when.keywords
        for keyword in (*terms.all, *terms.any, *terms.none):
            seen.setdefault(phrase_key(keyword) if isinstance(keyword, str) else keyword.key, keyword)
    return list(seen.values())


def _unmatchable(phrase: str, target: Target, entities: list[WatchedEntity], rules: list[EventRule]) -> str:
    if target.kind in (Kind.ENTITY, Kind.EXCLUSION):
        owner = f"entity {entities[target.owner].id!r} (watchlist {entities[target.owner].watchlist!r})"
    elif target.kind is Kind.TRIGGER:
        owner = f"event type {rules[target.owner].id!r}"
    else:
        owner = "a route's keywords"
    return (f"{owner}: {phrase!r} has no letter or digit left once folded for matching, so it can "
            f"never match; remove it or write it out in letters")
