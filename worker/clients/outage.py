"""Outages of Kafka or Redis logged as outages: one warning when one stops answering, one line when back.

During an outage every poll of every feed and every batch of every stage
fails the same way; a traceback for each says nothing the first line did not.
The places that meet such a failure report it here instead. The first report
logs a warning naming the service, its address and where it was noticed, and
starts a watcher that asks the service once a second; when it answers, one
info line says how long it was down and how many failures it caused. The
process's supervisor ends the watchers when it stops (`watching`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from worker.logs import get_logger

log = get_logger(__name__)
PROBE_EVERY = 1.0


class Outage:
    """The state of one service (its name and address) and the watcher of its return."""

    def __init__(self, service: str, address: str, probe: Callable[[], object]) -> None:
        self.service = service
        self.address = address
        self._probe = probe
        self._lock = threading.Lock()
        self._since: float | None = None
        self._failures = 0

    @property
    def down(self) -> bool:
        return self._since is not None

    def failed(self, where: str, error: BaseException | str) -> None:
        """Count one failure to reach the service; the first of an outage logs it and starts watching."""
        with self._lock:
            self._failures += 1
            if self._since is not None:
                return
            self._since = time.monotonic()
        log.warning(f"{self.service} stopped answering; work that needs it waits and is retried",
                    service=self.service.lower(), address=self.address, where=where, error=str(error)[:300])
        watcher = threading.Thread(target=self._watch, name=f"{self.service.lower()}-outage", daemon=True)
        with _registry_lock:
            _watchers.append(watcher)
        watcher.start()

    def _watch(self) -> None:
        while not self._answers():
            if _stopping.wait(PROBE_EVERY):  # the process stops: a later failure reports the outage anew
                with self._lock:
                    self._since, self._failures = None, 0
                return
        with self._lock:
            since, failures = self._since or time.monotonic(), self._failures
            self._since, self._failures = None, 0
        log.info(f"{self.service} answers again", service=self.service.lower(), address=self.address,
                 down_for=round(time.monotonic() - since, 1), failures=failures)

    def _answers(self) -> bool:
        try:
            self._probe()
        except Exception:  # noqa: BLE001 - any failure of the probe means "not yet"
            return False
        return True


_outages: dict[str, Outage] = {}
_registry_lock = threading.Lock()
_watchers: list[threading.Thread] = []
_stopping = threading.Event()
Recogniser = Callable[[BaseException], "Outage | None"]
_recognisers: list[Recogniser] = []


def recognise(recogniser: Recogniser) -> None:
    """Register how one client module tells its service's unavailability from other errors (once)."""
    with _registry_lock:
        if recogniser not in _recognisers:
            _recognisers.append(recogniser)


def watch(service: str, address: str, probe: Callable[[], object]) -> Outage:
    """The process's tracker for `service` at `address` (one per pair, shared by every client of it)."""
    with _registry_lock:
        key = f"{service} {address}"
        if key not in _outages:
            _outages[key] = Outage(service, address, probe)
        return _outages[key]


def report(error: BaseException, where: str) -> bool:
    """Report `error` (or its cause) as an outage if a client recognises it; False for anything else."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for recogniser in _recognisers:
            outage = recogniser(current)
            if outage is not None:
                outage.failed(where, error)
                return True
        current = current.__cause__ or current.__context__
    return False


@contextmanager
def watching(within: float = 5.0) -> Iterator[None]:
    """Watchers run inside; on leaving, they stop and are joined (each probe is bounded by its client's
    timeout, so `within` seconds is plenty); one still running is named in the log."""
    try:
        yield
    finally:
        _stopping.set()
        with _registry_lock:
            watchers, _watchers[:] = list(_watchers), []
        deadline = time.monotonic() + within
        for watcher in watchers:
            watcher.join(timeout=max(0.0, deadline - time.monotonic()))
            if watcher.is_alive():
                log.warning("outage watcher did not stop in time", thread=watcher.name)
        _stopping.clear()
