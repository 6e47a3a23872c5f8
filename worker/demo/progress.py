"""When the demo is done, and what it did: read from the process's own metrics.

Done means every bundled article was fetched and run through the matcher,
and then no alert went out (or was dead-lettered) for `QUIET` seconds. A
pipeline that stalls (a slow broker) is stopped after `LIMIT` seconds with a
line that says so, so `make demo` always ends.
"""

from __future__ import annotations

import threading
import time

from prometheus_client import Counter

from worker import metrics

QUIET = 6.0
LIMIT = 180.0


def _by_label(counter: Counter) -> dict[str, float]:
    out: dict[str, float] = {}
    for family in counter.collect():
        for sample in family.samples:
            if sample.name.endswith("_total"):
                key = next(iter(sample.labels.values()), "")
                out[key] = out.get(key, 0.0) + sample.value
    return out


class Progress:
    def __init__(self, articles: int, limit: float | None = None) -> None:
        self.articles = articles
        self.limit = limit or LIMIT
        self.started = time.monotonic()
        self.finished = 0.0
        self.timed_out = False
        self._base = self._counts()

    def _counts(self) -> dict[str, dict[str, float]]:
        return {name: _by_label(counter) for name, counter in (
            ("entries", metrics.NEW_ENTRIES), ("matched", metrics.MATCHED_ARTICLES),
            ("routes", metrics.MATCHES), ("sent", metrics.SENT), ("dead", metrics.DEAD))}

    def _delta(self) -> dict[str, dict[str, float]]:
        now = self._counts()
        return {name: {k: v - self._base[name].get(k, 0.0) for k, v in values.items()
                       if v - self._base[name].get(k, 0.0)} for name, values in now.items()}

    def _total(self, delta: dict[str, dict[str, float]], name: str) -> int:
        return int(sum(delta[name].values()))

    def watch(self, stop: threading.Event) -> None:
        """Set `stop` once done (see the module docstring)."""
        last, quiet_since = None, time.monotonic()
        while not stop.wait(0.5):
            delta = self._delta()
            now = time.monotonic()
            seen = (self._total(delta, "entries"), self._total(delta, "matched"),
                    self._total(delta, "sent") + self._total(delta, "dead"))
            if seen != last:
                last, quiet_since = seen, now
            through = seen[0] >= self.articles and seen[1] >= seen[0]
            if (through and now - quiet_since >= QUIET) or now - self.started >= self.limit:
                self.timed_out = not through
                break
        self.finished = time.monotonic()
        stop.set()

    def summary(self) -> str:
        delta = self._delta()
        took = (self.finished or time.monotonic()) - self.started
        sent = ", ".join(f"{d} {int(n)}" for d, n in sorted(delta["sent"].items())) or "none"
        line = (f"demo finished in {took:.0f}s: {self._total(delta, 'entries')} of {self.articles} articles "
                f"fetched, {self._total(delta, 'matched')} matched, {self._total(delta, 'routes')} route "
                f"decisions; alerts delivered: {sent}")
        dead = self._total(delta, "dead")
        if dead:
            line += (f"; {dead} dead-lettered (a disabled destination keeps its alerts there; "
                     f"they were removed with the demo's topics)")
        if self.timed_out:
            line += f"; stopped after {took:.0f}s before every article went through (is Kafka slow?)"
        return line
