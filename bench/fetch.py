"""Feed polls per second of one fetch process, against httpx + feedparser alone, in one run.

    python -m bench.fetch [--feeds N] [--seconds S]      (make bench-fetch; needs `make up`)

A local server holds `--feeds` RSS feeds of 30 items. Each feed answers with
an ETag and gains a new item every fifth request, so most polls are the
conditional GET answered 304 that a busy fetcher mostly sees, and some bring
one new entry. Every feed is due every second, far more than one process
can poll, so the figure is the process's ceiling.

Stage: `newswatch run --stage fetch` in a process of its own, as production
runs it: Redis lease, feed state and seen-set, conditional GET, feedparser,
new entries produced to Kafka and acknowledged. Baseline: the same feeds
polled in this process by as many threads as the stage's `fetch.workers`,
with httpx (conditional GET) and feedparser, and nothing else. Both are
counted at the server over the same length of time, after a warm-up. The
server is local, so a poll costs no network time: in production a poll waits
on the network, which `fetch.workers` polls at once hide.

All feeds are on one host here; `http.per_host_concurrency` is raised to
`fetch.workers` so the per-host limit (2 by default, for politeness to real
sites) does not measure itself.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import httpx

from tests.kit.config import write_config
from tests.kit.http import Answer, LocalServer, Recorded
from tests.kit.process import WorkerProcess
from tests.kit.waiting import wait_until
from worker.adaptations import install
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import load_config

ITEMS = 30
NEW_EVERY = 5  # requests of a feed between two new items
WORKERS = 16


class Feeds:
    """Feeds that grow by one item every few requests, with an ETag per version."""

    def __init__(self, count: int) -> None:
        self.server = LocalServer()
        self.count = count
        self.lock = threading.Lock()
        self.requests = [0] * count
        self.paths = [f"/feed/{i}.xml" for i in range(count)]
        for i, path in enumerate(self.paths):
            self.server.set(path, self._answer(i))

    def served(self) -> int:
        with self.lock:
            return sum(self.requests)

    def _answer(self, feed: int) -> Callable[[Recorded], Answer]:
        def answer(rec: Recorded) -> Answer:
            with self.lock:
                self.requests[feed] += 1
                version = self.requests[feed] // NEW_EVERY
            base = self.server.url("")
            items = "".join(
                f"<item><title>Harbour notice {feed}-{n}</title><link>{base}/story/{feed}/{n}</link>"
                f"<guid>story-{feed}-{n}</guid><description>Dock {n} of port {feed} reopens after "
                f"repairs to the quay and the cranes.</description></item>"
                for n in range(version + ITEMS, version, -1))
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Port {feed}</title>'
                    f"<link>{base}/</link><description>notices</description>{items}</channel></rss>")
            return Answer(200, body.encode(), {"Content-Type": "application/rss+xml"}, etag=f'"v{version}"')
        return answer


def stage_rate(feeds: Feeds, seconds: float, warm: float) -> float:
    """Polls per second served to one `newswatch run --stage fetch` process."""
    folder = Path(tempfile.mkdtemp(prefix="nw-bench-fetch-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    config = {
        "settings": {
            "kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-"},
            "redis": {"key_prefix": f"{prefix}:"},
            "http": {"allow_private_hosts": ["127.0.0.1"], "per_host_concurrency": WORKERS},
            # every bench feed is on one local host: no host pacing, which would measure the pace
            "fetch": {"workers": WORKERS, "adaptive": False, "min_interval": 1, "jitter": 0.5,
                      "host_interval": None},
            "metrics": {"port": 0},
            "logging": {"format": "json", "level": "WARNING"},
        },
        "feeds": [{"id": f"port-{i}", "url": feeds.server.url(path), "interval": 1}
                  for i, path in enumerate(feeds.paths)],
    }
    write_config(folder, config, name="bench.yaml")
    worker = WorkerProcess(folder, "--stage", "fetch")
    try:
        return _count(feeds, seconds, warm, alive=lambda: worker.exit_code() is None)
    finally:
        try:
            worker.stop()
        finally:
            loaded = load_config(folder)
            Kafka(loaded.settings.kafka).delete_topics()
            store = Redis(loaded.settings.redis)
            store.delete_prefix()


def baseline_rate(feeds: Feeds, seconds: float, warm: float) -> float:
    """Polls per second served to httpx + feedparser on `WORKERS` threads, nothing else."""
    stop = threading.Event()
    etags: dict[str, str] = {}
    urls = [feeds.server.url(path) for path in feeds.paths]

    def poll_all(offset: int) -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                for url in urls[offset::WORKERS]:
                    headers = {"If-None-Match": etags[url]} if url in etags else {}
                    response = client.get(url, headers=headers)
                    if response.status_code == 200:
                        feedparser.parse(response.content)
                        etags[url] = response.headers.get("etag", "")
                    if stop.is_set():
                        return

    with ThreadPoolExecutor(WORKERS) as pool:
        for offset in range(WORKERS):
            pool.submit(poll_all, offset)
        try:
            return _count(feeds, seconds, warm, alive=lambda: True)
        finally:
            stop.set()


def _count(feeds: Feeds, seconds: float, warm: float, alive: Callable[[], bool]) -> float:
    first = feeds.served()

    def each_polled() -> bool:
        if not alive():
            raise SystemExit("the fetch process exited; see its worker.log")
        return feeds.served() - first >= feeds.count
    wait_until(each_polled, f"each of the {feeds.count} feeds to be polled once", timeout=120)
    time.sleep(warm)
    before, start = feeds.served(), time.monotonic()
    time.sleep(seconds)
    return (feeds.served() - before) / (time.monotonic() - start)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warm", type=float, default=5.0)
    args = parser.parse_args(argv)
    install()  # the clients' adaptations, as `newswatch run` installs them
    print(f"{args.feeds} feeds of {ITEMS} items on a local server, a new item every {NEW_EVERY} "
          f"requests; {WORKERS} polls at once; {os.cpu_count()} cores", flush=True)
    feeds = Feeds(args.feeds)
    try:
        base = baseline_rate(feeds, args.seconds, args.warm)
        print(f"httpx + feedparser alone, {WORKERS} threads: {base:7.1f} polls/s", flush=True)
        rate = stage_rate(feeds, args.seconds, args.warm)
    finally:
        feeds.server.close()
    print(f"fetch stage, 1 process:             {rate:7.1f} polls/s")
    print(f"feeds per fetcher at a 5-minute interval: {rate * 300:,.0f} (network time not included)")
    print(f"fetch/feedparser ratio: {rate / base:.2f}")


if __name__ == "__main__":
    main()
