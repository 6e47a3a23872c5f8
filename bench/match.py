"""Articles per second of the full matcher against flashtext, flashtext2, ahocorasick-rs and a regex.

    .venv/bin/python bench/match.py [--articles 2000] [--sizes 1000,10000,100000]

Everything is generated here, deterministically: watchlists of 1k, 10k and
100k entities (names of made-up words, aliases, case-sensitive acronyms,
exclusions; each size holds the smaller ones), and a corpus of articles of
about 4.5 kB built from a small English function-word list, made-up words,
typographic quotes and accents, with entity names and event triggers
injected from the first 1k entities, so every size sees the same hits and
only the watchlist grows. The event types are the example config's.

"matcher" is the full matcher: what the match stage pays for an article it
writes to the matches topic, with entities, event types, keywords and routes
decided and every record built (mention spans and snippets, evidence
sentences). "decide" is the same without the records, which is what an
article that fires no route costs. "automaton" is the floor under both:
folding the text and walking the daachorse automaton over it, nothing else. flashtext and the regex
only find the aliases, with no normalisation, case rules, exclusions or events.

A row with regex rules adds 1,000 of them to the largest watchlist: 800
aliases and 100 exclusions of 900 more entities and 100 keywords of one more
route, in the shapes ops write (a watched name with any separator, a product code,
a name before an organisation word, an identifier like CVE-2024-12345), made
of the words of the entities the articles name, so some of them match. It
stands beside the row without them, whose rate it must keep at least half of.

A last row runs the same measures on real text in many scripts: the
multilingual development corpus (../shared/corpus/multilingual-pages, read by
path here; NEWSWATCH_MULTILINGUAL_PAGES=DIR points elsewhere): its reference
bodies in Arabic, Bengali, Burmese, Chinese, Hindi, Japanese, Korean,
Latvian, Nepali, Spanish and Thai, and its German and French pages through
the extract stage, each article with its language. Its watchlist is the
largest size's plus every country's name in each of those languages and in
the inflecting ones (German, Russian, Polish...), as aliases of their
language, so Han sequences, Arabic prefixes, Korean particles and
inflection all run.

The process is pinned to one core and rates are articles per second of CPU
time, so other work on a shared machine does not count against a run; the
matcher and the keyword extractors run the corpus three times and keep their
best run.
The regex is too slow to run the corpus at 10k and 100k entities: it runs
the articles that fit in a time budget, and its rate is measured on those
(the output says how many).

Where the time goes at 100k entities (7 December, three alternated runs of
600 articles, before and after the scan loop refused case-sensitive hits
inline and keep() stopped calling per one-span cluster): the automaton's
walk 61 to 72 us an article; at load 3 to 4, decide 208 to 227 us (243, 227,
245 before), the full matcher 397 to 421 us (432 to 442), flashtext2 151 to
177 us, matcher/flashtext2 0.38 to 0.42 (0.35 to 0.37); again at load 1 to 2
on the main of that hour, decide 214 to 233 us (234 to 244), the full matcher
388 to 432 us (387 to 409): deciding gains some 6%, the full matcher's gain
is within the noise (matcher/flashtext2 0.35 to 0.40 against 0.36 to 0.41).
Records are half the full matcher: an article names some 20 entities, each
a pydantic record with a mention record, about 1.4 us each whether validated
from dicts or made without validation (57 against 50 us for 40 records), so
validation stays; its snippets cost about 2 us each.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ahocorasick_rs
import flashtext2
from flashtext import KeywordProcessor

from worker.config import load_config
from worker.config.models import Config, Entity, Pattern, Route, Terms, Watchlist, When, phrases
from worker.explain import article_from_html, article_from_text
from worker.folding import fold
from worker.match.matcher import Matcher
from worker.records import Article

SEED = 20161216
ONSETS = ("b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "sh",
          "st", "t", "tr", "v", "z")
NUCLEI = ("a", "e", "i", "o", "u", "ai", "ou", "ei")
CODAS = ("", "", "", "n", "r", "l", "s", "m", "k", "x")
FUNCTION_WORDS = (
    "the of and to in a is that for on with as was by at from it he she they his her their said "
    "has have had were be been are not but or an this which who after before over under into than "
    "more most its also would could will may us we our them when where while about against between "
    "during since until because officials week report reports government ministry city region "
    "people told statement spokesman analysts according later early new year years").split()
ORGANISATION_WORDS = ("Group", "Holdings", "Bank", "Energy", "Airlines", "Motors", "Capital", "Partners",
                      "Pharma", "Telecom", "Mining", "Shipping", "Foods", "Insurance", "Logistics", "Systems",
                      "Industries", "Media", "Labs", "Resources", "Brigade", "Front", "Movement", "Party",
                      "Council", "Authority", "Agency", "Ministry", "Institute", "Foundation")
QUOTES = ("\u201c{}\u201d", "{}\u2019s", "\u2018{}\u2019", "{} \u2013 {}")
COLUMNS = (("entities", 9, ",d"), ("phrases", 8, ",d"), ("build s", 8, ".1f"),
           ("automaton art/s", 16, ",.0f"), ("decide art/s", 13, ",.0f"), ("matcher art/s", 14, ",.0f"),
           ("flashtext art/s", 16, ",.0f"), ("flashtext2 art/s", 17, ",.0f"), ("aho-rs art/s", 13, ",.0f"),
           ("regex art/s", 12, ",.1f"), ("matcher/flashtext", 18, ".2f"), ("matcher/flashtext2", 19, ".2f"),
           ("decide/flashtext2", 18, ".2f"), ("matcher/regex", 14, ".1f"))
REGEX_RULES = 1000  # beside the largest watchlist
REGEX_BUDGET = 8.0  # seconds of regex matching per size at most
MULTILINGUAL = Path(os.environ.get("NEWSWATCH_MULTILINGUAL_PAGES", Path(__file__).resolve().parents[2]
                                   / "shared" / "corpus" / "multilingual-pages"))
BODY_LANGUAGES = {"arabic": "ar", "bengali": "bn", "burmese": "my", "chinese": "zh", "hindi": "hi",
                  "japanese": "ja", "korean": "ko", "latvian": "lv", "nepali": "ne", "spanish": "es",
                  "thai": "th"}
PAGE_LANGUAGES = {".de.": "de", ".at.": "de", ".fr.": "fr"}
# The languages whose country names the multilingual watchlist holds: the corpus's and inflecting ones.
COUNTRY_LANGUAGES = (*sorted(set(BODY_LANGUAGES.values())), "de", "fr", "ru", "uk", "pl", "cs", "fi", "tr",
                     "sv", "hu", "lt", "he", "fa")


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    chars: int


def made_up_word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS) for _ in range(syllables))


class Names:
    """Pools of made-up words that watchlist names are built from, the way real ones are.

    Real watchlists reuse given names, surnames, place names and a few words
    such as "Bank" or "Front", so their names share words and prefixes; names of
    wholly random letters would make a trie of a size no real list has.
    """

    def __init__(self, rng: random.Random) -> None:
        self.given = [made_up_word(rng, 2).capitalize() for _ in range(3000)]
        self.surnames = [made_up_word(rng, rng.randint(2, 3)).capitalize() for _ in range(40000)]
        self.places = [made_up_word(rng, rng.randint(2, 3)).capitalize() for _ in range(30000)]


def watchlist(size: int) -> list[Entity]:
    """`size` entities: people, organisations, places; the first n of a larger list are the list of n."""
    rng = random.Random(SEED)
    pool = Names(rng)
    entities: list[Entity] = []
    names: set[str] = set()
    while len(entities) < size:
        entity = _entity(rng, pool, f"e{len(entities)}")
        if entity.name.lower() not in names:
            names.add(entity.name.lower())
            entities.append(entity)
    return entities


def _entity(rng: random.Random, pool: Names, entity_id: str) -> Entity:
    kind = rng.choices(("person", "organisation", "place"), (40, 35, 25))[0]
    if kind == "person":
        given, surname = rng.choice(pool.given), rng.choice(pool.surnames)
        aliases = [f"{given[0]}. {surname}"] + ([surname] if rng.random() < 0.2 else [])
        return Entity(id=entity_id, name=f"{given} {surname}", kind=kind, aliases=aliases)
    if kind == "organisation":
        words = [rng.choice(pool.surnames if rng.random() < 0.6 else pool.places)]
        words += [rng.choice(ORGANISATION_WORDS) for _ in range(rng.randint(1, 2))]
        acronym = "".join(w[0] for w in words) + rng.choice(ONSETS)[0]
        return Entity(id=entity_id, name=" ".join(words), kind=kind,
                      case_sensitive_aliases=[acronym.upper()] if rng.random() < 0.4 else [])
    place = rng.choice(pool.places)
    aliases = [f"al-{place}"] if rng.random() < 0.2 else []
    exclusions = [f"{place} {rng.choice(ORGANISATION_WORDS)}"] if rng.random() < 0.1 else []
    return Entity(id=entity_id, name=place, kind=kind, aliases=aliases, exclusions=exclusions)


def bench_config(size: int, base: Config) -> Config:
    entities = watchlist(size)
    lists = [Watchlist(id=f"w{i}", name=f"List {i}", entities=entities[i:i + 1000])
             for i in range(0, size, 1000)]
    rng = random.Random(SEED + 1)
    events = [e.id for e in base.event_types]
    routes = [Route(id=f"r{i}", to=["console"], when=When(
        entities=Terms(any=[f"e{rng.randrange(1000)}" for _ in range(20)]),
        event_types=Terms(any=rng.sample(events, 3)), keywords=Terms(none=["opinion"])))
        for i in range(20)]
    return Config(settings=base.settings, watchlists=lists, event_types=base.event_types, routes=routes,
                  destinations=base.destinations)


def with_regexes(config: Config, count: int) -> Config:
    """`config` and `count` regex rules: 80% aliases, 10% exclusions, 10% route keywords."""
    rng = random.Random(SEED + 3)
    names = [e.name.split() for e in watchlist(1000)]
    words = [w for name in names for w in name if w.isalpha()]
    pairs = [name[:2] for name in names if len(name) > 1]
    shapes = (r"\b{a}\W+{b}\b", r"\b{a}[- ]?\d{{2,5}}\b", r"\b{a}(?:'s|s)?\s+(?:{o}|{p})\b",
              r"\b(?:{a}|{b})\s+(?:said|told|reported)\b")

    def pattern(shape: str) -> Pattern:
        a, b = rng.choice(pairs) if shape == shapes[0] else (rng.choice(words), rng.choice(words))
        return Pattern(regex=shape.format(a=a, b=b,
                                          o=rng.choice(ORGANISATION_WORDS), p=rng.choice(ORGANISATION_WORDS)))

    aliases, exclusions = count * 8 // 10, count // 10
    entities = [Entity(id=f"rx{i}", name=f"Regex rule {i}", aliases=[pattern(rng.choice(shapes))],
                       exclusions=[pattern(shapes[3])] if i < exclusions else [])
                for i in range(aliases)]
    keywords = [pattern(r"\b{a}-\d{{4}}-\d{{4,}}\b" if i % 2 else rng.choice(shapes))
                for i in range(count - aliases - exclusions)]
    route = Route(id="regex-keywords", to=["console"], when=When(keywords={"any": keywords}))
    return config.model_copy(update={
        "watchlists": [*config.watchlists, Watchlist(id="regex", name="Regex rules", entities=entities)],
        "routes": [*config.routes, route]})


def corpus(count: int, base: Config) -> Corpus:
    rng = random.Random(SEED + 2)
    entities = watchlist(1000)
    triggers = [t for e in base.event_types for t in e.triggers]
    vocabulary = list(FUNCTION_WORDS) * 6 + [made_up_word(rng, rng.randint(1, 3)) for _ in range(4000)]
    accented = [w.replace("o", "\u00f6", 1).replace("a", "\u00e1", 1) for w in vocabulary[-200:]]
    articles = []
    for n in range(count):
        paragraphs, size = [], 0
        while size < 4400:
            sentences = (_sentence(rng, vocabulary, accented, entities, triggers)
                         for _ in range(rng.randint(3, 5)))
            paragraphs.append(" ".join(sentences))
            size += len(paragraphs[-1]) + 1
        title = _sentence(rng, vocabulary, accented, entities, triggers).rstrip(".")
        articles.append(Article(id=f"a{n}", feed_id="bench", url=f"https://bench.invalid/{n}",
                                link=f"https://bench.invalid/{n}", title=title, text="\n".join(paragraphs),
                                source="page", first_seen=datetime.now(UTC)))
    return Corpus(articles, sum(len(a.title) + len(a.text) for a in articles))


def _sentence(rng: random.Random, vocabulary: Sequence[str], accented: Sequence[str],
              entities: Sequence[Entity], triggers: Sequence[str]) -> str:
    words = [rng.choice(vocabulary) for _ in range(rng.randint(10, 26))]
    if rng.random() < 0.45:
        entity = rng.choice(entities)
        names = [entity.name, *phrases(entity.aliases), *entity.case_sensitive_aliases]
        words[rng.randrange(len(words))] = rng.choice(names)
    if rng.random() < 0.12:
        words[rng.randrange(len(words))] = rng.choice(triggers)
    if rng.random() < 0.1:
        words[rng.randrange(len(words))] = rng.choice(accented)
    if rng.random() < 0.25:
        at = rng.randrange(len(words) - 1)
        words[at] = rng.choice(QUOTES).format(words[at], words[at + 1])
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?")


def rate(run: Callable[[Article], object], articles: Sequence[Article], repeats: int = 3,
         budget: float | None = None) -> tuple[float, int]:
    """Best articles per second over `repeats` runs, and how many articles a run covered."""
    best = 0.0
    done = 0
    for _ in range(repeats):
        started = time.process_time()
        done = 0
        for article in articles:
            run(article)
            done += 1
            if budget is not None and time.process_time() - started > budget:
                break
        best = max(best, done / (time.process_time() - started))
    return best, done


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    base = load_config(Path(__file__).resolve().parent.parent / "config")
    texts = corpus(args.articles, base)
    print(f"corpus: {len(texts.articles)} articles, {texts.chars / len(texts.articles) / 1000:.2f} kB "
          f"on average; one core, articles per CPU second, best of 3 runs "
          f"(regex: at most {REGEX_BUDGET:.0f} s of matching)\n")
    print(" ".join(f"{name:>{width}}" for name, width, _ in COLUMNS))
    ratios: dict[int, float] = {}
    ratios2: dict[int, float] = {}  # matcher/flashtext2
    without: tuple[float, float] = (0.0, 0.0)  # the largest size's decide and matcher rates
    notes = []
    for size in (int(s) for s in args.sizes.split(",")):
        config = bench_config(size, base)
        started = time.perf_counter()
        matcher = Matcher.build(config)
        built = time.perf_counter() - started
        walk_rate, _ = rate(functools.partial(_walk, matcher), texts.articles)
        decide_rate, _ = rate(matcher.match, texts.articles)
        matcher_rate, _ = rate(functools.partial(_full, matcher), texts.articles)
        aliases = [p for w in config.watchlists for e in w.entities
                   for p in (e.name, *phrases(e.aliases), *e.case_sensitive_aliases)]
        flash_rate, flash2_rate, rust_rate = baselines(aliases, texts.articles)
        started = time.perf_counter()
        pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, aliases), key=len, reverse=True))
                             + r")\b", re.IGNORECASE)
        compiled = time.perf_counter() - started
        regex_rate, covered = rate(functools.partial(_regex, pattern), texts.articles, repeats=1,
                                   budget=REGEX_BUDGET)
        ratios[size] = matcher_rate / flash_rate
        without = (decide_rate, matcher_rate)
        row = (size, matcher.automaton.size, built, walk_rate, decide_rate, matcher_rate, flash_rate,
               flash2_rate, rust_rate, regex_rate, ratios[size], matcher_rate / flash2_rate,
               decide_rate / flash2_rate, matcher_rate / regex_rate)
        ratios2[size] = matcher_rate / flash2_rate
        cells = zip(row, COLUMNS, strict=True)
        print(" ".join(f"{value:>{width}{spec}}" for value, (_, width, spec) in cells), flush=True)
        notes.append(f"{size:,} entities: regex compiled in {compiled:.1f} s and timed on {covered} "
                     f"article(s)")
    print("\n" + "\n".join(notes))
    largest = max(ratios)
    print(f"matcher/flashtext ratio at {_short(largest)}: {ratios[largest]:.2f}; "
          f"matcher/flashtext2: {ratios2[largest]:.2f}")
    _regex_rules(base, largest, texts, without)
    if MULTILINGUAL.is_dir():
        _multilingual(base, largest)
    else:
        print(f"\nno multilingual row: {MULTILINGUAL} is not there (set NEWSWATCH_MULTILINGUAL_PAGES)")
    return 0


def _regex_rules(base: Config, size: int, texts: Corpus, without: tuple[float, float]) -> None:
    config = with_regexes(bench_config(size, base), REGEX_RULES)
    started = time.perf_counter()
    matcher = Matcher.build(config)
    built = time.perf_counter() - started
    decide_rate, _ = rate(matcher.match, texts.articles)
    matcher_rate, _ = rate(functools.partial(_full, matcher), texts.articles)
    found = [matcher.match(a) for a in texts.articles]
    by_regex = sum(1 for r in found for e in r.entities for m in e.mentions
                   if (m.rule or "").startswith("regex"))
    keywords = sum(1 for r in found for k in r.keywords if k.keyword.startswith("/"))
    print(f"\nregex rules: {REGEX_RULES:,} ({matcher.patterns.size:,} distinct patterns) beside {size:,} "
          f"entities, {built:.1f} s to build; in the corpus they found {by_regex:,} mentions and "
          f"{keywords:,} keywords")
    print(f"{'':>24} {'decide art/s':>13} {'matcher art/s':>14}")
    print(f"{'without regex rules':>24} {without[0]:>13,.0f} {without[1]:>14,.0f}")
    print(f"{f'with {REGEX_RULES:,} regex rules':>24} {decide_rate:>13,.0f} {matcher_rate:>14,.0f}")
    print(f"with/without: decide {decide_rate / without[0]:.2f}, matcher {matcher_rate / without[1]:.2f} "
          f"(at least 0.50)")


def multilingual_articles(base: Config) -> list[Article]:
    """The corpus's reference bodies and its German and French pages, each with its language."""
    articles = []
    for path in sorted(MULTILINGUAL.glob("*.txt")):
        language = BODY_LANGUAGES[path.stem.split("_")[0]]
        article = article_from_text(path.read_text(encoding="utf-8"), path.as_uri())
        articles.append(article.model_copy(update={"language": language}))
    for path in sorted(MULTILINGUAL.glob("*.html")):
        declared = next((code for mark, code in PAGE_LANGUAGES.items() if mark in path.name), None)
        if declared is not None:
            article = article_from_html(path.read_bytes(), path.as_uri(), None, base.settings)
            articles.append(article.model_copy(update={"language": declared}))
    return articles


def country_entities() -> list[Entity]:
    """Every country, named in English, with its names in `COUNTRY_LANGUAGES` as aliases of each."""
    from babel import Locale  # noqa: PLC0415 - only this row needs it

    english = Locale("en").territories
    names = {language: Locale.parse(language).territories for language in COUNTRY_LANGUAGES}
    return [Entity(id=f"country-{code.lower()}", name=english[code], kind="place",
                   aliases_by_language={language: [table[code]] for language, table in names.items()
                                        if code in table})
            for code in sorted(english) if len(code) == 2 and code.isalpha()]


def _multilingual(base: Config, size: int) -> None:
    articles = multilingual_articles(base)
    config = bench_config(size, base)
    countries = country_entities()
    config = config.model_copy(update={"watchlists": [
        *config.watchlists, Watchlist(id="countries", name="Countries", entities=countries)]})
    started = time.perf_counter()
    matcher = Matcher.build(config)
    built = time.perf_counter() - started
    repeated = articles * max(1, 400 // len(articles))
    walk_rate, _ = rate(functools.partial(_walk, matcher), repeated)
    decide_rate, _ = rate(matcher.match, repeated)
    matcher_rate, _ = rate(functools.partial(_full, matcher), repeated)
    aliases = [p for w in config.watchlists for e in w.entities
               for p in (e.name, *phrases(e.aliases), *e.case_sensitive_aliases,
                         *(a for names in e.aliases_by_language.values() for a in names))]
    flash_rate, flash2_rate, rust_rate = baselines(aliases, repeated)
    languages = sorted({a.language or "?" for a in articles})
    chars = sum(len(a.title) + len(a.text) for a in articles) / len(articles)
    print(f"\nmultilingual corpus: {len(articles)} articles in {len(languages)} languages "
          f"({', '.join(languages)}), {chars / 1000:.2f} kB on average; watchlist: {size:,} entities and "
          f"{len(countries)} countries named in {len(COUNTRY_LANGUAGES)} languages")
    columns = [c for c in COLUMNS if c[0] not in ("regex art/s", "matcher/regex")]
    print(" ".join(f"{name:>{width}}" for name, width, _ in columns))
    row = (size + len(countries), matcher.automaton.size, built, walk_rate, decide_rate, matcher_rate,
           flash_rate, flash2_rate, rust_rate, matcher_rate / flash_rate, matcher_rate / flash2_rate,
           decide_rate / flash2_rate)
    print(" ".join(f"{value:>{width}{spec}}" for value, (_, width, spec) in zip(row, columns, strict=True)))
    found = [matcher.match(a) for a in articles]
    rules = Counter(m.rule or "as written" for r in found for e in r.entities for m in e.mentions)
    print("mentions by rule: " + ", ".join(f"{rule} {n}" for rule, n in rules.most_common()))


def baselines(aliases: Sequence[str], articles: Sequence[Article]) -> tuple[float, float, float]:
    """The articles per second of flashtext, flashtext2 and ahocorasick-rs finding `aliases`."""
    flash = KeywordProcessor()
    flash.add_keywords_from_list(list(aliases))
    flash2 = flashtext2.KeywordProcessor(case_sensitive=False)
    flash2.add_keywords_from_iter(aliases)
    rust = ahocorasick_rs.AhoCorasick(sorted({a.lower() for a in aliases}))
    return (rate(functools.partial(_flashtext, flash), articles)[0],
            rate(functools.partial(_flashtext2, flash2), articles)[0],
            rate(functools.partial(_ahocorasick_rs, rust), articles)[0])


def _full(matcher: Matcher, article: Article) -> None:
    result = matcher.match(article)
    result.entities, result.events, result.keywords  # noqa: B018 - building the records is the point


def _walk(matcher: Matcher, article: Article) -> None:
    """The automaton's walk over the folded title and body alone: the floor under the matcher."""
    for text in (article.title, article.text):
        matcher.automaton.walk(fold(text))


def _flashtext(processor: KeywordProcessor, article: Article) -> None:
    processor.extract_keywords(f"{article.title}\n{article.text}", span_info=True)


def _flashtext2(processor: flashtext2.KeywordProcessor, article: Article) -> None:
    processor.extract_keywords_with_span(f"{article.title}\n{article.text}")


def _ahocorasick_rs(automaton: ahocorasick_rs.AhoCorasick, article: Article) -> None:
    automaton.find_matches_as_indexes(f"{article.title}\n{article.text}".lower())


def _regex(pattern: re.Pattern[str], article: Article) -> None:
    list(pattern.finditer(f"{article.title}\n{article.text}"))


def _short(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


if __name__ == "__main__":
    sys.exit(main())
