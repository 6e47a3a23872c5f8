"""What a config change can alter in matching, so the backtest matches most articles once, not twice.

A change a team backtests is mostly a few entities' names: an alias added, an
exclusion, a name corrected, an entity moved or reweighted; routes and mutes
are judged per config anyway. When everything else the matcher reads is the
same (match settings, event types, route keywords, the entities in the same
order), an article in which no phrase of a changed entity, old or new, stands
is found alike by both matchers: an entity is found only by its own phrases,
and only its mentions and exclusions can outweigh, veto or cover anything.
Those phrases make a small automaton (`Change.probe`); an article it finds
nothing in takes the current config's findings as they are, judged by the new
config's routes (`MatchResult.under`), and the others are matched by both.

The probe errs on the side of matching twice: it counts any key it finds
before boundary, case or language checks. It cannot see an inflected form,
so an article in a language the matcher inflects names in is matched by both
whenever some entity changed; nor a regex, so a change to an entity with
regex aliases or exclusions (or any other kind of change) leaves no `Change`,
and every article is matched by both configs.

It also names the routes the change most likely alters (`Change.routes`), so
the scan fingerprints their alerting articles as it judges them, not in a
second read of the span; and says whether both configs route and mute alike,
so that a spared article's verdict under the current config is the new one's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from worker.config.models import Config, Entity, Route, patterns
from worker.folding import Folded
from worker.match.automaton import PhraseAutomaton
from worker.match.inflection import TRIGGER_RULES
from worker.match.matcher import Matcher, entity_phrases
from worker.match.mutes import config_mutes
from worker.records import Article


@dataclass(frozen=True)
class Change:
    """The entities two configs' matchers differ in, and an automaton over their phrases under both."""

    entities: frozenset[str]  # the ids of the changed entities
    probe: PhraseAutomaton
    routes: frozenset[str]  # the routes it most likely alters (see `_likely`)
    alike: bool  # both configs have the same routes and mutes: a spared article's verdict is the same

    @classmethod
    def of(cls, before: Matcher, after: Matcher) -> Change | None:
        """The change from `before` to `after` when it is only some entities' phrases, names or weights;
        None when anything else the matcher reads differs (then every article is matched by both)."""
        old, new = _entities(before.config), _entities(after.config)
        if (before.settings != after.settings or before.config.event_types != after.config.event_types
                or before.keywords != after.keywords or [e.id for e, _ in old] != [e.id for e, _ in new]):
            return None
        changed = [(index, a, b) for index, ((a, x), (b, y)) in enumerate(zip(old, new, strict=True))
                   if a != b or x != y]
        if any(patterns(e.aliases) or patterns(e.exclusions) for _, a, b in changed for e in (a, b)):
            return None
        phrases = [p for index, a, b in changed for e in (a, b) for p in entity_phrases(e, index)]
        probe, _ = PhraseAutomaton.build(phrases)
        mutes = config_mutes(before.config) == config_mutes(after.config)
        pairs = [(old[index], new[index]) for index, _, _ in changed]
        return cls(frozenset(a.id for _, a, _ in changed), probe,
                   _likely(before.config.routes, after.config.routes, pairs, mutes),
                   mutes and before.config.routes == after.config.routes)

    def spares(self, article: Article, folds: Sequence[Folded]) -> bool:
        """Whether the change cannot alter what the matcher finds in the article (`folds`: its title and
        text folded, `worker.match.matcher.fold_texts`)."""
        if not self.entities:
            return True
        if article.match_language() in TRIGGER_RULES:  # inflected forms: the probe cannot see them
            return False
        return not any(self.probe.finds(text) for text in folds)


def _likely(before: Sequence[Route], after: Sequence[Route],
            changed: Sequence[tuple[tuple[Entity, str], ...]], mutes_alike: bool) -> frozenset[str]:
    """The routes a change of these entities most likely alters: every route when a mute changed; else
    those that differ, that name a changed entity or its watchlist, or whose `min_score` weighs every
    entity. Another route can change too (a new alias that covers another entity's mention), more rarely:
    the scan fingerprints its articles in a second read."""
    old, new = {r.id: r for r in before}, {r.id: r for r in after}
    if not mutes_alike:
        return frozenset(old) | frozenset(new)
    entities = {entity.id for pair in changed for entity, _ in pair}
    watchlists = {watchlist for pair in changed for _, watchlist in pair}
    likely = set()
    for route_id in old.keys() | new.keys():
        route = old.get(route_id)
        if route is None or route != new.get(route_id):
            likely.add(route_id)
            continue
        on, lists = route.when.entities, route.when.watchlists
        if (not entities.isdisjoint([*on.all, *on.any, *on.none])
                or not watchlists.isdisjoint([*lists.all, *lists.any, *lists.none])
                or route.when.min_score and not (on.all or on.any or lists.all or lists.any)):
            likely.add(route_id)
    return frozenset(likely)


def _entities(config: Config) -> list[tuple[Entity, str]]:
    """Every entity with its watchlist's id, in the order the matcher numbers them."""
    return [(entity, watchlist.id) for watchlist in config.watchlists for entity in watchlist.entities]
