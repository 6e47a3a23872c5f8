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
"""

from __future__ import annotations

from dataclasses import dataclass

from worker.config.models import Config, Entity, patterns
from worker.folding import fold
from worker.match.automaton import PhraseAutomaton
from worker.match.inflection import TRIGGER_RULES
from worker.match.matcher import Matcher, entity_phrases
from worker.records import Article


@dataclass(frozen=True)
class Change:
    """The entities two configs' matchers differ in, and an automaton over their phrases under both."""

    entities: frozenset[str]  # the ids of the changed entities
    probe: PhraseAutomaton

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
        return cls(frozenset(a.id for _, a, _ in changed), probe)

    def spares(self, article: Article) -> bool:
        """Whether the change cannot alter what the matcher finds in the article."""
        if not self.entities:
            return True
        if article.match_language() in TRIGGER_RULES:  # inflected forms: the probe cannot see them
            return False
        return not (self.probe.finds(fold(article.title)) or self.probe.finds(fold(article.text)))


def _entities(config: Config) -> list[tuple[Entity, str]]:
    """Every entity with its watchlist's id, in the order the matcher numbers them."""
    return [(entity, watchlist.id) for watchlist in config.watchlists for entity in watchlist.entities]
