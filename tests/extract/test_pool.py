"""The extraction pool: real worker processes, a page that hangs, a worker that dies."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from worker.extract.extract import Extraction
from worker.extract.fallback import Failure
from worker.extract.pool import ExtractPool, Timed, timed_extract

PAGES = Path(__file__).parent / "pages"


def misbehaving(html: bytes, url: str | None, charset: str | None) -> Timed:
    """Stands in for trafilatura on the pages that break it: runs in the worker process."""
    if html == b"hang":
        time.sleep(600)
    if html == b"die":
        os._exit(9)
    if html == b"raise":
        raise RecursionError("maximum recursion depth exceeded while parsing")
    return timed_extract(html, url, charset)


@pytest.fixture
def pool() -> Iterator[ExtractPool]:
    extract_pool = ExtractPool(processes=2, page_timeout=1.0, task=misbehaving)
    yield extract_pool
    extract_pool.close()


def test_extracts_in_a_worker(pool: ExtractPool) -> None:
    result = pool.extract((PAGES / "palmyra.html").read_bytes(), "https://levant-courier.example/p")
    assert isinstance(result, Extraction) and "IS fighters captured Palmyra" in result.text


def test_hanging_page_times_out_and_the_pool_goes_on(pool: ExtractPool) -> None:
    result = pool.extract(b"hang", "https://evil.example/hang")
    assert isinstance(result, Failure) and result.reason == "extract_timeout"
    assert "https://evil.example/hang" in result.detail and "replaced" in result.detail
    assert isinstance(pool.extract((PAGES / "harbour.html").read_bytes(), None), Extraction)


def test_dying_worker_fails_only_its_page(pool: ExtractPool) -> None:
    result = pool.extract(b"die", "https://evil.example/die")
    assert isinstance(result, Failure) and result.reason == "extract_crashed"
    assert "exit code 9" in result.detail
    assert isinstance(pool.extract((PAGES / "harbour.html").read_bytes(), None), Extraction)


def test_trafilatura_error_says_why(pool: ExtractPool) -> None:
    result = pool.extract(b"raise", "https://evil.example/deep")
    assert isinstance(result, Failure) and result.reason == "extract_failed"
    assert "RecursionError" in result.detail and "https://evil.example/deep" in result.detail


def test_stopped_pool_is_replaced(pool: ExtractPool) -> None:
    """A broken pool refuses work; the next page gets a fresh one instead of failing the stage."""
    pool._pool.stop()  # type: ignore[no-untyped-call]
    assert isinstance(pool.extract((PAGES / "harbour.html").read_bytes(), None), Extraction)
