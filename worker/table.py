"""Plain-text output of the `status` commands: aligned columns and short human durations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from worker.dates import parse_iso
from worker.logs import human_duration


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    print(table(header, rows))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The rows under the header in aligned columns, one line each."""
    lines = [tuple(header), *(tuple(r) for r in rows)]
    widths = [max(len(r[i]) for r in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
                     for r in lines)


def span(seconds: object) -> str:
    """`42s`, `3m 5s`, `2h 10m`, as the logs write durations; `-` when there is no figure."""
    if not isinstance(seconds, int | float):
        return "-"
    return human_duration(max(0.0, float(seconds)))


def iso(at: float) -> str | None:
    """A Unix time as ISO 8601 UTC for JSON output; None for 0 (never)."""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds") if at else None


def _seconds(when: object) -> float | None:
    at = parse_iso(when)
    return at.timestamp() if at else None


def ago(when: object, now: float) -> str:
    at = _seconds(when)
    return "never" if at is None else f"{span(now - at)} ago"


def until(when: object, now: float) -> str:
    at = _seconds(when)
    if at is None:
        return "-"
    return "due" if at <= now else f"in {span(at - now)}"
