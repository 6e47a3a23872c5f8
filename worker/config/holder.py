"""Hot reload: the process's current config, swapped whole when its files change, or refused with its errors.

Every stage of the process follows this one holder: it hands each new config
to the stages' `update` (the fetch stage takes its feeds, the match stage
builds its matcher, the deliver stage its destinations), once per swap, on
the reload thread, off every stage's hot path. A stage takes the new config
between batches, never inside one, so every article is matched by exactly
one config and none is dropped or matched twice by a reload. A config that
does not load (every check of `newswatch config check`, the phrases the
matcher could never match included) is refused: its problems are logged,
`newswatch_config_reloads_total{result="refused"}` counts it, and the
running config stays. A refused config is not retried until its files
change again (or on SIGHUP), so a broken file is reported once, not every
interval.

What each stage does not follow (Kafka, Redis, HTTP, most of `settings`)
takes effect on restart, which the log says.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from worker import metrics
from worker.config.changes import describe_changes
from worker.config.loader import config_files, load_config
from worker.config.models import Config
from worker.errors import ConfigError
from worker.logs import get_logger

log = get_logger(__name__)
Fingerprint = tuple[tuple[str, int, int], ...]
Follower = Callable[[Config], None]


class ConfigHolder:
    """The current config of a process; see the module docstring."""

    def __init__(self, folder: str | Path, config: Config | None = None) -> None:
        """Start from `config`, or load one from `folder` (a broken config raises `ConfigError`)."""
        self.folder = Path(folder)
        self._seen = self._fingerprint()
        self.current = config or load_config(self.folder)
        self._followers: list[Follower] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._requested = False
        self._refused = False  # the last reload was refused: the next good one says it recovered
        self._next_look = time.monotonic() + self.current.settings.match.reload_interval
        _publish(None, self.current.version)

    def follow(self, follower: Follower) -> None:
        """Hand every config swapped in from now on to `follower` (a stage's `update`)."""
        self._followers.append(follower)

    def check(self) -> bool:
        """Reload if a config file changed since the last look, or a reload was requested."""
        fingerprint = self._fingerprint()
        if fingerprint == self._seen and not self._requested:
            return False
        return self.reload("requested" if self._requested else "files changed")

    def reload(self, reason: str = "requested") -> bool:
        """Load the folder's config, swap it in, hand it on; False (and the old one stays) on any problem."""
        with self._lock:
            self._requested = False
            self._seen = self._fingerprint()
            old = self.current
            started = time.monotonic()
            try:
                new = load_config(self.folder)
            except ConfigError as exc:
                self._refused = True
                return _refused(old, reason, exc.problems)
            except Exception as exc:  # a reload must never take the process down
                log.exception("config reload failed", folder=str(self.folder))
                self._refused = True
                return _refused(old, reason, [f"{type(exc).__name__}: {exc}"])
            recovered, self._refused = self._refused, False
            if new.version == old.version:
                if recovered:
                    log.info("config files are back to the running config; the refused change is gone",
                             version=old.version)
                return False
            self.current = new
            _publish(old.version, new.version)
            log.info(f"config reloaded{' (recovered: the refused config is fixed)' if recovered else ''}: "
                     f"{describe_changes(old, new)}", version=new.version, previous=old.version,
                     reason=reason, seconds=round(time.monotonic() - started, 3))
            for line in new.warnings:
                log.warning(f"config warning: {line}")
            if _other_settings(new) != _other_settings(old):
                log.warning("settings other than settings.match changed; they take effect on restart",
                            version=new.version)
            self._hand_on(new)
        return True

    def _hand_on(self, config: Config) -> None:
        """Each follower takes `config`, in turn (under the lock: two swaps never overtake each other)."""
        for follower in self._followers:
            try:
                follower(config)
            except Exception:  # one stage's problem with the new config must not keep it from the others
                log.exception("a stage could not take the reloaded config; it keeps the previous one",
                              version=config.version, follower=getattr(follower, "__qualname__", "?"))

    def request_reload(self) -> None:
        """Ask the watching thread to reload now; safe to call from a signal handler."""
        self._requested = True
        self._wake.set()

    def install_sighup(self) -> None:
        """Reload on SIGHUP. Python delivers signals to the main thread only, so call it from there."""
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("install_sighup must be called from the main thread")

        def on_hup(signum: int, frame: FrameType | None) -> None:
            self.request_reload()

        signal.signal(signal.SIGHUP, on_hup)

    def watch(self, stop: threading.Event) -> None:
        """Check every `settings.match.reload_interval` until `stop` is set (run it on a thread)."""
        while not stop.is_set():
            self.tick(stop)

    def tick(self, stop: threading.Event) -> None:
        """Wait at most a second for a reload request; check once one came or the interval has passed.

        Short waits, so a watcher sees `stop` within a second and can be joined with a bound.
        """
        wait = min(1.0, max(0.0, self._next_look - time.monotonic()))
        requested = self._wake.wait(wait)
        if stop.is_set() or not (requested or time.monotonic() >= self._next_look):
            return
        self._wake.clear()
        self._next_look = time.monotonic() + self.current.settings.match.reload_interval
        self.check()

    def start(self, stop: threading.Event) -> threading.Thread:
        """`watch` on a daemon thread; set `stop` to end it, and `request_reload` wakes it at once."""
        thread = threading.Thread(target=self.watch, args=(stop,), name="config-reload", daemon=True)
        thread.start()
        return thread

    def _fingerprint(self) -> Fingerprint:
        """Path, modification time and size of each config file: cheap to take every interval."""
        prints = []
        for path in config_files(self.folder) if self.folder.is_dir() else []:
            try:
                stat = path.stat()
            except OSError:  # removed while we looked: the next look sees the folder as it is
                continue
            prints.append((str(path), stat.st_mtime_ns, stat.st_size))
        return tuple(prints)


def _other_settings(config: Config) -> dict[str, object]:
    return config.settings.model_dump(exclude={"match"})


def _refused(current: Config, reason: str, problems: list[str]) -> bool:
    metrics.RELOADS.labels("refused").inc()
    log.error("config refused; the running one stays", version=current.version, reason=reason,
              problems=problems)
    return False


def _publish(old: str | None, new: str) -> None:
    if old is not None:
        metrics.RELOADS.labels("ok").inc()
        if old != new:
            with contextlib.suppress(KeyError):
                metrics.CONFIG_INFO.remove(old)
    metrics.CONFIG_INFO.labels(new).set(1)
