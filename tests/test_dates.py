"""The one reader of ISO 8601 timestamps: what a page, a feed or our own tables write comes back aware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from worker.dates import parse_iso


def test_a_zone_is_kept_and_no_zone_is_utc() -> None:
    assert parse_iso("2016-12-16T09:40:00+0100") == datetime(2016, 12, 16, 8, 40, tzinfo=UTC)
    assert parse_iso("2016-12-16T09:40:00+01:00").utcoffset() == timedelta(hours=1)  # type: ignore[union-attr]
    assert parse_iso("2024-03-05T00:00:00") == datetime(2024, 3, 5, tzinfo=UTC)
    assert parse_iso("2024-03-05") == datetime(2024, 3, 5, tzinfo=UTC)


def test_rfc3339_forms_read_as_feeds_write_them() -> None:
    assert parse_iso("2024-03-05T10:00:00Z") == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert parse_iso(" 2024-03-05T10:00:00.250-05:00\n") == datetime(
        2024, 3, 5, 10, 0, 0, 250000, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_iso("2024-03-05 10:00:00+00:00") == datetime(2024, 3, 5, 10, tzinfo=UTC)


def test_what_our_tables_write_reads_back() -> None:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_iso(at.isoformat(timespec="seconds")) == at


@pytest.mark.parametrize("value", [
    None, "", "   ", "garbage", "2024-02-30", "2024-13-01", "2024-01-01T24:00:01", "2024-01-01T23:59:60Z",
    "2024-01-01T10:00:00+24:00", "２０２４-01-01", "2024-01-01\x00", "2024-01-01T10:00:00\u202eZ",
    "2024-01-01" + " " * 100, "9" * 10_000, 20240101, 1.5e9, b"2024-01-01", ["2024-01-01"],
    datetime(2024, 1, 1),
])
def test_anything_else_is_absent_never_an_error(value: object) -> None:
    assert parse_iso(value) is None
