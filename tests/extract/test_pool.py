"""The extraction pool: real worker processes, a page that hangs, a worker that dies."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pebble.pool.base_pool import PoolStatus
from pebble.pool.process import PoolManager

from tests.kit.waiting import wait_until
from worker.extract.extract import Extraction
from worker.extract.fallback import Failure
from worker.extract.pool import ExtractPool, Timed, timed_extract

PAGES = Path(__file__).parent / "pages"


def extracted(extraction: Extraction) -> Extraction:
    """The `finish` that hands the extraction itself back."""
    return extraction


def misbehaving(html: bytes, url: str | None, charset: str | None,
                finish: Callable[[Extraction], Any]) -> Timed[Any]:
    """Stands in for trafilatura on the pages that break it: runs in the worker process."""
    if html == b"hang":
        time.sleep(600)
    if html == b"die":
        os._exit(9)
    if html == b"raise":
        raise RecursionError("maximum recursion depth exceeded while parsing")
    return timed_extract(html, url, charset, finish)


@pytest.fixture
def pool() -> Iterator[ExtractPool]:
    """A pool whose time limit no real page reaches, even on a machine loaded by other work: only the
    test of the limit itself (`hasty_pool`) may depend on when a page times out."""
    extract_pool = ExtractPool(processes=2, page_timeout=60.0, task=misbehaving)
    yield extract_pool
    extract_pool.close()


@pytest.fixture
def hasty_pool() -> Iterator[ExtractPool]:
    """A pool with a one-second limit, for the page that hangs."""
    extract_pool = ExtractPool(processes=2, page_timeout=1.0, task=misbehaving)
    yield extract_pool
    extract_pool.close()


def test_extracts_in_a_worker(pool: ExtractPool) -> None:
    page = (PAGES / "palmyra.html").read_bytes()
    result = pool.extract(page, "https://levant-courier.example/p", None, extracted)
    assert isinstance(result, Extraction) and "IS fighters captured Palmyra" in result.text


def test_hanging_page_times_out_and_the_pool_goes_on(hasty_pool: ExtractPool) -> None:
    result = hasty_pool.extract(b"hang", "https://evil.example/hang", None, extracted)
    assert isinstance(result, Failure) and result.reason == "extract_timeout"
    assert "https://evil.example/hang" in result.detail and "replaced" in result.detail
    assert isinstance(hasty_pool.extract((PAGES / "harbour.html").read_bytes(), None, None, extracted),
                      Extraction)


def test_dying_worker_fails_only_its_page(pool: ExtractPool) -> None:
    """The page that kills its worker fails; the pages queued beside it are extracted."""
    with ThreadPoolExecutor(4) as threads:
        harbour = (PAGES / "harbour.html").read_bytes()
        good = [threads.submit(pool.extract, harbour, None, None, extracted) for _ in range(3)]
        result = pool.extract(b"die", "https://evil.example/die", None, extracted)
        assert all(isinstance(page.result(), Extraction) for page in good)
    assert isinstance(result, Failure) and result.reason == "extract_crashed"
    assert "https://evil.example/die" in result.detail
    assert isinstance(pool.extract((PAGES / "harbour.html").read_bytes(), None, None, extracted), Extraction)


def test_a_death_the_pool_cannot_attribute_fails_only_its_page(
        pool: ExtractPool, monkeypatch: pytest.MonkeyPatch) -> None:
    """pebble breaks the whole pool when a worker dies before the pool has read which page the worker
    took: on a loaded machine the thread that reads it runs late. Here it reads nothing until the pool
    is broken, so the page queued beside the deadly one fails with it; each gets a second try, and
    only the deadly page fails."""
    read = PoolManager.process_next_message
    held: list[bool] = []

    def late(manager: PoolManager, timeout: float) -> None:
        if not held and manager.worker_manager.pool_channel.poll(timeout):  # type: ignore[union-attr]
            held.append(True)
            wait_until(lambda: manager.context.status == PoolStatus.ERROR, "the pool to break")
        read(manager, 0)

    monkeypatch.setattr(PoolManager, "process_next_message", late)
    with ThreadPoolExecutor(1) as threads:
        good = threads.submit(pool.extract, (PAGES / "harbour.html").read_bytes(), None, None, extracted)
        wait_until(lambda: held, "a worker to take the good page")
        result = pool.extract(b"die", "https://evil.example/die", None, extracted)
        assert isinstance(good.result(), Extraction)
    assert isinstance(result, Failure) and result.reason == "extract_crashed"
    assert "https://evil.example/die" in result.detail


def test_trafilatura_error_says_why(pool: ExtractPool) -> None:
    result = pool.extract(b"raise", "https://evil.example/deep", None, extracted)
    assert isinstance(result, Failure) and result.reason == "extract_failed"
    assert "RecursionError" in result.detail and "https://evil.example/deep" in result.detail


def test_stopped_pool_is_replaced(pool: ExtractPool) -> None:
    """A broken pool refuses work; the next page gets a fresh one instead of failing the stage."""
    pool._pool.stop()  # type: ignore[no-untyped-call]
    assert isinstance(pool.extract((PAGES / "harbour.html").read_bytes(), None, None, extracted), Extraction)
