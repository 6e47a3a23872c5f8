"""Hot reload: a changed config is swapped in whole, a broken one refused, and no article is lost."""

from __future__ import annotations

import functools
import os
import queue
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from tests.kit.waiting import wait_until
from tests.match.conftest import ROOT, article
from worker.config.holder import ConfigHolder
from worker.match.stage import CurrentMatcher
from worker.records import Article


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    return tmp_path / "config"


def write(folder: Path, text: str, step: int) -> None:
    """Write watchlists/extra.yaml with a modification time no file system can confuse."""
    path = folder / "watchlists" / "extra.yaml"
    path.write_text(text, encoding="utf-8")
    stamp = time.time_ns() + step * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def extra(name: str, entity_id: str = "extra") -> str:
    return (f"watchlists:\n  - id: extra\n    name: Extra\n    entities:\n"
            f"      - id: {entity_id}\n        name: {name}\n")


BROKEN = extra("X", entity_id="Not A Slug")


def reload_every(folder: Path, seconds: float) -> None:
    settings = folder / "settings.yaml"
    settings.write_text(settings.read_text() + f"  match:\n    reload_interval: {seconds}\n")


def refused() -> float:
    return REGISTRY.get_sample_value("newswatch_config_reloads_total", {"result": "refused"}) or 0.0


def articles() -> Iterator[Article]:
    n = 0
    while True:
        text = f"Item {n}: IS fighters captured Palmyra, and Zorblat{n % 7} was seen."
        yield article(text=text).model_copy(update={"id": f"a{n}"})
        n += 1


def test_reload_lines_name_what_changed_and_say_when_a_refused_config_is_fixed(
        folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    holder = ConfigHolder(folder)
    write(folder, extra("Zorblat"), 1)
    assert holder.check() is True
    assert "config reloaded: entities: +extra" in caplog.text
    write(folder, BROKEN, 2)
    assert holder.check() is False
    assert "config refused; the running one stays" in caplog.text
    write(folder, extra("Zorblat Prime"), 3)
    caplog.clear()
    assert holder.check() is True
    assert "config reloaded (recovered: the refused config is fixed): entities: ~extra" in caplog.text
    write(folder, BROKEN, 4)
    assert holder.check() is False
    write(folder, extra("Zorblat Prime"), 5)  # back to what runs: nothing to swap, but say so
    caplog.clear()
    assert holder.check() is False
    assert "config files are back to the running config; the refused change is gone" in caplog.text


def test_a_broken_config_is_refused_and_the_old_one_keeps_running(folder: Path) -> None:
    holder = ConfigHolder(folder)
    before, failures = holder.current, refused()
    write(folder, BROKEN, 1)
    assert holder.check() is False
    assert holder.current is before
    assert refused() == failures + 1
    assert holder.check() is False  # refused once, not again until the files change
    assert refused() == failures + 1
    write(folder, extra("Zorblat"), 2)
    assert holder.check() is True
    assert holder.current.version != before.version
    assert REGISTRY.get_sample_value("newswatch_config_info", {"version": holder.current.version}) == 1


def test_unchanged_files_are_not_reloaded(folder: Path) -> None:
    holder = ConfigHolder(folder)
    assert holder.check() is False
    assert holder.reload() is False  # same content, same version: nothing to swap


class Stage:
    """A producer feeding articles and a consumer matching them in batches, as the match stage does."""

    def __init__(self, holder: ConfigHolder) -> None:
        self.matchers = CurrentMatcher(holder.current)
        holder.follow(self.matchers.update)  # as `newswatch run` hands each reload to the stage
        self.stop = threading.Event()
        self.inbox: queue.Queue[Article | None] = queue.Queue(maxsize=50)
        self.produced: list[str] = []
        self.matched: dict[str, list[str]] = {}
        self.errors: list[BaseException] = []
        self.threads = [threading.Thread(target=self.produce), threading.Thread(target=self.consume)]

    def __enter__(self) -> Stage:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def produce(self) -> None:
        for item in articles():
            if self.stop.is_set():
                break
            self.inbox.put(item)
            self.produced.append(item.id)
        self.inbox.put(None)

    def consume(self) -> None:
        try:
            while True:
                batch = [self.inbox.get()]
                while len(batch) < 10 and not self.inbox.empty():
                    batch.append(self.inbox.get())
                matcher = self.matchers.current  # once per batch, as the stage does
                for item in batch:
                    if item is None:
                        return
                    matcher.match(item)
                    self.matched.setdefault(item.id, []).append(matcher.version)
        except BaseException as exc:  # reported by the test's assertions
            self.errors.append(exc)


def test_hot_reload_under_load_loses_nothing(folder: Path) -> None:
    reload_every(folder, 0.05)
    holder = ConfigHolder(folder)
    watching = threading.Event()
    holder.start(watching)
    good = [holder.current.version]
    failures = refused()
    with Stage(holder) as stage:
        for step, text in enumerate([extra("Zorblat1"), BROKEN, extra("Zorblat3"), extra("Zorblat4")], 1):
            matched = len(stage.matched)
            write(folder, text, step)
            if text is BROKEN:
                wait_until(lambda: refused() == failures + 1, "the broken config to be refused", step=0.01)
            else:
                wait_until(lambda: stage.matchers.current.version != good[-1], "a new matcher",
                           step=0.01)
                good.append(stage.matchers.current.version)
            wait_until(functools.partial(_more_than, stage.matched, matched + 20), "20 more matched",
                       step=0.01)  # matching went on meanwhile
    watching.set()
    assert not stage.errors
    assert sorted(stage.matched) == sorted(stage.produced)
    assert all(len(versions) == 1 for versions in stage.matched.values())
    used = {versions[0] for versions in stage.matched.values()}
    assert used <= set(good)
    assert len(used) >= 3


def test_sighup_reloads_at_once(folder: Path) -> None:
    reload_every(folder, 600)  # so only the signal can explain a reload within seconds
    holder = ConfigHolder(folder)
    previous = signal.getsignal(signal.SIGHUP)
    stop = threading.Event()
    try:
        holder.install_sighup()
        holder.start(stop)
        (folder / "watchlists" / "extra.yaml").write_text(extra("Zorblat"))
        version = holder.current.version
        os.kill(os.getpid(), signal.SIGHUP)
        wait_until(lambda: holder.current.version != version, "the reload SIGHUP asks for", step=0.01)
    finally:
        stop.set()
        signal.signal(signal.SIGHUP, previous)


def test_sighup_can_only_be_installed_from_the_main_thread(folder: Path) -> None:
    holder = ConfigHolder(folder)
    caught: list[BaseException] = []
    thread = threading.Thread(target=lambda: _catch(holder.install_sighup, caught))
    thread.start()
    thread.join()
    assert isinstance(caught[0], RuntimeError)


def _more_than(matched: dict[str, list[str]], count: int) -> bool:
    return len(matched) > count


def _catch(call: Callable[[], None], caught: list[BaseException]) -> None:
    try:
        call()
    except BaseException as exc:
        caught.append(exc)
