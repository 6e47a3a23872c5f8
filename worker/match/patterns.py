"""Regex rules: aliases, exclusions and keywords written as RE2 regular expressions.

Literal phrases stay on the automaton; patterns cannot go there, so they run
beside it. All of them are compiled into one `re2.Set`, whose DFA reads a text
once and says which patterns match anywhere in it: most texts match none, and
then patterns cost that one pass (in C, linear in the text, whatever the
patterns). Only the patterns the set names are run again, one by one, for
their spans. RE2 cannot backtrack, so no pattern and no text can make a scan
take more than linear time.

Patterns read the original text, as written: a pattern means what its author
sees (`CVE-\\d{4}` needs the hyphen that folding would turn into a space,
`\\d` needs the digits as typed), and case-insensitivity is RE2's own (Unicode
simple case folding), unless the rule says `case_sensitive: true`. Accents are
not folded: a pattern says `[eé]` where it wants both. Word boundaries are the
pattern's to state (`\\b`, ASCII). Hits are returned in the folded text's
coordinates, like the automaton's, so exclusions, overlaps, blocks and route
keywords treat them as any other mention, and map back to the original span.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from operator import attrgetter
from typing import Any

import re2

from worker.config.models import Pattern
from worker.folding import Folded
from worker.match.automaton import Hit, Hits, Target

# The DFA memory of the set: 1,000 patterns stay far below it; RE2's default (8 MB) is for one pattern.
_SET_MEMORY = 64 << 20


class PatternRules:
    """Every regex rule of a config; `scan` adds their hits to the automaton's."""

    def __init__(self, rules: Iterable[tuple[Pattern, Target]]) -> None:
        grouped: dict[str, tuple[Pattern, list[Target]]] = {}
        for pattern, target in rules:
            grouped.setdefault(pattern.key, (pattern, []))[1].append(target)
        self.size = len(grouped)
        self._rules: list[tuple[Any, str, tuple[Target, ...]]] = []
        self._set: Any = None
        if not grouped:
            return
        options = re2.Options()
        options.case_sensitive = True  # each insensitive pattern says so itself, as (?i:...)
        options.log_errors = False
        options.max_mem = _SET_MEMORY
        self._set = re2.Set.SearchSet(options)
        for key, (pattern, targets) in grouped.items():
            self._set.Add(pattern.regex if pattern.case_sensitive else f"(?i:{pattern.regex})")
            self._rules.append((pattern.compile(), f"regex {key}", tuple(targets)))
        self._set.Compile()

    def scan(self, folded: Folded, hits: Hits) -> None:
        """Add to `hits` every match of every pattern in the text, keeping each list in end order."""
        if self._set is None:
            return
        raw = folded.original.encode()  # once: given a str, re2 encodes it again for every call
        matched = self._set.Match(raw)
        if not matched:
            return
        shifts = _Shifts(folded, raw)
        added = set()
        for index in matched:
            compiled, rule, targets = self._rules[index]
            for found in compiled.finditer(raw):
                first, last = found.span()
                if first == last:
                    continue
                start, end = shifts.folded(first), shifts.folded(last)
                for target in targets:
                    hits[target.kind].append(Hit(start, end, target, rule))
                    added.add(target.kind)
        for kind in added:
            hits[kind].sort(key=attrgetter("end"))


class _Shifts:
    """Byte offsets in the UTF-8 original to positions in the folded text, the inverse of
    `Folded.original_span`.

    RE2 reads bytes, and an ASCII text's bytes are its characters; in others, the bytes before an
    offset are decoded to count them (matches are rare, so this is paid rarely). Most texts fold
    character for character, and a position moves by the padding space only; the characters that
    `Folded.anchors` records fold to none or several, and shift what follows them."""

    def __init__(self, folded: Folded, raw: bytes) -> None:
        self._raw = None if len(raw) == len(folded.original) else raw
        self._at = [original for _, original, _ in folded.anchors]
        self._shift = [0]
        for _, _, length in folded.anchors:
            self._shift.append(self._shift[-1] + length - 1)

    def folded(self, offset: int) -> int:
        position = offset if self._raw is None else len(self._raw[:offset].decode())
        return position + 1 + self._shift[bisect.bisect_left(self._at, position)]
