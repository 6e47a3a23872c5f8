"""CPU of the worker's HTTP client per request, against httpx's own client, in one run.

    python -m bench.http [--requests N] [--rounds R]

The worker's main process fetches every page and posts every alert, so what
a request costs there is paid once per article. A local server, in a process
of its own so its CPU is not counted, serves the pipeline benchmark's
generated news pages (gzip-compressed, as news sites serve them) and answers
webhook POSTs of an alert's size. This process then runs, in turn for a few
rounds (medians), `--requests` page GETs and as many POSTs through the
worker's `HttpClient` (libcurl, the address guard, caps) and through an
`httpx.Client` with nothing added, and counts this process's CPU time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection

import httpx

from tests.kit.http import Answer, LocalServer
from tests.kit.pages import pages
from worker.clients.http import HttpClient
from worker.config.models import HttpSettings

PAGES = 50
ALERT = b'{"alert": "' + b"x" * 1500 + b'"}'  # about a webhook body's size
HEADERS = {"Content-Type": "application/json"}


def serve(ready: Connection) -> None:
    """The server's process: the pages and a webhook receiver, until the parent ends it."""
    server = LocalServer()
    for page in pages(PAGES):
        server.answers[page.path] = Answer(200, page.html, {"Content-Type": "text/html; charset=utf-8"},
                                           gzip=True)
    server.answers["/hook"] = Answer(200, b"ok")
    ready.send((server.port, [p.path for p in pages(PAGES)]))
    time.sleep(3600)


def cpu_ms(run: Callable[[], object], count: int) -> float:
    """This process's CPU milliseconds per call of `run`."""
    run()
    start = time.process_time()
    for _ in range(count):
        run()
    return (time.process_time() - start) / count * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    here, there = multiprocessing.Pipe()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(there,), daemon=True)
    server.start()
    port, paths = here.recv()
    base = f"http://127.0.0.1:{port}"
    ours = HttpClient(HttpSettings(allow_private_hosts=["127.0.0.1"]))
    plain = HttpClient(HttpSettings(), guard=False)
    theirs = httpx.Client(timeout=10)
    urls = [f"{base}{path}" for path in paths]
    turn = {"n": 0}

    def next_url() -> str:
        turn["n"] += 1
        return urls[turn["n"] % len(urls)]

    measures: dict[str, list[float]] = {"get ours": [], "get httpx": [], "post ours": [], "post httpx": []}
    try:
        for _ in range(args.rounds):
            measures["get ours"].append(cpu_ms(lambda: ours.fetch(next_url(), max_bytes=5_000_000),
                                               args.requests))
            measures["get httpx"].append(cpu_ms(lambda: theirs.get(next_url()).content, args.requests))
            measures["post ours"].append(cpu_ms(lambda: plain.post(f"{base}/hook", content=ALERT,
                                                                   headers=HEADERS, timeout=10),
                                                args.requests))
            measures["post httpx"].append(cpu_ms(lambda: theirs.post(f"{base}/hook", content=ALERT,
                                                                     headers=HEADERS).content,
                                                 args.requests))
    finally:
        ours.close()
        plain.close()
        theirs.close()
        server.terminate()
    median = {name: statistics.median(values) for name, values in measures.items()}
    print(f"{args.requests} requests a round, {args.rounds} rounds (medians); CPU of this process, ms a "
          f"request; pages of {sum(len(p.html) for p in pages(PAGES)) / PAGES / 1000:.0f} kB served "
          "gzip-compressed")
    for kind in ("get", "post"):
        ratio = median[f"{kind} ours"] / median[f"{kind} httpx"]
        print(f"{kind.upper():>5}  HttpClient {median[f'{kind} ours']:.3f}   httpx.Client "
              f"{median[f'{kind} httpx']:.3f}   HttpClient/httpx {ratio:.2f}   (rounds: "
              + ", ".join(f"{a:.3f}/{b:.3f}" for a, b in zip(measures[f"{kind} ours"],
                                                             measures[f"{kind} httpx"], strict=True)) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
