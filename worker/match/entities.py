"""Which entity mentions stand, and what they weigh.

Two rules decide between the candidates the automaton finds in one field:

- an exclusion vetoes the mentions of its own entity that it contains:
  "Paris Hilton" removes the "Paris" inside it, and nothing else;
- where mentions overlap, the longest wins: "New York Times" is the paper,
  not the city. Mentions of the same words by several entities all stand,
  since nothing in the text tells them apart.

A mention weighs `title_weight` in the title, `lead_weight` in the first
`lead_chars` of the body and `body_weight` elsewhere, times its entity's
`weight`; an entity's score is the sum over its mentions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from worker.config.models import MatchSettings
from worker.match.automaton import Hit
from worker.records import Field_


@dataclass(frozen=True, slots=True)
class WatchedEntity:
    id: str
    name: str
    kind: str
    watchlist: str
    weight: float


@dataclass(frozen=True, slots=True)
class Dropped:
    """A candidate mention that did not stand, and the hit that outweighed it."""

    mention: Hit
    by: Hit
    reason: str  # "excluded" or "overlapped"


def keep(mentions: list[Hit], exclusions: Sequence[Hit], dropped: list[Dropped] | None = None) -> list[Hit]:
    """The mentions that stand in one field, in text order; see the module docstring."""
    if exclusions:
        mentions = [m for m in mentions if not _vetoed(m, exclusions, dropped)]
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[Hit] = []
    cluster: list[Hit] = []
    reach = -1
    for mention in mentions:
        if mention.start >= reach and cluster:
            kept.extend(_longest(cluster, dropped))
            cluster = []
        cluster.append(mention)
        reach = max(reach, mention.end)
    kept.extend(_longest(cluster, dropped))
    return kept


def _vetoed(mention: Hit, exclusions: Sequence[Hit], dropped: list[Dropped] | None) -> bool:
    for exclusion in exclusions:
        if (exclusion.target.owner == mention.target.owner
                and exclusion.start <= mention.start and mention.end <= exclusion.end):
            if dropped is not None:
                dropped.append(Dropped(mention, exclusion, "excluded"))
            return True
    return False


def _longest(cluster: list[Hit], dropped: list[Dropped] | None) -> list[Hit]:
    """Longest first, each mention kept unless it overlaps a longer one kept before it."""
    if len(cluster) < 2:
        return cluster
    chosen: list[Hit] = []
    for mention in sorted(cluster, key=lambda m: (m.start - m.end, m.start)):
        rival = next((c for c in chosen if c.start < mention.end and mention.start < c.end
                      and (c.start, c.end) != (mention.start, mention.end)), None)
        if rival is None:
            chosen.append(mention)
        elif dropped is not None:
            dropped.append(Dropped(mention, rival, "overlapped"))
    chosen.sort(key=lambda m: m.start)
    return chosen


def weight(field: Field_, start: int, settings: MatchSettings) -> float:
    """How much one mention counts for where it stands (before the entity's own weight)."""
    if field == "title":
        return settings.title_weight
    return settings.lead_weight if start < settings.lead_chars else settings.body_weight
