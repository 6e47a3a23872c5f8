"""How a feed-health notice reads: a headline and detail lines, for every sender to render its way."""

from __future__ import annotations

from datetime import datetime

from worker.records import FeedHealth


def describe(notice: FeedHealth) -> tuple[str, list[str]]:
    """A headline and detail lines, plain text: each sender escapes them its own way."""
    feed = notice.feed_id
    if notice.state == "failing":
        headline = f"Feed {feed} is failing: {notice.failures} polls in a row failed"
    elif notice.state == "silent":
        quiet = _span((notice.at - notice.last_published).total_seconds()) if notice.last_published else "?"
        usual = f" (usually every {_span(notice.usual_gap)})" if notice.usual_gap else ""
        headline = f"Feed {feed} went silent: it answers, but published nothing for {quiet}{usual}"
    else:
        headline = f"Feed {feed} recovered (it was {notice.previous})"
    details = [f"URL: {notice.feed_url}"]
    if notice.state == "failing" and notice.last_error:
        details.append(f"Last error: {notice.last_error}")
    details.append(f"Last success: {_when(notice.last_success)}; "
                   f"last publication: {_when(notice.last_published)}")
    return headline, details


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M:%S} UTC" if at else "never"


def _span(seconds: float) -> str:
    s = int(seconds)
    if s >= 86400:
        return f"{s // 86400}d{s % 86400 // 3600:02d}h"
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"

