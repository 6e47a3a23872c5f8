"""The processes that run trafilatura, so CPU-bound extraction uses every core and cannot stall the stage.

A hostile page can make extraction hang or kill its process. pebble's pool
gives each task a time limit: past it, that task's worker is terminated
and replaced while the other tasks go on, and a worker that dies only fails
its own task. Either way the page falls back to the feed's text with a
reason, and the stage carries on. If the pool itself breaks, it is replaced,
and the pages it failed get one more try on the new one: pebble breaks the
whole pool when a worker dies before the pool has read which task that
worker took (on a loaded machine the read comes late), which fails every
task queued at that moment, not only the one that killed its worker.

Pages that wait for a worker go to it together, up to CHUNK in one task:
each task costs this process about 0.15 ms whatever it carries (pebble's
threads, the pipes, the wake-ups), a tenth of its CPU per page in the
pipeline benchmark, and a chunk of four pays it once. A page arriving while
a worker is free goes alone, as soon as it comes. A chunk's time limit is
one page's, so none of its pages gets more time than it would alone; when a
chunk runs past it or its worker dies, which of its pages did it is not
known, so each runs again alone, under its own limit, and only the culprit
fails.

Workers come from a fork server that has imported trafilatura once: a
replacement starts in milliseconds, and no worker is forked from the
stage's threads (Kafka, HTTP), whose locks a fork would copy mid-use.
"""

from __future__ import annotations

import functools
import logging
import math
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pebble import ProcessExpired, ProcessFuture, ProcessPool

from worker import metrics
from worker.extract.extract import Extraction, extract_html
from worker.extract.fallback import Failure
from worker.language import load as load_language_model

R = TypeVar("R")
CHUNK = 4  # pages in one task at most: the task's cost shared four ways, the processes still fed evenly
MAX_TASKS_PER_WORKER = 1000  # a fresh process now and then (1,000 to 4,000 pages) returns what lxml keeps
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
Page = tuple[bytes, str | None, str | None, Callable[[Extraction], Any]]  # html, url, charset, finish


def timed_extract(html: bytes, url: str | None, charset: str | None,
                  finish: Callable[[Extraction], R]) -> Timed[R]:
    """Run in a worker: one page's extraction and `finish` of it, timed there."""
    start = time.perf_counter()
    result = finish(extract_html(html, url, charset=charset))
    return Timed(result, time.perf_counter() - start)


def run_chunk(task: Task, pages: list[Page]) -> list[Timed[Any] | Failure]:
    """Run in a worker: `task` on each page of a chunk; a page whose extraction raises fails alone."""
    outcomes: list[Timed[Any] | Failure] = []
    for html, url, charset, finish in pages:
        try:
            outcomes.append(task(html, url, charset, finish))
        except Exception as exc:  # noqa: BLE001 - trafilatura's own error on this page; the page falls back
            outcomes.append(Failure("extract_failed",
                                    f"{url}: trafilatura failed: {type(exc).__name__}: {exc}"))
    return outcomes


def _start_worker() -> None:
    """Quiet trafilatura (the stage logs why a page fell back), load the language model and warm both up."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    load_language_model()
    extract_html(_WARM_PAGE, "https://warm-up.invalid/")


def default_processes(configured: int) -> int:
    return configured or os.cpu_count() or 1


@dataclass(eq=False)
class _Waiting:
    """A page handed to the pool, until its chunk's task has ended."""

    page: Page
    done: Future[Timed[Any] | Failure] = field(default_factory=Future)
    pool: ProcessPool | None = None  # the pool its task ran on
    shared: bool = False  # its task carried other pages too


class _Shared:
    """The outcome of a page whose chunk timed out, died or broke the pool as a whole."""


_SHARED = _Shared()


class ExtractPool:
    """Extract pages in worker processes; each call blocks its thread until its page is done."""

    def __init__(self, processes: int, page_timeout: float, task: Task = timed_extract) -> None:
        self.processes = processes
        self.page_timeout = page_timeout
        self._task = task
        self._lock = threading.Lock()  # the pool's replacement
        self._gather = threading.Lock()  # the pages waiting and the tasks running (never held with _lock)
        self._waiting: deque[_Waiting] = deque()
        self._running = 0  # chunk tasks scheduled and not ended
        self._slots = processes + 1  # one task queued beyond the processes keeps each fed between tasks
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self._context = context
        self._pool = self._new_pool()

    def extract(self, html: bytes, url: str | None, charset: str | None,
                finish: Callable[[Extraction], R]) -> R | Failure:
        """`finish` of the page's extraction (run in the worker: it must pickle), or why there is none;
        never raises for a page's sake."""
        page = (html, url, charset, finish)
        gathered = self._gathered(page)
        # a chunk that failed as a whole may have failed by another page's doing: this one alone now
        outcome = self._alone(page) if isinstance(gathered, _Shared) else gathered
        if isinstance(outcome, BrokenProcessPool):  # not known to be this page's doing: once more
            outcome = self._alone(page)
        if isinstance(outcome, BrokenProcessPool):
            return Failure("extract_crashed", f"{url}: the extraction pool broke ({outcome}) on this page "
                                              "and again on its second try; it was replaced")
        if isinstance(outcome, Failure):
            return outcome
        metrics.EXTRACT_SECONDS.observe(outcome.seconds)
        result: R = outcome.result
        return result

    def _gathered(self, page: Page) -> Timed[Any] | Failure | BrokenProcessPool | _Shared:
        """The page's outcome in a chunk with the pages waiting beside it, when a task slot frees."""
        waiting = _Waiting(page)
        with self._gather:
            self._waiting.append(waiting)
        self._dispatch()
        try:
            return waiting.done.result()
        except Exception as exc:
            if waiting.pool is None:
                raise  # no task could be scheduled: the processes cannot be had
            if waiting.shared:
                if isinstance(exc, BrokenProcessPool):
                    self._replace(waiting.pool)
                return _SHARED
            return self._failed(waiting.pool, page[1], exc)
        finally:
            self._dispatch()  # its task's slot is free (done runs after the slot's release): the next go

    def _dispatch(self) -> None:
        """Start a chunk for each free task slot, the pages waiting shared evenly among them."""
        chunks = []
        with self._gather:
            while self._waiting and self._running < self._slots:
                size = min(CHUNK, math.ceil(len(self._waiting) / (self._slots - self._running)))
                chunks.append([self._waiting.popleft() for _ in range(size)])
                self._running += 1
        for chunk in chunks:
            self._start(chunk)

    def _start(self, chunk: list[_Waiting]) -> None:
        for waiting in chunk:
            waiting.shared = len(chunk) > 1
        try:
            pool, future = self._schedule([waiting.page for waiting in chunk])
        except Exception as exc:  # noqa: BLE001 - no processes to be had: each page's caller raises it
            self._release()
            for waiting in chunk:
                waiting.done.set_exception(exc)
            return
        for waiting in chunk:
            waiting.pool = pool
        future.add_done_callback(functools.partial(self._settle, chunk))

    def _settle(self, chunk: list[_Waiting], ended: ProcessFuture[list[Timed[Any] | Failure]]) -> None:
        """In pebble's thread: free the slot, then hand each page its outcome (its caller starts the next
        chunk: pebble's threads must not, as replacing a broken pool stops them)."""
        self._release()
        try:
            outcomes = ended.result()
        except BaseException as exc:  # noqa: BLE001 - a timeout, a death, a broken or stopped pool
            for waiting in chunk:
                waiting.done.set_exception(exc)
            return
        for waiting, outcome in zip(chunk, outcomes, strict=True):
            waiting.done.set_result(outcome)

    def _release(self) -> None:
        with self._gather:
            self._running -= 1

    def _alone(self, page: Page) -> Timed[Any] | Failure | BrokenProcessPool:
        """One run of the page in a task of its own; a pool found broken is replaced, and its error
        returned for `extract`."""
        pool, future = self._schedule([page])
        try:
            outcome: Timed[Any] | Failure = future.result()[0]
        except Exception as exc:  # noqa: BLE001 - what `_failed` makes of it
            return self._failed(pool, page[1], exc)
        return outcome

    def _failed(self, pool: ProcessPool | None, url: str | None,
                exc: BaseException) -> Failure | BrokenProcessPool:
        """What a task's failure means for its only page."""
        if isinstance(exc, TimeoutError):
            return Failure("extract_timeout", f"{url}: extraction took longer than {self.page_timeout:g}s; "
                                              "its process was replaced")
        if isinstance(exc, ProcessExpired):
            return Failure("extract_crashed",
                           f"{url}: the extraction process died (exit code {exc.exitcode})")
        if isinstance(exc, BrokenProcessPool):
            if pool is not None:
                self._replace(pool)
            return exc
        return Failure("extract_failed", f"{url}: the extraction failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        with self._lock:
            self._pool.stop()  # type: ignore[no-untyped-call]
            self._pool.join(timeout=10)

    def _schedule(self, pages: list[Page]) -> tuple[ProcessPool, ProcessFuture[list[Timed[Any] | Failure]]]:
        pool, args = self._pool, (self._task, pages)
        try:
            return pool, pool.schedule(run_chunk, args=args, timeout=self.page_timeout)
        except RuntimeError:  # the pool stopped after a break: replace it and try once more
            pool = self._replace(pool)
            return pool, pool.schedule(run_chunk, args=args, timeout=self.page_timeout)

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
