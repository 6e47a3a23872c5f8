"""The human form of one explained match: what was found where, and why each route fired or not.

An operator reads it to answer "why did this alert?" and, more often, "why
did this not alert?", so besides the hits it lists what the matcher turned
down: case-sensitive aliases written in another case, mentions vetoed by an
exclusion or inside a longer alias, and `same_sentence` triggers with no
watched entity in their sentence. Spans are highlighted with ANSI bold on a
terminal and with »guillemets« elsewhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from worker.language import language_name
from worker.match.automaton import Hit, Kind, Target
from worker.match.events import evidence
from worker.match.layout import not_counted
from worker.match.matcher import Matcher
from worker.match.result import Explanation, MatchResult
from worker.match.sentences import context
from worker.records import LANGUAGE_CONFIDENT, Article, Field_, Mention, Mute

PLAIN_MARK = ("\u00bb", "\u00ab")
TERMINAL_MARK = ("\x1b[1m", "\x1b[0m")
SHOWN_MENTIONS = 5
CONTEXT_CHARS = 110


def render(article: Article, result: MatchResult, matcher: Matcher, color: bool = False,
           held: Mapping[str, Mute] | None = None) -> str:
    """`held`: the fired routes a mute holds back, and the mute (worker/match/mutes.py)."""
    mark = TERMINAL_MARK if color else PLAIN_MARK
    texts: dict[Field_, str] = {"title": article.title, "body": article.text}
    sections = (_header(article, result, matcher), _entities(result, texts, mark, matcher),
                _events(result, texts, mark), _keywords(result, texts, mark),
                _routes(result, matcher, held or {}),
                _turned_down(result, texts, matcher))
    return "\n".join(line for section in sections for line in section) + "\n"


def _header(article: Article, result: MatchResult, matcher: Matcher) -> Iterator[str]:
    yield article.title or "(no title)"
    yield f"  {article.url}"
    text = f"text from the {article.source.replace('_', ' ')}"
    if article.fallback_reason:
        text += f" (fallback: {article.fallback_reason})"
    if article.extraction_note:
        text += f" ({article.extraction_note})"
    yield (f"  {text}, {len(article.text):,} characters; config {matcher.version or '(unversioned)'}; "
           f"score {result.score:g}")
    yield f"  {language_line(article)}"
    yield f"  {_source_line(article, matcher)}"


def _source_line(article: Article, matcher: Matcher) -> str:
    """Where the article comes from, as routes' source clauses see it."""
    feed = f"from feed {article.feed_id!r}"
    if all(f.id != article.feed_id for f in matcher.config.feeds):
        feed += ", not one of the config's (`newswatch match --feed ID` reads it as one of them)"
    else:
        feed += f", tags {', '.join(article.tags)}" if article.tags else ", no tags"
    return f"{feed}; by {article.author}" if article.author else f"{feed}; no author named"


def language_line(article: Article) -> str:
    """The language matching goes by, and the declared and detected ones it was chosen from."""
    matched = article.match_language()
    detected = (f"{article.detected_language} with confidence {article.language_confidence or 0:.2f}"
                if article.detected_language else "none (too little text)")
    return (f"language: {f'{language_name(matched)} ({matched})' if matched else 'unknown'}; declared "
            f"{article.language or 'none'}, detected {detected} (the detected one counts from "
            f"{LANGUAGE_CONFIDENT:g})")


def _entities(result: MatchResult, texts: dict[Field_, str], mark: tuple[str, str],
              matcher: Matcher) -> Iterator[str]:
    yield ""
    if not result.entities:
        yield (f"Entities: none of the {len(matcher.entities):,} watched entities is named in the "
               f"title or body")
        return
    yield f"Entities ({len(result.entities)})"
    for entity in result.entities:
        count = len(entity.mentions)
        yield (f"  {entity.id}: {entity.name} ({entity.kind}, watchlist {entity.watchlist}), "
               f"score {entity.score:g}, {count} mention{'s' if count != 1 else ''}")
        for mention in entity.mentions[:SHOWN_MENTIONS]:
            shown = context(texts[mention.field], mention.start, mention.end, CONTEXT_CHARS, mark=mark)
            yield f"    {mention.field:<5}  {shown}{_how(mention)}"
        if count > SHOWN_MENTIONS:
            yield f"    ... and {count - SHOWN_MENTIONS} more"


def _how(mention: Mention) -> str:
    """Which alias found a mention and by which rule: "[Москве ← Москва, Russian inflection]",
    "[CVE-2024-3094 ← regex /CVE-\\d+-\\d+/i]"."""
    if mention.rule is None:
        return f"  [alias {mention.alias}]" if mention.alias != mention.text else ""
    if mention.rule.startswith("regex "):  # the rule names the pattern, which is also the alias
        return f"  [{mention.text} \u2190 {mention.rule}]"
    found = mention.alias if mention.alias == mention.text else f"{mention.text} \u2190 {mention.alias}"
    return f"  [{found}, {mention.rule}]"


def _events(result: MatchResult, texts: dict[Field_, str], mark: tuple[str, str]) -> Iterator[str]:
    yield ""
    if not result.events:
        yield "Events: none"
        return
    yield f"Events ({len(result.events)})"
    for event in result.events:
        yield f"  {event.id}: {event.name}, trigger {event.trigger!r} in the {event.field}"
        yield f"    {evidence(event.field, texts[event.field], event.start, event.end, mark)}"


def _keywords(result: MatchResult, texts: dict[Field_, str], mark: tuple[str, str]) -> Iterator[str]:
    if not result.keywords:
        return
    yield ""
    yield f"Keywords ({len(result.keywords)})"
    for keyword in result.keywords:
        shown = context(texts[keyword.field], keyword.start, keyword.end, CONTEXT_CHARS, mark=mark)
        yield f"  {keyword.keyword}: {keyword.field:<5}  {shown}"


def _routes(result: MatchResult, matcher: Matcher, held: Mapping[str, Mute]) -> Iterator[str]:
    yield ""
    yield "Routes"
    width = max((len(o.route) for o in result.outcomes), default=0)
    for outcome in result.outcomes:
        route = matcher.config.route(outcome.route)
        if outcome.fired and outcome.route in held:
            yield f"  MUTED    {outcome.route:<{width}}  {held[outcome.route].describe()}; recorded, not sent"
        elif outcome.fired:
            yield f"  FIRED    {outcome.route:<{width}}  {_targets(matcher, route.to)}"
        if outcome.fired:
            for clause in outcome.held:
                yield f"  {'':<7}  {'':<{width}}  held: {clause}"
            continue
        for n, failure in enumerate(outcome.failures):
            yield f"  {'not' if n == 0 else '':<7}  {outcome.route if n == 0 else '':<{width}}  {failure}"


def _targets(matcher: Matcher, to: list[str]) -> str:
    """The destinations an alert would reach; a disabled one is named as such, not as a target."""
    config = matcher.config
    enabled = [d for d in to if config.destination(d).enabled]
    off = [f"{d} ({config.disabled_reason(d)})" for d in to if d not in enabled]
    text = f"to {', '.join(enabled)}" if enabled else "to no enabled destination"
    return text + (f"; disabled, so dead-lettered: {', '.join(off)}" if off else "")


def _turned_down(result: MatchResult, texts: dict[Field_, str], matcher: Matcher) -> Iterator[str]:
    why = result.explanation
    if not result.uncounted and (why is None or not (why.refused or why.dropped or why.lone_triggers)):
        return
    yield ""
    yield "Not counted"
    for mention in result.uncounted:
        yield (f"  {mention.text!r} in the body at {mention.start} ({mention.entity}): "
               f"{not_counted(mention.role)} ({mention.block}: {mention.snippet})")
    if why is None:
        return
    refusals = Counter((r.hit.target, r.reason) for _, r in why.refused)
    for (target, reason), times in refusals.items():
        repeat = f" ({times} times)" if times > 1 else ""
        yield f"  {target.phrase!r} ({_owner(matcher, target)}): {reason}{repeat}"
    for name, dropped in why.dropped:
        where = f"{_where(why, name, dropped.mention, texts)} ({_owner(matcher, dropped.mention.target)})"
        if dropped.reason == "excluded":
            yield f"  {where}: vetoed by the exclusion {dropped.by.target.phrase!r}"
        else:
            yield (f"  {where}: part of the longer {_words(why, name, dropped.by, texts)!r} "
                   f"({_owner(matcher, dropped.by.target)})")
    for lone in why.lone_triggers:
        yield (f"  trigger {lone.trigger!r} ({lone.event}) in the {lone.field}: no watched entity in "
               f"its sentence, and {lone.event} asks for one (same_sentence)")


def _owner(matcher: Matcher, target: Target) -> str:
    """The id of the entity or event type a phrase belongs to."""
    if target.kind is Kind.TRIGGER:
        return matcher.rules[target.owner].id
    return matcher.entities[target.owner].id


def _where(why: Explanation, field: Field_, hit: Hit, texts: dict[Field_, str]) -> str:
    start, _ = why.folded[field].original_span(hit.start, hit.end)
    return f"{_words(why, field, hit, texts)!r} in the {field} at {start}"


def _words(why: Explanation, field: Field_, hit: Hit, texts: dict[Field_, str]) -> str:
    start, end = why.folded[field].original_span(hit.start, hit.end)
    return texts[field][start:end]
