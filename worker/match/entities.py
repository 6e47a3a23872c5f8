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

import sys
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
    """The mentions that stand in one field, in text order; see the module docstring.

    Overlaps are settled between distinct spans, so words claimed by many
    entities (a short acronym in a large watchlist) cost one comparison, not
    one per pair of entities.
    """
    if exclusions:
        mentions = [m for m in mentions if not _vetoed(m, exclusions, dropped)]
    if _apart(mentions):
        return mentions
    claims: dict[tuple[int, int], list[Hit]] = {}
    for mention in mentions:
        claims.setdefault((mention.start, mention.end), []).append(mention)
    spans = sorted(claims)
    spans.append((sys.maxsize, sys.maxsize))  # a sentinel after the last span: it closes the last cluster
    kept: list[Hit] = []
    first = 0  # where the current cluster starts in `spans`
    reach = -1
    for at, (start, end) in enumerate(spans):
        if start >= reach:  # overlaps nothing before it: the cluster before it is complete
            if at - first == 1:  # most clusters are one span, kept as it is
                kept.extend(claims[spans[first]])
            elif at > first:
                kept.extend(_longest(spans[first:at], claims, dropped))
            first = at
        if end > reach:
            reach = end
    return kept


def _apart(mentions: list[Hit]) -> bool:
    """Whether no two spans share a character, mentions of one span (one key, many entities) side by
    side; the automaton gives them by end, so start order holds."""
    first = reach = -1
    for start, end, _, _ in mentions:
        if start < reach and (start != first or end != reach):
            return False
        first, reach = start, end
    return True


def _vetoed(mention: Hit, exclusions: Sequence[Hit], dropped: list[Dropped] | None) -> bool:
    for exclusion in exclusions:
        if (exclusion.target.owner == mention.target.owner
                and exclusion.start <= mention.start and mention.end <= exclusion.end):
            if dropped is not None:
                dropped.append(Dropped(mention, exclusion, "excluded"))
            return True
    return False


def _longest(cluster: list[tuple[int, int]], claims: dict[tuple[int, int], list[Hit]],
             dropped: list[Dropped] | None) -> list[Hit]:
    """Longest span first, each kept unless it overlaps a longer one kept before it; in text order."""
    chosen: list[tuple[int, int]] = []
    for span in sorted(cluster, key=lambda s: (s[0] - s[1], s[0])):
        rival = next((c for c in chosen if c[0] < span[1] and span[0] < c[1]), None)
        if rival is None:
            chosen.append(span)
        elif dropped is not None:
            dropped.extend(Dropped(m, claims[rival][0], "overlapped") for m in claims[span])
    return [mention for span in sorted(chosen) for mention in claims[span]]


def weight(field: Field_, start: int, settings: MatchSettings) -> float:
    """How much one mention counts for where it stands (before the entity's own weight)."""
    if field == "title":
        return settings.title_weight
    return settings.lead_weight if start < settings.lead_chars else settings.body_weight
