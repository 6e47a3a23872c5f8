"""When to try a delivery again: a fixed schedule per destination, and Retry-After honoured.

A schedule in the spirit of Svix and Stripe (5 s, 5 min, 30 min, 2 h, 5 h,
10 h, 10 h by default) outlasts real outages, where a few quick exponential
retries give up within a minute. The same schedule paces the probes of an open
circuit breaker, capped at `probe_max` so a receiver's return is noticed within
half a minute even late in a long outage. A receiver's own Retry-After is a
floor, never shortened. No jitter: one replica at a time sends to a destination
(see `redelivery`), so there is no herd of retries to spread.
"""

from __future__ import annotations

from worker.config.models import RetrySchedule

_LATER = frozenset({408, 425, 429})  # request timeout, too early, too many requests


def retryable_status(status: int) -> bool:
    """5xx, and the 4xx that mean "not now", may succeed later; other 4xx say the request is wrong."""
    return status in _LATER or status >= 500


def retry_delay(schedule: RetrySchedule, failures: int, retry_after: float | None = None) -> float:
    """Seconds to wait after an alert's `failures`-th failed attempt (1-based); the last delay repeats."""
    delay = schedule.delays[min(max(failures, 1), len(schedule.delays)) - 1]
    return max(delay, retry_after or 0.0)


def probe_delay(schedule: RetrySchedule, failed_probes: int, retry_after: float | None = None) -> float:
    """Seconds from an open breaker's `failed_probes`-th failed probe (0: from opening) to the next probe."""
    return max(min(retry_delay(schedule, failed_probes + 1), schedule.probe_max), retry_after or 0.0)


def expired(schedule: RetrySchedule, parked_at: float, now: float) -> bool:
    """An alert waiting since `parked_at` has had its whole schedule once the delays' sum has passed."""
    return now - parked_at >= schedule.span
