"""The multilingual bench's watchlist and its labels on the development pages, from multilingual.yaml.

The watchlist is one list for every language at once, as a team watching the
world keeps it: each entity's names in each language's base form, as a user of
that language types them (Deutschland, not Deutschlands; Norvēģija, not
Norvēģijas; 北京 as written), plus the acronyms matched as written. Shared
entities carry names in many languages, so that one language's name can fire
on another language's word (the German "Uno" on a Spanish "Uno"). Probes that
no page names (Latvija, Rīga, Москва, 京都, Niger, Bern, Essen...) measure false
alerts: several are substrings of words the pages hold ("weniger",
"übernehmen", "raksturīgas"), which a search without word boundaries finds.

Labels: for each page, its language and the entities it names, each with the
form(s) the page holds, copied from the reference body (pages with NAME.txt)
or from the article as read by hand (the German and French pages, which have
none; navigation, teasers and comments do not count). The bench checks every
form against the page, and derives each pair's class from the forms: the name
as written (an alias standing as a whole word), inside unspaced text (an alias
glued to Han, Kana, Thai or Myanmar letters), or inflected only (no alias
stands: Deutschlands, Rīgā, Münchener).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SOURCE = Path(__file__).with_name("multilingual.yaml")


@dataclass(frozen=True)
class Watched:
    """One watched entity: its display name (matched in every language), names by language."""

    id: str
    kind: str
    name: str
    names: dict[str, tuple[str, ...]]  # ISO 639-1 code -> aliases in that language
    exact: tuple[str, ...] = ()  # case-sensitive aliases (acronyms), every language
    exclusions: tuple[str, ...] = ()
    country: str | None = None  # ISO 3166-1 code, for the `country:` form of the entity

    def aliases(self) -> tuple[str, ...]:
        """Every name matched ignoring case: the display name and each language's names."""
        every = (self.name, *(name for names in self.names.values() for name in names))
        return tuple(dict.fromkeys(every))


@dataclass(frozen=True)
class Labels:
    """One page: its language and, for each entity it names, the forms it holds."""

    page: str
    language: str
    expected: dict[str, tuple[str, ...]]
    text_only: bool = False  # the corpus has its reference body only: matching is measured, not extraction


@dataclass(frozen=True)
class NotMention:
    """A watched name standing as a word on a page without naming the entity there."""

    page: str
    entity: str
    why: str
    unavoidable: bool  # only knowledge of the world tells: set aside on the goal line


def _strings(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _load(path: Path) -> tuple[tuple[Watched, ...], tuple[Labels, ...], tuple[NotMention, ...]]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    watchlist = tuple(Watched(e["id"], e["kind"], e["name"],
                              {lang: _strings(names) for lang, names in e.get("names", {}).items()},
                              _strings(e.get("exact", [])), _strings(e.get("exclusions", [])),
                              e.get("country"))
                      for e in data["entities"])
    pages = tuple(Labels(page, p["language"], {e: _strings(forms) for e, forms in p["expected"].items()},
                         p.get("text_only", False))
                  for page, p in data["pages"].items())
    not_mentions = tuple(NotMention(n["page"], n["entity"], n["why"], n["unavoidable"])
                         for n in data["not_mentions"])
    return watchlist, pages, not_mentions


WATCHLIST, PAGES, NOT_MENTIONS = _load(SOURCE)
