"""ISO 8601 / RFC 3339 timestamps read from outside (feeds, pages) and from our own tables.

One reader, so every place agrees on what a date without a zone means (UTC)
and that a bad one is absent rather than an error: a feed's broken date must
never cost its entry. It imports no stage, so any stage may use it.
"""

from __future__ import annotations

from datetime import UTC, datetime

# The longest honest form, "2024-01-01T10:00:00.123456+05:30:15.123456", is 42 characters; anything
# much longer is not a date, and is refused before the parser sees it.
_LONGEST = 64


def parse_iso(value: object) -> datetime | None:
    """`value` as an aware datetime, keeping its own offset; no zone is UTC; anything else is None."""
    if not isinstance(value, str) or len(value) > _LONGEST:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
