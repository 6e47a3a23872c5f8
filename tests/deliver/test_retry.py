"""When a delivery is tried again and when it is given up: pure functions and the schedule's config."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from worker.clients.http import HttpClient
from worker.clients.redis import Redis
from worker.config import load_config
from worker.config.models import DeliverSettings, HttpSettings, RedisSettings, RetrySchedule
from worker.deliver.destinations import Destinations
from worker.deliver.retry import expired, probe_delay, retry_delay, retryable_status
from worker.errors import ConfigError
from worker.pace import Pacer

SVIX = RetrySchedule()


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 503, 504])
def test_answers_that_mean_not_now_are_retried(status: int) -> None:
    assert retryable_status(status)


@pytest.mark.parametrize("status", [300, 400, 401, 403, 404, 410, 413, 422])
def test_answers_that_say_the_request_is_wrong_are_not(status: int) -> None:
    assert not retryable_status(status)


def test_the_default_schedule_is_svix_and_outlasts_a_day() -> None:
    assert SVIX.delays == [5, 300, 1800, 7200, 18000, 36000, 36000]
    assert SVIX.span == 99305 > 86400
    assert DeliverSettings().retry == SVIX


def test_each_failure_waits_its_step_then_the_last_step_repeats() -> None:
    assert [retry_delay(SVIX, n) for n in range(1, 10)] == [5, 300, 1800, 7200, 18000, 36000, 36000, 36000,
                                                            36000]
    assert retry_delay(SVIX, 1, retry_after=120) == 120  # the receiver's Retry-After is a floor
    assert retry_delay(SVIX, 2, retry_after=120) == 300


def test_an_open_breaker_probes_at_the_schedule_pace_capped() -> None:
    assert [probe_delay(SVIX, n) for n in range(4)] == [5, 30, 30, 30]
    slow = RetrySchedule(delays=[1, 2, 4], probe_max=3)
    assert [probe_delay(slow, n) for n in range(5)] == [1, 2, 3, 3, 3]
    assert probe_delay(slow, 0, retry_after=30) == 30


def test_an_alert_expires_when_the_whole_schedule_has_passed() -> None:
    schedule = RetrySchedule(delays=[10, 20])
    assert not expired(schedule, parked_at=1000, now=1029.9)
    assert expired(schedule, parked_at=1000, now=1030)


@pytest.mark.parametrize(("value", "says"), [
    ({"delays": []}, "the schedule is empty; list at least one wait"),
    ({"delays": ["5s", "soon"]}, "'soon' is not a duration"),
    ({"delays": [0]}, "a duration must be greater than zero"),
    ({"open_after": 0}, "greater than or equal to 1"),
    ({"probe_max": "-1s"}, "is not a duration"),
    ({"delay": ["5s"]}, "Extra inputs are not permitted"),
])
def test_a_bad_schedule_says_what_is_wrong(value: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        RetrySchedule.model_validate(value)


def test_a_schedule_is_written_in_durations() -> None:
    schedule = RetrySchedule.model_validate({"delays": ["5s", "5m", "1h30m"], "probe_max": "2m"})
    assert schedule.delays == [5, 300, 5400] and schedule.probe_max == 120


def test_a_destination_overrides_the_schedule_and_a_bad_one_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "destinations.yaml").write_text(
        "destinations:\n"
        "  - id: siem\n    type: webhook\n    url: https://siem.example/hook\n"
        "    retry: {delays: [10s, 1m], open_after: 2}\n"
        "  - id: ops\n    type: webhook\n    url: https://ops.example/hook\n")
    store = Redis(RedisSettings())  # never connected: no Slack destination here to pace
    destinations = Destinations(load_config(tmp_path), HttpClient(HttpSettings()), Pacer(store))
    store.close()
    assert destinations.schedule("siem").delays == [10, 60] and destinations.schedule("siem").open_after == 2
    assert destinations.schedule("ops") == SVIX
    (tmp_path / "settings.yaml").write_text("settings:\n  deliver:\n    retry:\n      delays: []\n")
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    [problem] = err.value.problems
    assert problem.startswith(f"{tmp_path / 'settings.yaml'}:4: settings.deliver.retry.delays:")
    assert "the schedule is empty; list at least one wait" in problem
