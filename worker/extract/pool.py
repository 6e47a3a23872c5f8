"""The processes that run trafilatura, so CPU-bound extraction uses every core and cannot stall the stage.

A hostile page can make extraction hang or kill its process. pebble's pool
gives each page a time limit: past it, that page's worker is terminated
and replaced while the other pages go on, and a worker that dies only fails
its own page. Either way the page falls back to the feed's text with a
reason, and the stage carries on. If the pool itself breaks, it is replaced,
and the pages it failed get one more try on the new one: pebble breaks the
whole pool when a worker dies before the pool has read which page that worker
took (on a loaded machine the read comes late), which fails every page queued
at that moment, not only the one that killed its worker.

Workers come from a fork server that has imported trafilatura once: a
replacement starts in milliseconds, and no worker is forked from the
stage's threads (Kafka, HTTP), whose locks a fork would copy mid-use.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from worker import metrics
from worker.extract.extract import Extraction, extract_html
from worker.extract.fallback import Failure
from worker.language import load as load_language_model

R = TypeVar("R")
MAX_TASKS_PER_WORKER = 1000  # a fresh process now and then returns what lxml's allocator keeps
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")
_WARM_PAGE = ("<html lang='en'><head><title>Warm-up</title></head><body><article>"
              + "<p>This page loads trafilatura's lazy parts before the first real one.</p>" * 8
              + "</article></body></html>")


@dataclass(frozen=True)
class Timed(Generic[R]):
    """What a worker made of a page (its extraction, or what `finish` made of that), and how long it
    took there, queueing not counted."""

    result: R
    seconds: float


Task = Callable[[bytes, str | None, str | None, Callable[[Extraction], Any]], Timed[Any]]


def timed_extract(html: bytes, url: str | None, charset: str | None,
                  finish: Callable[[Extraction], R]) -> Timed[R]:
    """Run in a worker: one page's extraction and `finish` of it, timed there."""
    start = time.perf_counter()
    result = finish(extract_html(html, url, charset=charset))
    return Timed(result, time.perf_counter() - start)


def _start_worker() -> None:
    """Quiet trafilatura (the stage logs why a page fell back), load the language model and warm both up."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    load_language_model()
    extract_html(_WARM_PAGE, "https://warm-up.invalid/")


def default_processes(configured: int) -> int:
    return configured or os.cpu_count() or 1


class ExtractPool:
    """Extract pages in worker processes; each call blocks its thread until its page is done."""

    def __init__(self, processes: int, page_timeout: float, task: Task = timed_extract) -> None:
        self.processes = processes
        self.page_timeout = page_timeout
        self._task = task
        self._lock = threading.Lock()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self._context = context
        self._pool = self._new_pool()

    def extract(self, html: bytes, url: str | None, charset: str | None,
                finish: Callable[[Extraction], R]) -> R | Failure:
        """`finish` of the page's extraction (run in the worker: it must pickle), or why there is none;
        never raises for a page's sake."""
        outcome = self._attempt(html, url, charset, finish)
        if isinstance(outcome, BrokenProcessPool):  # not known to be this page's doing: once more
            outcome = self._attempt(html, url, charset, finish)
        if isinstance(outcome, BrokenProcessPool):
            return Failure("extract_crashed", f"{url}: the extraction pool broke ({outcome}) on this page "
                                              "and again on its second try; it was replaced")
        if isinstance(outcome, Failure):
            return outcome
        metrics.EXTRACT_SECONDS.observe(outcome.seconds)
        result: R = outcome.result
        return result

    def _attempt(self, html: bytes, url: str | None, charset: str | None,
                 finish: Callable[[Extraction], Any]) -> Timed[Any] | Failure | BrokenProcessPool:
        """One run of the page; a pool found broken is replaced, and its error returned for `extract`."""
        pool, future = self._schedule(html, url, charset, finish)
        try:
            return future.result()
        except TimeoutError:
            return Failure("extract_timeout", f"{url}: extraction took longer than {self.page_timeout:g}s; "
                                              "its process was replaced")
        except ProcessExpired as exc:
            return Failure("extract_crashed",
                           f"{url}: the extraction process died (exit code {exc.exitcode})")
        except BrokenProcessPool as exc:
            self._replace(pool)
            return exc
        except Exception as exc:  # noqa: BLE001 - trafilatura's own error on this page; the page falls back
            return Failure("extract_failed", f"{url}: trafilatura failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        with self._lock:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)

    def _schedule(self, html: bytes, url: str | None, charset: str | None,
                  finish: Callable[[Extraction], Any]) -> tuple[ProcessPool, ProcessFuture[Timed[Any]]]:
        pool, args = self._pool, (html, url, charset, finish)
        try:
            return pool, pool.schedule(self._task, args=args, timeout=self.page_timeout)
        except RuntimeError:  # the pool stopped after a break: replace it and try once more
            pool = self._replace(pool)
            return pool, pool.schedule(self._task, args=args, timeout=self.page_timeout)

    def _replace(self, broken: ProcessPool) -> ProcessPool:
        """A fresh pool in place of `broken`, unless another thread has already replaced it."""
        with self._lock:
            if self._pool is broken:
                self._pool = self._new_pool()
                broken.stop()  # type: ignore[no-untyped-call]
            return self._pool

    def _new_pool(self) -> ProcessPool:
        return ProcessPool(max_workers=self.processes, max_tasks=MAX_TASKS_PER_WORKER,
                           initializer=_start_worker, context=self._context)
