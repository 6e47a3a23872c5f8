from __future__ import annotations

from worker.config.models import FetchSettings
from worker.fetch.cadence import adaptive_interval, backoff_interval

SETTINGS = FetchSettings(min_interval=60, max_interval=3600, backoff_cap=6 * 3600)


def test_busy_feed_is_polled_twice_per_gap() -> None:
    every_ten_minutes = [1000.0 + 600 * i for i in range(10)]
    assert adaptive_interval(300, every_ten_minutes, SETTINGS) == 300


def test_quiet_feed_is_polled_less_but_within_bounds() -> None:
    daily = [86400.0 * i for i in range(6)]
    assert adaptive_interval(300, daily, SETTINGS) == 3600
    rapid = [10.0 * i for i in range(6)]
    assert adaptive_interval(300, rapid, SETTINGS) == 60


def test_too_little_history_keeps_the_configured_interval() -> None:
    assert adaptive_interval(300, [100.0, 200.0], SETTINGS) == 300
    assert adaptive_interval(300, [], FetchSettings(adaptive=False)) == 300


def test_backoff_doubles_to_the_cap() -> None:
    assert backoff_interval(300, 0, SETTINGS) == 300
    assert backoff_interval(300, 1, SETTINGS) == 600
    assert backoff_interval(300, 3, SETTINGS) == 2400
    assert backoff_interval(300, 40, SETTINGS) == 6 * 3600
