from __future__ import annotations

import random

from worker.config.models import FetchSettings
from worker.fetch.cadence import adaptation, adaptive_interval, retry_delay, spread

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



def test_a_first_failure_is_retried_within_a_minute_or_the_interval() -> None:
    assert retry_delay(1800, 1, SETTINGS) == 60  # a 30-minute feed: a DNS blip costs a minute, not an hour
    assert retry_delay(300, 1, SETTINGS) == 60
    assert retry_delay(10, 1, SETTINGS) == 10  # never later than the interval itself
    assert retry_delay(300, 0, SETTINGS) == 300


def test_backoff_grows_only_with_failures_that_repeat() -> None:
    assert [retry_delay(1800, n, SETTINGS) for n in range(1, 8)] == [60, 120, 240, 480, 960, 1920, 3840]


def test_backoff_stops_at_four_intervals_or_ten_minutes_and_the_cap() -> None:
    assert retry_delay(300, 40, SETTINGS) == 1200  # four 5-minute intervals
    assert retry_delay(10, 40, SETTINGS) == 600  # a short interval still may rest ten minutes
    assert retry_delay(3 * 3600, 40, SETTINGS) == 6 * 3600  # four intervals would pass backoff_cap
    assert retry_delay(3600, 40, FetchSettings(backoff_cap=1800)) == 1800


def test_the_next_poll_spread_is_a_tenth_at_most_and_bounded_by_jitter() -> None:
    rng = random.Random(7)
    tens = [spread(10, SETTINGS, rng) for _ in range(200)]
    assert all(10 <= t <= 11 for t in tens) and max(tens) > 10.5
    hours = [spread(3600, FetchSettings(jitter=10), rng) for _ in range(200)]
    assert all(3600 <= h <= 3610 for h in hours)


def test_an_adapted_interval_says_why() -> None:
    every_ten_minutes = [1000.0 + 600 * i for i in range(10)]
    assert adaptation(120, every_ten_minutes, SETTINGS) == (
        300, "half the feed's usual gap between entries (600 s)")
    rapid = [10.0 * i for i in range(6)]
    assert adaptation(300, rapid, SETTINGS)[1].endswith("raised to settings.fetch.min_interval (60 s)")
    assert "too few publication times" in adaptation(300, [], SETTINGS)[1]
