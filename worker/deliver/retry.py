"""When to try a delivery again: exponential backoff with full jitter, and Retry-After honoured.

Full jitter (a random wait between zero and the exponential cap) spreads the
retries of many workers hitting one recovering receiver; a receiver's own
Retry-After is a floor, never shortened.
"""

from __future__ import annotations

import random

from worker.config.models import DeliverSettings

_LATER = frozenset({408, 425, 429})  # request timeout, too early, too many requests


def retryable_status(status: int) -> bool:
    """5xx, and the 4xx that mean "not now", may succeed later; other 4xx say the request is wrong."""
    return status in _LATER or status >= 500


def backoff(attempt: int, settings: DeliverSettings, retry_after: float | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    cap = min(settings.backoff_max, settings.backoff_initial * 2.0 ** (attempt - 1))
    wait = random.uniform(0, cap)  # noqa: S311 - spreading retries, not secrets
    return max(wait, retry_after or 0.0)
