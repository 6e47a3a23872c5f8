"""The extraction pool: real worker processes, a page that hangs, a worker that dies."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
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
    if html.startswith(b"hold:"):  # keeps its worker until the file it names exists
        wait_until(Path(html[5:].decode()).exists, "the test to release the page", step=0.01)
    if html.startswith((b"hold:", b"echo:")):
        return Timed(html.decode(), 0.0)
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


def behind_busy_workers(pool: ExtractPool, pages: list[bytes], release: Path,
                        monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[int]]:
    """Each page's result, handed to the pool while every task slot is taken, so they wait together;
    and the number of pages of each task the pool scheduled."""
    sizes: list[int] = []
    schedule = pool._schedule

    def counted(chunk: list[Any]) -> Any:
        sizes.append(len(chunk))
        return schedule(chunk)

    monkeypatch.setattr(pool, "_schedule", counted)
    hold = f"hold:{release}".encode()
    with ThreadPoolExecutor(len(pages) + pool._slots) as threads:
        held: list[Future[Any]] = [threads.submit(pool.extract, hold, None, None, extracted)
                                   for _ in range(pool._slots)]
        wait_until(lambda: len(sizes) == pool._slots, "every task slot taken")
        waiting = [threads.submit(pool.extract, page, f"https://evil.example/{page.decode()}", None,
                                  extracted) for page in pages]
        wait_until(lambda: len(pool._waiting) == len(pages), "the pages to wait for a slot")
        release.touch()
        assert all(page.result() == hold.decode() for page in held)
        return [page.result() for page in waiting], sizes


def test_pages_that_wait_share_a_task_each_with_its_own_result(
        pool: ExtractPool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [f"echo:{n}".encode() for n in range(8)]
    results, sizes = behind_busy_workers(pool, pages, tmp_path / "go", monkeypatch)
    assert results == [page.decode() for page in pages]
    assert max(sizes) > 1 and sum(sizes) == len(pages) + pool._slots


@pytest.mark.parametrize(("page", "reason"), [(b"hang", "extract_timeout"), (b"die", "extract_crashed")])
def test_a_page_that_hangs_or_kills_its_worker_fails_alone_not_its_chunk(
        page: bytes, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which page of a chunk ran past the limit or killed the worker is not known: each runs again
    alone, and only the culprit fails. The limit is two seconds: held pages are released at once."""
    pool = ExtractPool(processes=2, page_timeout=2.0, task=misbehaving)
    try:
        pages = [page, b"echo:1", b"echo:2", b"echo:3"]  # the culprit first: its chunk-mates never ran
        results, sizes = behind_busy_workers(pool, pages, tmp_path / "go", monkeypatch)
    finally:
        pool.close()
    assert isinstance(results[0], Failure) and results[0].reason == reason
    assert f"https://evil.example/{page.decode()}" in results[0].detail
    assert results[1:] == ["echo:1", "echo:2", "echo:3"]
    assert sizes[pool._slots] > 1  # the culprit's first task had company


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
