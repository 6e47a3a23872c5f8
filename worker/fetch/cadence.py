"""How often to poll a feed: learnt from how often it publishes, slowed down when it fails.

Adaptive rule: poll about twice per typical gap between the feed's recent
entries (half the median gap), so a story waits on average a quarter of a
gap; clamped to [min_interval, max_interval]. With fewer than three known
publication times the configured interval stands. Failures back off
exponentially (interval x 2^failures) up to backoff_cap, so a dead feed costs
little and a flapping one recovers at its next success.
"""

from __future__ import annotations

import statistics

from worker.config.models import FetchSettings


def usual_gap(recent: list[float]) -> float | None:
    """The median gap between the feed's recent publications; None while fewer than three are known."""
    gaps = [b - a for a, b in zip(recent, recent[1:], strict=False) if b > a]
    return float(statistics.median(gaps)) if len(gaps) >= 2 else None


def adaptive_interval(configured: float, recent: list[float], settings: FetchSettings) -> float:
    if not settings.adaptive:
        return configured
    gap = usual_gap(recent)
    return _clamp(configured if gap is None else gap / 2, settings)


def backoff_interval(interval: float, failures: int, settings: FetchSettings) -> float:
    if failures <= 0:
        return interval
    return min(settings.backoff_cap, interval * 2.0 ** min(failures, 32))


def _clamp(value: float, settings: FetchSettings) -> float:
    return max(settings.min_interval, min(settings.max_interval, value))
