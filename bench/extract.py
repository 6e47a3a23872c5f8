"""Throughput of the extract stage against trafilatura called directly on the same pages, in one run.

    python -m bench.extract [--pages N]        (make bench-extract; needs `make up`)

Baseline: trafilatura's `bare_extraction` with the stage's own parameters on
pages held in memory, on a multiprocessing pool of as many processes as the
stage uses (the single-process figure is printed for context). It is asked
for what an article carries, the body and the page's metadata, so it runs
trafilatura's whole `extract_metadata`; the stage reads only the fields an
article keeps (`worker.extract.metadata`), and the body-only figure is
printed beside it to show what that saves. Stage: the
real extract ConsumerStage, in a process of its own as in production,
reading Entry records from a fresh topic prefix on the local Kafka, fetching
the pages from a local HTTP server (in this process) through the guarded
client, extracting in its worker pool and producing Article records;
timed from the first entry produced until every article is on the topic,
after a warm-up batch (consumer group joined, workers started). The two
are measured in turn for a few rounds, so that load from elsewhere on the
machine falls on both; the last line is the ratio of the medians, and the
goal is at least 0.8.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from trafilatura import bare_extraction
from trafilatura.settings import Document, set_date_params

from tests.kit.extract import Topics, entry, start_stage
from tests.kit.http import LocalServer
from tests.kit.pages import Page, pages
from worker.adaptations import install
from worker.clients.kafka import Kafka
from worker.config.models import Config, HttpSettings, KafkaSettings, Settings
from worker.extract.extract import DATE_FORMAT, NEWS_OPTIONS
from worker.extract.pool import default_processes

SITE = "https://harbour-herald.example"
WARM_UP = 16


def trafilatura_direct(page: Page, with_metadata: bool = True) -> int:
    """The baseline's unit of work: the stage's extraction parameters, and the page's metadata."""
    date_params = {**set_date_params(True), "outputformat": DATE_FORMAT}
    document = bare_extraction(page.html, url=SITE + page.path, date_extraction_params=date_params,
                               **{**NEWS_OPTIONS, "with_metadata": with_metadata})
    return len(document.text or "") if isinstance(document, Document) else 0


def baseline_single(corpus: Sequence[Page], with_metadata: bool = True) -> float:
    for page in corpus[:WARM_UP]:
        trafilatura_direct(page, with_metadata)
    start = time.perf_counter()
    for page in corpus:
        trafilatura_direct(page, with_metadata)
    return len(corpus) / (time.perf_counter() - start)


class Baseline:
    """trafilatura on a multiprocessing pool of the stage's size, kept warm between rounds."""

    def __init__(self, processes: int, warm_up: Sequence[Page]) -> None:
        self._pool = multiprocessing.get_context("forkserver").Pool(processes)
        self._pool.map(trafilatura_direct, list(warm_up) * processes, chunksize=1)

    def rate(self, corpus: Sequence[Page]) -> float:
        start = time.perf_counter()
        self._pool.map(trafilatura_direct, corpus, chunksize=4)
        return len(corpus) / (time.perf_counter() - start)

    def close(self) -> None:
        self._pool.terminate()


class Stage:
    """The real extract stage in a process of its own (as `newswatch run --stage extract` runs it), fed
    from a local web server and read back by a reader in this process; kept running between rounds."""

    def __init__(self, pages_served: Sequence[Page], kafka_settings: KafkaSettings) -> None:
        self.server = LocalServer()
        for page in pages_served:
            self.server.set(page.path, body=page.html, headers={"Content-Type": "text/html; charset=utf-8"})
        self.kafka = Kafka(kafka_settings, client_id="newswatch-bench")
        self.kafka.ensure_topics()
        self.topics = Topics(self.kafka)
        settings = Settings(kafka=kafka_settings, http=HttpSettings(allow_private_hosts=["localhost"]))
        self._process = start_stage(Config(settings=settings), Path(tempfile.mkdtemp(prefix="nw-bench-")))
        self._round = 0

    def rate(self, corpus: Sequence[Page]) -> float:
        """Pages per second from the first entry produced to the last article on the topic."""
        self._round += 1
        site = f"http://localhost:{self.server.port}"
        entries = [entry(f"{site}{page.path}?round={self._round}", title=page.title) for page in corpus]
        wanted = {e.id for e in entries}
        start = time.perf_counter()
        self.topics.produce(entries)
        articles = self.topics.collect(wanted, timeout=600)
        elapsed = time.perf_counter() - start
        from_page = {a.id for a in articles if a.source == "page"} & wanted
        if from_page != wanted:
            raise SystemExit(f"only {len(from_page)} of {len(entries)} articles came from their page; "
                             "the benchmark measures extraction, so every page must extract")
        return len(corpus) / elapsed

    def close(self) -> None:
        self._process.stop()
        self.topics.close()
        self.server.close()
        self.kafka.delete_topics()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400, help="pages in the measured set (default 400)")
    parser.add_argument("--rounds", type=int, default=5, help="alternate baseline and stage this many times")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    args = parser.parse_args(argv)
    install()  # the clients' adaptations, as `newswatch run` installs them
    processes = default_processes(Settings().extract.processes)
    generated = pages(args.pages + WARM_UP)
    warm_up, corpus = generated[:WARM_UP], generated[WARM_UP:]
    html_kb = statistics.mean(len(p.html) for p in corpus) / 1000
    print(f"pages: {len(corpus)}, {html_kb:.1f} kB of HTML on average; {processes} processes on "
          f"{multiprocessing.cpu_count()} cores; {args.rounds} rounds, baseline and stage in turn")
    print(f"trafilatura, 1 process:        {baseline_single(corpus):6.1f} pages/s (context)")
    print(f"  the same, body only:         {baseline_single(corpus, with_metadata=False):6.1f} pages/s "
          "(context: without trafilatura's metadata)")
    run_id = uuid.uuid4().hex[:8]
    kafka_settings = KafkaSettings(bootstrap=args.bootstrap, topic_prefix=f"bench-{run_id}.",
                                   group_prefix=f"bench-{run_id}-")
    baseline, stage = Baseline(processes, warm_up), Stage(generated, kafka_settings)
    try:
        stage.rate(warm_up)  # joins the consumer group and starts the workers
        base_rates, stage_rates = [], []
        for n in range(1, args.rounds + 1):
            base_rates.append(baseline.rate(corpus))
            stage_rates.append(stage.rate(corpus))
            print(f"round {n}: trafilatura, {processes} processes {base_rates[-1]:6.1f} pages/s; "
                  f"extract stage {stage_rates[-1]:6.1f} pages/s")
    finally:
        baseline.close()
        stage.close()
    base, rate = statistics.median(base_rates), statistics.median(stage_rates)
    print(f"median: trafilatura {base:.1f} pages/s (baseline), extract stage {rate:.1f} pages/s "
          "(Kafka in, HTTP fetch, extraction, Kafka out)")
    print(f"extract/trafilatura ratio: {rate / base:.2f}")


if __name__ == "__main__":
    main()
