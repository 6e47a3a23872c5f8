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
    settings = DeliverSettings()
    for attempt in range(1, 12):
        cap = min(settings.backoff_max, settings.backoff_initial * 2.0 ** (attempt - 1))
        assert all(0 <= backoff(attempt, settings) <= cap for _ in range(50))
    assert backoff(1, settings, retry_after=settings.backoff_max + 5) == settings.backoff_max + 5
