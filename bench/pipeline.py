"""The whole pipeline, feeds to delivered alerts, against trafilatura alone; and alert latency.

    python -m bench.pipeline [--pages N] [--samples N]      (make bench-pipeline; needs `make up`)
    python -m bench.pipeline --metrics-overhead            (make bench-metrics)
    python -m bench.pipeline --profile [--py-spy FILE]     (make profile-pipeline)

A local site serves the extract benchmark's generated news pages through
several RSS feeds; `newswatch run` (every stage, one process, as `make run`
starts it) polls them, extracts, matches (a watchlist of the pages' cities,
so every page alerts), dedups and posts a signed webhook to a local receiver.

Throughput: pages per second from the first poll that lists the pages to the
last alert at the receiver, against trafilatura's extraction of the same
pages on as many processes as the extract stage uses, measured in the same
run, in turn for a few rounds (medians), so load from elsewhere on the
machine weighs on both alike. Latency: pages published one at a time; from
the moment an entry appears in its feed to its alert's arrival. Feeds are
polled every `--interval` seconds (adaptive polling off), so the goal is
p95 <= interval + 2 s.

With --metrics-overhead the throughput run is repeated with the metrics
server on (scraped every second, as Prometheus would) and off, alternately.

With --profile, throughput rounds of the pipeline alone, each with the CPU
the worker process spent per page: its main process (every stage's loop,
Kafka and Redis clients, page fetches) apart from its extraction workers,
and before it the main process's CPU a second over 10 s with no new page
(feeds polled, consumers waiting), which every page's figure also carries;
with --py-spy FILE, py-spy samples the main process meanwhile and its
summary follows each round (see bench/profiling.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from bench.extract import Baseline
from bench.profiling import PySpy, cpu_by_thread, cpu_times, thread_times
from tests.kit.config import write_config
from tests.kit.http import LocalServer
from tests.kit.pages import Page, pages
from tests.kit.process import WorkerProcess, free_port
from tests.kit.receiver import Receiver
from tests.kit.site import NewsSite
from tests.kit.waiting import wait_until
from worker.adaptations import install
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import load_config

FEEDS = 8
SHOWN = 400  # items a feed shows, newest first: a batch must fit, or its oldest pages never appear
WARM = 8  # pages run through first, so every stage has started and joined its group
IDLE = 10.0  # seconds --profile watches the warmed-up worker with no new page: its CPU while idle
T = TypeVar("T")
SECRET = "whsec_" + "cGlwZWxpbmUtYmVuY2gta2V5LTAxMjM0NTY3"


class Site:
    """Feeds whose items the benchmark publishes, the pages behind them, and the alert receiver."""

    def __init__(self) -> None:
        self.news = NewsSite(LocalServer(), FEEDS, SHOWN)
        self.receiver = Receiver(self.news.server, secret=SECRET)

    def publish(self, batch: Sequence[Page]) -> float:
        return self.news.publish(batch)

    def alerts(self) -> dict[str, float]:
        """Page path -> arrival of its first alert (time.monotonic())."""
        return {path: times[0] for path, times in self.receiver.by_article().items()}

    def wait_alerts(self, paths: set[str], timeout: float) -> None:
        def missing() -> int:
            return len(paths - self.alerts().keys())
        wait_until(lambda: missing() == 0, f"{len(paths)} alerts", timeout=timeout, step=0.05,
                   show=lambda: f"{missing()} did not arrive")

    def close(self) -> None:
        self.news.server.close()


class Worker:
    """`newswatch run` on the benchmark's config, in a process of its own."""

    def __init__(self, site: Site, warm: Sequence[Page], interval: float, metrics_port: int) -> None:
        self.site = site
        self.folder = Path(tempfile.mkdtemp(prefix="nw-bench-"))
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        settings = {
            "kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-"},
            "redis": {"key_prefix": f"{prefix}:"},
            "http": {"allow_private_hosts": ["127.0.0.1"]},
            "fetch": {"adaptive": False, "min_interval": interval, "jitter": 0.2, "host_interval": None},
            "metrics": {"port": metrics_port},
            "logging": {"format": "json", "level": "WARNING"},
        }
        # the starter taxonomy too, so the matcher does the work it does in production
        config = site.news.config(site.receiver.url, "BENCH_WEBHOOK_SECRET", interval, settings)
        write_config(self.folder, config, examples=["event_types.yaml"], name="bench.yaml")
        self.process = WorkerProcess(self.folder, env={**os.environ, "BENCH_WEBHOOK_SECRET": SECRET})
        self.scraper = Scraper(metrics_port) if metrics_port else None
        try:
            site.publish(warm)
            site.wait_alerts({p.path for p in warm}, timeout=120)  # every stage started, groups joined
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.scraper:
            self.scraper.stop.set()
        try:
            self.process.stop()
        finally:
            config = load_config(self.folder, environ={"BENCH_WEBHOOK_SECRET": SECRET})
            Kafka(config.settings.kafka).delete_topics()
            # dedup's keys live for days: left, they pile up (millions) and slow every SCAN after
            Redis(config.settings.redis).delete_prefix()


class Scraper:
    """What Prometheus does to a worker: read /metrics every second."""

    def __init__(self, port: int) -> None:
        import urllib.request

        self.stop = threading.Event()

        def scrape() -> None:
            while not self.stop.wait(1.0):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:  # noqa: S310
                        r.read()
                except OSError:
                    pass

        threading.Thread(target=scrape, daemon=True).start()


def throughput(site: Site, batch: Sequence[Page]) -> float:
    site.publish(batch)
    paths = {p.path for p in batch}
    site.wait_alerts(paths, timeout=900)
    alerts = site.alerts()
    with site.news.lock:
        start = min(site.news.appeared[p] for p in paths)
    end = max(alerts[p] for p in paths)
    return len(batch) / (end - start)


def latency(site: Site, batch: Sequence[Page]) -> list[float]:
    published = {}
    for page in batch:
        published[page.path] = site.publish([page])
        time.sleep(0.4)
    site.wait_alerts(set(published), timeout=300)
    alerts = site.alerts()
    return [alerts[path] - at for path, at in published.items()]


def profiled(site: Site, worker: Worker, batch: Sequence[Page], spy: Path | None) -> float:
    """`throughput`, printing the worker's CPU per page over it (and py-spy's summary with `spy`)."""
    pid = worker.process.process.pid
    before = cpu_times(pid)
    time.sleep(IDLE)
    idle = 1000 * (cpu_times(pid) - before).own / IDLE
    sampler = PySpy(pid, spy) if spy else None
    before, threads_before = cpu_times(pid), thread_times(pid)
    rate = throughput(site, batch)
    spent, threads = cpu_times(pid) - before, thread_times(pid)
    samples = sampler.stop() if sampler else None
    own, children = (1000 * t / len(batch) for t in (spent.own, spent.children))
    print(f"pipeline {rate:6.1f} pages/s; CPU per page: main process {own:5.2f} ms, "
          f"extraction workers {children:5.2f} ms; idle before: main process {idle:4.1f} ms a second",
          flush=True)
    if samples is not None and spy is not None:
        deltas = {tid: seconds - threads_before.get(tid, 0.0) for tid, seconds in threads.items()}
        by_thread = list(cpu_by_thread(deltas, samples.threads).items())[:15]
        print("CPU by thread, ms per page:",
              *[f"  {1000 * seconds / len(batch):5.2f}  {name}" for name, seconds in by_thread], sep="\n")
        print(samples.report(), f"\n(collapsed stacks in {spy})", flush=True)
    return own


def run(corpus: Sequence[Page], warm: Sequence[Page], interval: float, metrics: bool,
        measure: Callable[[Site, Worker], T]) -> T:
    """A fresh site and a fresh worker (own topics, own Redis keys), warmed up, measured, stopped."""
    site = Site()
    try:
        worker = Worker(site, warm, interval, metrics_port=free_port() if metrics else 0)
        try:
            return measure(site, worker)
        finally:
            worker.close()
    finally:
        site.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000,
                        help="pages in the throughput run; enough that the pipeline's fill time is small")
    parser.add_argument("--samples", type=int, default=20, help="pages published one by one for latency")
    parser.add_argument("--interval", type=float, default=2.0, help="feed poll interval in seconds")
    parser.add_argument("--metrics-overhead", action="store_true", help="metrics on against off instead")
    parser.add_argument("--profile", action="store_true",
                        help="the pipeline alone, with the worker's CPU per page, instead")
    parser.add_argument("--py-spy", type=Path, metavar="FILE",
                        help="with --profile: sample the worker with py-spy, collapsed stacks into FILE")
    parser.add_argument("--rounds", type=int,
                        help="rounds, each mode in turn (default: 3; 5 with --metrics-overhead)")
    args = parser.parse_args(argv)
    install()  # the clients' adaptations, as `newswatch run` installs them
    corpus = pages(WARM + args.pages + args.samples)
    warm, measured, samples = corpus[:WARM], corpus[WARM:WARM + args.pages], corpus[WARM + args.pages:]
    processes = os.cpu_count() or 1
    print(f"pages: {args.pages}, {sum(len(p.html) for p in measured) // len(measured) // 1024} kB of HTML "
          f"on average, {FEEDS} feeds polled every {args.interval:g} s; {processes} extraction processes",
          flush=True)

    def alone(site: Site, _: Worker) -> float:
        return throughput(site, measured)

    def both(site: Site, _: Worker) -> tuple[float, list[float]]:
        return throughput(site, measured), latency(site, samples)

    if args.profile:
        spent = [run(measured, warm, args.interval, True, lambda s, w: profiled(s, w, measured, args.py_spy))
                 for _ in range(args.rounds or 3)]
        print(f"median main-process CPU per page: {statistics.median(spent):.2f} ms")
        return
    if args.metrics_overhead:
        rates: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(args.rounds or 5):
            for on in (True, False):
                rates[on].append(run(measured, warm, args.interval, on, alone))
                print(f"metrics {'on ' if on else 'off'}: {rates[on][-1]:7.1f} pages/s", flush=True)
        print(f"metrics on/off ratio: {statistics.median(rates[True]) / statistics.median(rates[False]):.2f}")
        return

    bases: list[float] = []
    pipeline: list[float] = []
    delays: list[float] = []
    baseline = Baseline(processes, warm)
    try:
        for n in range(1, (args.rounds or 3) + 1):
            bases.append(baseline.rate(measured))
            if n == 1:  # latency once, after the first throughput run, on the same worker
                rate, delays = run([*measured, *samples], warm, args.interval, True, both)
                pipeline.append(rate)
            else:
                pipeline.append(run(measured, warm, args.interval, True, alone))
            print(f"round {n}: trafilatura alone, {processes} processes {bases[-1]:6.1f} pages/s; "
                  f"whole pipeline, feeds to alerts {pipeline[-1]:6.1f} pages/s", flush=True)
    finally:
        baseline.close()
    base, rate = statistics.median(bases), statistics.median(pipeline)
    print(f"median: trafilatura alone {base:.1f} pages/s, whole pipeline {rate:.1f} pages/s")
    print(f"pipeline/trafilatura ratio: {rate / base:.2f}")
    p95 = statistics.quantiles(delays, n=20)[18]
    print(f"(latency goal: p95 <= poll interval + 2 s = {args.interval + 2:g} s)")
    print(f"latency p50: {statistics.median(delays):.2f} s p95: {p95:.2f} s")


if __name__ == "__main__":
    main()
