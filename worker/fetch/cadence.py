"""How often to poll a feed: learnt from how often it publishes, retried soon when it fails.

Adaptive rule: poll about twice per typical gap between the feed's recent
entries (half the median gap), so a story waits on average a quarter of a
gap; clamped to [min_interval, max_interval]. With fewer than three known
publication times the configured interval stands (clamped the same way).

Failures: one failure is most often a blip (a DNS hiccup, a reset, a 502), so
the first retry comes soon, `min(interval, FIRST_RETRY)` after it, well within
the feed's interval; only failures that repeat back off, doubling from there,
up to `max(4 x interval, BACKOFF_FLOOR)` and never beyond `backoff_cap`. A dead
feed then costs one request per four intervals (ten minutes at the least), and
a feed that failed once is back within a minute.

The next poll's time carries its jitter (`spread`), so the time logged and shown
by `feeds status` is the time the poll is scheduled for.
"""

from __future__ import annotations

import random
import statistics

from worker.config.models import FetchSettings

FIRST_RETRY = 60.0  # seconds after a first failure, for feeds with a longer interval
BACKOFF_FLOOR = 600.0  # repeated failures may back off to at least this, whatever the interval
BACKOFF_INTERVALS = 4.0  # ...and at most this many of the feed's intervals (then backoff_cap)
SPREAD = 0.1  # the jitter of a next poll: at most this share of its delay (and fetch.jitter)


def usual_gap(recent: list[float]) -> float | None:
    """The median gap between the feed's recent publications; None while fewer than three are known."""
    gaps = [b - a for a, b in zip(recent, recent[1:], strict=False) if b > a]
    return float(statistics.median(gaps)) if len(gaps) >= 2 else None


def adaptation(configured: float, recent: list[float], settings: FetchSettings) -> tuple[float, str]:
    """The interval to poll at, and why (for the log line that reports a change)."""
    if not settings.adaptive:
        return configured, "the configured interval (settings.fetch.adaptive is off)"
    gap = usual_gap(recent)
    wanted = configured if gap is None else gap / 2
    interval = _clamp(wanted, settings)
    why = ("the configured interval (too few publication times to learn from)" if gap is None
           else f"half the feed's usual gap between entries ({gap:.0f} s)")
    if interval > wanted:
        why += f", raised to settings.fetch.min_interval ({settings.min_interval:g} s)"
    elif interval < wanted:
        why += f", lowered to settings.fetch.max_interval ({settings.max_interval:g} s)"
    return interval, why


def adaptive_interval(configured: float, recent: list[float], settings: FetchSettings) -> float:
    return adaptation(configured, recent, settings)[0]


def retry_delay(interval: float, failures: int, settings: FetchSettings) -> float:
    """Seconds from a failed poll to the next, after `failures` failures in a row (1 = the first)."""
    if failures <= 0:
        return interval
    first = min(interval, FIRST_RETRY)
    cap = min(settings.backoff_cap, max(BACKOFF_INTERVALS * interval, BACKOFF_FLOOR))
    return max(first, min(cap, first * 2.0 ** min(failures - 1, 32)))


def spread(delay: float, settings: FetchSettings, rng: random.Random | None = None) -> float:
    """`delay` plus its jitter (so replicas and feeds do not all arrive at once): at most `SPREAD` of
    the delay and `fetch.jitter`, so a 10 s feed is polled every 10 to 11 s, not 10 to 20."""
    draw = (rng or random).uniform(0.0, min(settings.jitter, SPREAD * delay))  # noqa: S311 - load, not secrets
    return delay + draw


def _clamp(value: float, settings: FetchSettings) -> float:
    return max(settings.min_interval, min(settings.max_interval, value))
