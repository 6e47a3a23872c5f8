"""Alert quality outside English: one watchlist of every language's names on news in 13 languages.

    python -m bench.quality_multilingual [--corpus DIR] [--out FILE]   (the second part of make bench-quality)

Corpus: `../shared/corpus/multilingual-pages/` (relative to the project root,
or to the worktrees' folder; `NEWSWATCH_MULTILINGUAL_PAGES` overrides it):
Arabic, Burmese, Chinese (3), Japanese (2), Latvian, Spanish and Thai pages
with reference bodies, eight German and one French page without, and the
Bengali, Hindi, Korean and Nepali reference bodies whose pages the corpus
lacks: those measure matching alone (read as `newswatch match FILE.txt`
reads a text; the anchor searches the same text).

Watchlist and labels: `bench.multilingual_labels`, written by hand: one
watchlist holding every language's names at once, each in its base form as a
user types it, so that names collide across languages as they do for a team
that watches the world; for each page, the entities its article names and the
forms it holds. Every form is checked against the page (its reference body,
or trafilatura's text where it has none), and every watched name that stands
there as a whole word must be labelled, or listed as not a mention with the
reason, before the bench runs. Each expected pair has a class, from its
forms: the name as written, inside unspaced text (Han, Kana, Thai, Myanmar),
or inflected only (Deutschlands, Norvēģijas, Münchener).

Systems, on the same pages in one run (a pair is predicted when its route fires):
- newswatch: the raw HTML through the extract stage and `Matcher.match`, as
  `bench.quality` runs it, every name of an entity in its `aliases`;
- newswatch by language: the same, each language's names in
  `aliases_by_language` (the English ones and the display name in `aliases`);
- newswatch by country: as by language, but a country names only its ISO code
  (`country: DE`) and its English name, and gets its other names from the product;
- anchor: trafilatura `favor_precision`, then a plain search of its title and
  text: each name ignoring case, the case-sensitive ones as written, as
  substrings, with no word boundaries (so it finds 北京 in 亲北京阵营, and Niger
  in "weniger"), exclusions vetoing what they contain.

Goal (printed per newswatch system): precision and recall at least 0.95 in
every language and not below the anchor's there, and F1 above the anchor's
over all pages; pairs that only knowledge of the world could tell (a street
named Vía Alemania) are set aside for every system alike, and counted on the
raw line.

Since ordinary words at a sentence's start are judged (worker/match/ordinary.py) and a Han name
before the character of a mountain or river it makes a word with names that feature
(worker/match/scripts.py): every language 1.00 / 1.00 for all three newswatch systems, all pages
0.989 / 1.000 raw (by country recall 0.994), anchor 0.879 / 0.978; the goal is met.

Figures at 780c42f (per language; raw labels in brackets): newswatch 1.00 / 1.00
in every language but Spanish 0.90 / 1.00 (the German "Uno" on a Spanish "Uno":
`config check` warns of it, and in `aliases_by_language` it is 1.00) and
Chinese 18/19 = 0.947 / 1.00 (太平 inside 太平山, a longer place name that a
segmenter could tell); by language and by country the same but Spanish 1.00
(by country misses the German Großbritannien, not CLDR's German name); all
pages 0.99 / 1.00 [0.978 / 1.000]; anchor 0.89 / 0.98. Before at 048eb87,
Nepali recall was 0.00 (postpositions), Latvian 0.60 (foreign names' case
endings) and Thai precision 0.83 (a Thai follow line).

Figures at d4bfe2b (precision / recall, all 178 pairs): newswatch 0.95 / 0.79
(as written 0.99, unspaced 0.00, inflected only 0.14; Chinese 0.11, Japanese
0.40, Burmese 0.40, Nepali 0.00; "Uber" fires on German "über" through accent
folding on 5 pages, the German "Uno" on a Spanish "Uno"); by language and by
country 0.93 / 0.46 (the matcher does not read those keys yet); anchor 0.88 /
0.98 (it finds Niger in "weniger", Inde in "Kinder", Bern in "übernehmen",
Rīga in "raksturīgas", and misses a Bengali name typed decomposed).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import worker
from bench.multilingual_labels import NOT_MENTIONS, PAGES, WATCHLIST, Labels, Watched
from bench.quality import (
    ROOT,
    Finder,
    Page,
    Tally,
    anchor_text,
    around,
    corpus_dir,
    product_article,
    product_evidence,
    watchlist_config,
)
from worker.config.models import Entity, Settings
from worker.explain import article_from_text
from worker.match.matcher import Matcher
from worker.records import Article

CORPUS_ENV = "NEWSWATCH_MULTILINGUAL_PAGES"
GOAL = 0.95
WRITTEN, UNSPACED, INFLECTED = "as written", "unspaced", "inflected only"
CLASSES = (WRITTEN, UNSPACED, INFLECTED)
ANCHOR = "anchor"
UNTAGGED = ("en",)  # names a user keeps in `aliases`, for every language, beside the display name

# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Kana, Han (and their
# compatibility and half-width forms).
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
                       "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")


# --- labels --------------------------------------------------------------------------------------


def _word_char(char: str) -> bool:
    return unicodedata.category(char)[0] in "LMN"


def pair_class(text: str, forms: Iterable[str], aliases: Iterable[str]) -> str:
    """The class of an expected pair, from the forms the page holds: `WRITTEN` when a form that is an
    alias stands as a whole word somewhere; `UNSPACED` when it stands only glued to a letter of a
    script without spaces (新华社北京11月: the digits after it do not make it Latin); else
    `INFLECTED` (no alias stands alone: an inflected form, or a compound such as Deutschlandtakt).
    Forms and aliases compare in NFKC, so a letter typed decomposed is the page's precomposed one."""
    def norm(phrase: str) -> str:
        return unicodedata.normalize("NFKC", phrase)
    names = {norm(alias).casefold() for alias in aliases}
    text = norm(text)
    best = len(CLASSES) - 1
    for form in map(norm, forms):
        if form.casefold() not in names:
            continue
        for match in re.finditer(re.escape(form), text, re.IGNORECASE):
            start, end = match.span()
            glued = [c for c in (text[start - 1] if start else "", text[end:end + 1]) if c and _word_char(c)]
            best = min(best, 0 if not glued else 1 if any(_UNSPACED.match(c) for c in glued) else 2)
    return CLASSES[best]


@dataclass(frozen=True)
class LabelledPage:
    """A page, the text its labels were read from, and its expected pairs with their classes."""

    page: Page
    language: str
    body: str  # the reference body, or trafilatura's title and text where the corpus has none
    classes: dict[str, str]  # expected entity id -> class
    forms: dict[str, tuple[str, ...]]
    set_aside: frozenset[str]  # entities only knowledge of the world tells from a name on this page


def _specs(watchlist: Iterable[Watched]) -> Iterator[tuple[str, tuple[str, ...], tuple[str, ...],
                                                            tuple[str, ...]]]:
    return ((e.id, e.aliases(), e.exact, e.exclusions) for e in watchlist)


WORDS = Finder(_specs(WATCHLIST))
SUBSTRINGS = Finder(_specs(WATCHLIST), bounded=False)
_BY_ID = {entity.id: entity for entity in WATCHLIST}


def label(page: Page, labels: Labels, anchor: tuple[str, str]) -> LabelledPage:
    """The page's labels, checked against its text; a `SystemExit` names what does not hold."""
    body = page.reference or f"{anchor[0]}\n{anchor[1]}"
    source = "reference body" if page.reference else "trafilatura text (the page has no reference)"
    errors = [f"{page.name} {entity}: {form!r} is not in its {source}"
              for entity, forms in labels.expected.items() for form in forms if form not in body]
    errors += [f"{page.name}: no entity {entity!r} in the watchlist" for entity in labels.expected
               if entity not in _BY_ID]
    not_mentions = {n.entity: n for n in NOT_MENTIONS if n.page == page.name}
    errors += [f"{page.name} {entity}: the {source} names it as a word ({around(body, spans)}) but it "
               f"is neither expected there nor listed in not_mentions"
               for entity, spans in WORDS.find(body).items()
               if entity not in labels.expected and entity not in not_mentions]
    if errors:
        raise SystemExit("bench-quality multilingual: the labels do not hold (bench/multilingual.yaml):"
                         + "".join(f"\n  {error}" for error in errors))
    classes = {entity: pair_class(body, forms, (*_BY_ID[entity].aliases(), *_BY_ID[entity].exact))
               for entity, forms in labels.expected.items()}
    return LabelledPage(page, labels.language, body, classes, labels.expected,
                        frozenset(e for e, n in not_mentions.items() if n.unavoidable))


def load(directory: Path) -> list[tuple[Page, Labels]]:
    pages = []
    for labels in PAGES:
        html, reference = directory / f"{labels.page}.html", directory / f"{labels.page}.txt"
        needed = [reference] if labels.text_only else [html]
        if not all(path.is_file() for path in needed):
            raise SystemExit(f"bench-quality multilingual: {needed[0]} is missing: the corpus "
                             f"../shared/corpus/multilingual-pages holds it for every labelled page")
        text = reference.read_text(encoding="utf-8") if reference.is_file() else ""
        pages.append((Page(labels.page, b"" if labels.text_only else html.read_bytes(), text), labels))
    return pages


def read(page: Page, labels: Labels, settings: Settings) -> tuple[Article, tuple[str, str]]:
    """The product's article and the anchor's title and text; a body without its page is read as
    `newswatch match FILE.txt` reads it, and searched as it is by the anchor."""
    if labels.text_only:
        return article_from_text(page.reference, f"file:///multilingual-pages/{page.name}.txt"), \
            ("", page.reference)
    return product_article(page, settings), anchor_text(page)


# --- the systems ---------------------------------------------------------------------------------


def entity_config(entity: Watched, system: str) -> dict[str, Any]:
    """The entity as a config dict for one newswatch system (see the module docstring)."""
    config: dict[str, Any] = {"id": entity.id, "name": entity.name, "kind": entity.kind,
                              "case_sensitive_aliases": list(entity.exact),
                              "exclusions": list(entity.exclusions)}
    if system == "newswatch":
        config["aliases"] = [a for a in entity.aliases() if a != entity.name]
        return config
    config["aliases"] = [a for lang in UNTAGGED for a in entity.names.get(lang, ())]
    if system == "newswatch by country" and entity.country:
        config["country"] = entity.country
        return config
    config["aliases_by_language"] = {lang: list(names) for lang, names in entity.names.items()
                                     if lang not in UNTAGGED}
    return config


def systems() -> list[str]:
    """The newswatch systems this checkout's config model can express."""
    fields = Entity.model_fields
    return ["newswatch", *(["newswatch by language"] if "aliases_by_language" in fields else []),
            *(["newswatch by country"] if "country" in fields else [])]


def matchers() -> dict[str, Matcher]:
    return {system: Matcher.build(watchlist_config([entity_config(e, system) for e in WATCHLIST]))
            for system in systems()}


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Report:
    """Tallies by system and language (and "all"), recall by class, and the disagreements written out."""

    raw: dict[str, Tally] = field(default_factory=dict)
    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)  # unavoidable pairs set aside
    by_class: dict[tuple[str, str], Tally] = field(default_factory=dict)
    lost: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (system, a form in its text) -> misses
    lines: list[str] = field(default_factory=list)

    def add(self, system: str, page: LabelledPage, predicted: set[str]) -> None:
        expected = set(page.classes)
        self.raw.setdefault(system, Tally()).add(expected, predicted)
        for language in (page.language, "all"):
            self.tallies.setdefault((system, language), Tally()).add(expected, predicted - page.set_aside)
        for entity, kind in page.classes.items():
            self.by_class.setdefault((system, kind), Tally()).add({entity}, predicted & {entity})


def _evidence(page: LabelledPage, article: Article, results: dict[str, Any], predicted: dict[str, set[str]],
              anchor: tuple[str, str], entity: str) -> Iterator[str]:
    expected = entity in page.classes
    wrong = [system for system, got in predicted.items() if (entity in got) != expected]
    if expected:
        yield f"{page.page.name} {entity}: missed by {', '.join(wrong)} [{page.classes[entity]}; " \
              f"the page has {' / '.join(page.forms[entity])}]"
        forms = Finder([(entity, page.forms[entity], (), ())], bounded=False)
        yield f"    page: {around(page.body, forms.find(page.body).get(entity, []))}"
    else:
        yield f"{page.page.name} {entity}: false alert by {', '.join(wrong)}"
        why = next((n for n in NOT_MENTIONS if (n.page, n.entity) == (page.page.name, entity)), None)
        if why:
            yield f"    not a mention{' (set aside)' if why.unavoidable else ''}: {why.why}"
        forms = SUBSTRINGS
    shown: dict[tuple[str, ...], str] = {}
    for system in wrong:
        if system != ANCHOR:
            lines = tuple(product_evidence(article, results[system], entity, forms))
            yield f"    -- {system}" + (f": as {shown[lines]}" if lines in shown else "")
            if lines not in shown:
                shown[lines] = system
                yield from lines
    spans = SUBSTRINGS.find(anchor[0]).get(entity) or SUBSTRINGS.find(anchor[1]).get(entity, [])
    text = anchor[0] if SUBSTRINGS.find(anchor[0]).get(entity) else anchor[1]
    yield f"    anchor: {around(text, spans)}"
    yield ""


def run(pages: Sequence[tuple[Page, Labels]], report: Report) -> list[LabelledPage]:
    built = matchers()
    settings = next(iter(built.values())).config.settings
    labelled = []
    for page, labels in pages:
        article, anchor = read(page, labels, settings)
        ready = label(page, labels, anchor)
        labelled.append(ready)
        results = {system: matcher.match(article, explain=True) for system, matcher in built.items()}
        predicted = {system: set(result.routes) for system, result in results.items()}
        predicted[ANCHOR] = set(SUBSTRINGS.find(anchor[0])) | set(SUBSTRINGS.find(anchor[1]))
        for system, got in predicted.items():
            report.add(system, ready, got)
        seen = unicodedata.normalize("NFKC", f"{article.title}\n{article.text}").casefold()
        for system, got in predicted.items():
            if system != ANCHOR:
                report.lost.update((system, any(unicodedata.normalize("NFKC", form).casefold() in seen
                                                for form in ready.forms[entity]))
                                   for entity in set(ready.classes) - got)
        report.lines.append(f"== {page.name} [{ready.language}; declared {article.language}, detected "
                            f"{article.detected_language} ({article.language_confidence})] {article.title}")
        for entity in sorted(set().union(*predicted.values()) | set(ready.classes)):
            if any((entity in got) != (entity in ready.classes) for got in predicted.values()):
                report.lines.extend(_evidence(ready, article, results, predicted, anchor, entity))
    return labelled


# --- the printout --------------------------------------------------------------------------------


def _cell(tally: Tally) -> str:
    precision, recall = tally.rates()
    return f"{precision:.2f} / {recall:.2f}"


def goal_met(report: Report, system: str, languages: Iterable[str]) -> bool:
    """See the module docstring."""
    for language in languages:
        ours, anchor = report.tallies[(system, language)].rates(), report.tallies[(ANCHOR, language)].rates()
        if min(ours) < GOAL or any(a < b for a, b in zip(ours, anchor, strict=True)):
            return False
    return report.tallies[(system, "all")].f1() > report.tallies[(ANCHOR, "all")].f1()


def _worker_source() -> str:
    """Which checkout's `worker` this run imports, and its commit: the bench runs against other branches."""
    path = Path(worker.__file__).resolve().parent

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True,
                              check=False).stdout.strip()
    dirty = " with uncommitted changes" if git("status", "--porcelain", "--", ".") else ""
    return f"{path} (commit {git('rev-parse', '--short', 'HEAD') or 'unknown'}{dirty})"


def print_report(report: Report, labelled: list[LabelledPage], elapsed: float, out: Path) -> None:
    names = [s for s in (*systems(), ANCHOR)]
    languages = sorted(Counter(p.language for p in labelled).items())
    pairs = Counter(kind for p in labelled for kind in p.classes.values())
    aliases = sum(len(e.aliases()) + len(e.exact) for e in WATCHLIST)
    name_languages = sorted({lang for e in WATCHLIST for lang in e.names})
    print(f"multilingual: {len(labelled)} pages in {len(languages)} languages "
          f"({', '.join(f'{lang} {n}' for lang, n in languages)}); one watchlist of {len(WATCHLIST)} "
          f"entities, {aliases} names in {len(name_languages)} languages; {sum(pairs.values())} expected "
          f"(page, entity) pairs: " + ", ".join(f"{pairs[c]} {c}" for c in CLASSES))
    print(f"multilingual: worker from {_worker_source()}; {elapsed:.1f} s")
    aside = sorted(f"{p.page.name} {e}" for p in labelled for e in p.set_aside)
    print(f"precision / recall by language ({len(aside)} false alerts only knowledge of the world could "
          f"avoid set aside: {', '.join(aside)}):")
    print(f"  {'lang':<5}{'pairs':>6}  " + "".join(f"{n:<24}" for n in names))
    counts = Counter({p.language: 0 for p in labelled})
    counts.update(p.language for p in labelled for _ in p.classes)
    for language, count in [*sorted(counts.items()), ("all", sum(counts.values()))]:
        print(f"  {language:<5}{count:>6}  " + "".join(f"{_cell(report.tallies[(n, language)]):<24}"
                                                        for n in names))
    print("raw labels, all pages:")
    for name in names:
        print("  " + report.raw[name].line(name))
    print("recall by class:")
    for kind in CLASSES:
        cells = "".join(f"{report.by_class[(n, kind)].rates()[1]:<24.2f}" for n in names
                        if (n, kind) in report.by_class)
        print(f"  {kind + f' ({pairs[kind]})':<26}{cells}")
    print("misses with a form of the name in the product's text (the matcher's) / without (extraction's):")
    print("  " + "; ".join(f"{n} {report.lost[(n, True)]} / {report.lost[(n, False)]}" for n in systems()))
    print(f"disagreements: {out}")
    for system in systems():
        met = goal_met(report, system, counts)
        print(f"goal (precision and recall >= {GOAL} in every language, above the plain search): "
              f"{'met' if met else 'not met'}  [{system}]")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", help=f"the pages (default ../shared/corpus/multilingual-pages, "
                                         f"or ${CORPUS_ENV})")
    state = Path(os.environ.get("NEWSWATCH_STATE_DIR", ROOT / ".state"))
    parser.add_argument("--out", type=Path, default=state / "bench-quality-multilingual-disagreements.txt",
                        help="where every disagreement is written with its evidence")
    args = parser.parse_args(argv)
    pages = load(corpus_dir(args.corpus, "multilingual-pages", CORPUS_ENV,
                            "real pages in 13 languages (NAME.html and/or a reference NAME.txt)"))
    started = time.perf_counter()
    report = Report()
    labelled = run(pages, report)
    elapsed = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(report.lines), encoding="utf-8")
    print_report(report, labelled, elapsed, args.out)


if __name__ == "__main__":
    main()
