"""When a delivery is tried again, and how long it waits: pure functions."""

from __future__ import annotations

import pytest

from worker.config.models import DeliverSettings
from worker.deliver.retry import backoff, retryable_status


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_answers_that_mean_not_now_are_retried(status: int) -> None:
    assert retryable_status(status)


@pytest.mark.parametrize("status", [300, 400, 401, 403, 404, 410, 413, 422])
def test_answers_that_say_the_request_is_wrong_are_not(status: int) -> None:
    assert not retryable_status(status)


def test_backoff_stays_under_its_exponential_cap_and_honours_retry_after() -> None:
    settings = DeliverSettings(backoff_initial=1, backoff_max=60)
    for attempt, cap in enumerate([1, 2, 4, 8, 16, 32, 60, 60, 60], start=1):
        waits = [backoff(attempt, settings) for _ in range(200)]
        assert all(0 <= wait <= cap for wait in waits)
        assert max(waits) > cap / 2  # full jitter spreads over the whole range, not a fixed wait
    assert backoff(1, settings, retry_after=65) == 65
