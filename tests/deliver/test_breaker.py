"""The circuit breaker's transitions: pure, no Redis."""

from __future__ import annotations

from worker.config.models import RetrySchedule
from worker.deliver.breaker import Breaker, label

SCHEDULE = RetrySchedule(delays=[5, 300, 1800], open_after=3, probe_max=60)


def fail(breaker: Breaker, times: int, now: float = 1000.0) -> Breaker:
    for _ in range(times):
        breaker = breaker.failed(SCHEDULE, "HTTP 503: down", now)
    return breaker


def test_it_stays_closed_below_the_threshold_and_an_answer_resets_the_count() -> None:
    breaker = fail(Breaker(), 2)
    assert breaker.closed and breaker.failures == 2 and breaker.last_error == "HTTP 503: down"
    assert fail(breaker.answered(), 2).closed


def test_it_opens_after_open_after_failures_in_a_row_with_the_first_delay() -> None:
    breaker = fail(Breaker(), 3)
    assert breaker.state == "open" and breaker.opened_at == 1000 and breaker.next_probe == 1005


def test_an_open_breaker_probes_only_when_due() -> None:
    breaker = fail(Breaker(), 3)
    assert breaker.probing(1004.9) is None
    probing = breaker.probing(1005)
    assert probing is not None and probing.state == "half-open"


def test_a_failed_probe_reopens_with_the_next_wait_capped() -> None:
    breaker = fail(Breaker(), 3)
    waits = []
    for n in range(3):
        now = breaker.next_probe
        probing = breaker.probing(now)
        assert probing is not None
        breaker = probing.failed(SCHEDULE, "HTTP 503: down", now)
        assert breaker.state == "open" and breaker.failed_probes == n + 1
        waits.append(breaker.next_probe - now)
    assert waits == [60, 60, 60]  # 300 s and 1800 s on the schedule, capped at probe_max


def test_an_answered_probe_closes_it() -> None:
    probing = fail(Breaker(), 3).probing(1005)
    assert probing is not None
    closed = probing.answered()
    assert closed.closed and closed.failures == 0 and closed.failed_probes == 0
    assert closed.last_error == "HTTP 503: down"  # kept for `destinations status`


def test_a_failure_reported_while_open_does_not_move_the_probe() -> None:
    breaker = fail(Breaker(), 3)
    later = breaker.failed(SCHEDULE, "timeout", 1001)
    assert later.state == "open" and later.next_probe == 1005 and later.failures == 4


def test_a_half_open_breaker_whose_prober_died_is_probed_again() -> None:
    probing = fail(Breaker(), 3).probing(1005)
    assert probing is not None and probing.probing(1006) is not None


def test_retry_after_delays_the_probe() -> None:
    breaker = fail(Breaker(), 2).failed(SCHEDULE, "HTTP 429", 1000, retry_after=120)
    assert breaker.next_probe == 1120


def test_what_operators_see() -> None:
    assert label(Breaker(), 0) == "ok"
    assert label(Breaker(), 4) == "retrying"
    assert label(fail(Breaker(), 1), 0) == "retrying"
    assert label(fail(Breaker(), 3), 9) == "open"
    probing = fail(Breaker(), 3).probing(2000)
    assert probing is not None and label(probing, 9) == "open"
