"""Names' inflected forms against a dictionary: what the matcher takes for a form of a country's name.

    python -m bench.inflection [--words 20000] [--languages pl,cs,...]    (make bench-inflection)

For each language whose names inflect by Snowball stems (`worker.match.inflection`),
every one-word country name CLDR gives in that language (babel) is compared with
each of the language's commonest words (wordfreq) that starts with its first two
letters. The truth is simplemma's dictionary: the word is a form of the name when
its lemma is the name. Those dictionaries are too large for the worker to load
(400 MB for Polish), but an offline measure may.

Two predictors, side by side: `stems`, the word's Snowball stem equal to the
name's (what a plain stemmer match does), and `newswatch`, `inflection.inflects`.
A false positive is a word taken for the name that is another word: "danych" (of
data) for Dania, "pana" (sir) for Panama. The dictionary also counts a country's
adjective ("polski" for Polska, "český" for Česko) as another word, and misses
some forms (Włoch, the genitive of Włochy), so the examples are printed to read.
Croatian's words come from wordfreq's Serbo-Croatian list, and its truth from
simplemma's Serbo-Croatian dictionary, which takes "malih" (small) for Mali's.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import simplemma
from babel import Locale
from wordfreq import top_n_list

from worker.folding import case_key
from worker.match.inflection import NAME_RULES, _stem, inflects

LANGUAGES = ("pl", "cs", "sk", "hu", "ro", "fi", "lt", "el", "hr")
# Croatian's words: wordfreq's Serbo-Croatian list (Latin letters), simplemma's Serbo-Croatian dictionary
DICTIONARIES = {"hr": "hbs", "sr": "hbs", "bs": "hbs"}
WORDS = {"hr": "sh", "sr": "sh", "bs": "sh"}
EXAMPLES = 12


@dataclass
class Score:
    right: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # taken for the name, another word
    missed: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        found = len(self.right) + len(self.wrong)
        precision = len(self.right) / found if found else 1.0
        expected = len(self.right) + len(self.missed)
        recall = len(self.right) / expected if expected else 1.0
        return (f"  {name:<10} precision {precision:.2f} recall {recall:.2f} ({len(self.right)} right, "
                f"{len(self.wrong)} another word, {len(self.missed)} missed)")


def names(language: str) -> list[str]:
    """The language's one-word country names, lower-cased as the matcher compares them."""
    territories = Locale.parse(language).territories.values()
    return sorted({case_key(n).lower() for n in territories if " " not in n and "-" not in n and len(n) > 3})


def measure(language: str, count: int) -> dict[str, Score]:
    by_start: dict[str, list[str]] = defaultdict(list)
    for name in names(language):
        by_start[name[:2]].append(name)
    predictors: dict[str, Callable[[str, str], bool]] = {
        "stems": lambda word, name: _stem(language, word) == _stem(language, name),
        "newswatch": lambda word, name: language in NAME_RULES and inflects(language, word, name),
    }
    scores = {label: Score() for label in predictors}
    for listed in top_n_list(WORDS.get(language, language), count):
        word = listed[:-1] + "ς" if language == "el" and listed.endswith("σ") else listed  # as text writes it
        candidates = [name for name in by_start.get(word[:2], ()) if name != word]
        if not candidates:
            continue
        lemma = simplemma.lemmatize(word.capitalize(), lang=DICTIONARIES.get(language, language)).lower()
        for name in candidates:
            truth, pair = lemma == name, f"{name}>{word}"
            for label, predict in predictors.items():
                said = predict(word, name)
                if said:
                    (scores[label].right if truth else scores[label].wrong).append(pair)
                elif truth:
                    scores[label].missed.append(pair)
    return scores


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20000, help="the commonest words of each language")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    args = parser.parse_args(argv)
    print(f"each language's {args.words:,} commonest words (wordfreq) against its one-word country names "
          f"(CLDR); the truth: simplemma's lemmas")
    ratios = []
    for language in args.languages.split(","):
        scores = measure(language, args.words)
        print(f"{language}:")
        for label, score in scores.items():
            print(score.line(label))
        ours, plain = scores["newswatch"], scores["stems"]
        print(f"    newswatch, another word: {' '.join(ours.wrong[:EXAMPLES]) or '-'}")
        print(f"    newswatch, missed: {' '.join(ours.missed[:EXAMPLES]) or '-'}")
        ratios.append((language, len(ours.wrong) / max(1, len(plain.wrong)),
                       len(ours.right) / max(1, len(plain.right))))
    print("newswatch/stems: " + "; ".join(f"{language} other words {wrong:.2f}, right forms {right:.2f}"
                                          for language, wrong, right in ratios))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
