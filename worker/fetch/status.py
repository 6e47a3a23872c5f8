"""`newswatch feeds status`: each feed's health as every fetcher replica sees it, from Redis."""

from __future__ import annotations

import json
import time

from worker.clients.redis import Redis
from worker.config.models import Config
from worker.fetch.state import FeedState, FeedStates
from worker.table import ago, iso, print_table, span, until


def feed_status(config: Config) -> list[dict[str, object]]:
    redis = Redis(config.settings.redis)
    redis.ping()
    try:
        states = FeedStates(redis).load_many([f.id for f in config.feeds])
    finally:
        redis.close()
    return [_row(feed.id, feed.enabled, feed.url, states[feed.id]) for feed in config.feeds]


def print_status(config: Config, *, as_json: bool) -> None:
    rows = feed_status(config)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    now = time.time()
    header = ("FEED", "ENABLED", "LAST SUCCESS", "LAST ERROR", "FAILURES", "INTERVAL", "NEXT POLL", "SEEN")
    table = []
    for row in rows:
        error = f"{ago(row['last_error_at'], now)}: {row['last_error']}" if row["last_error"] else "-"
        table.append((str(row["feed"]), "yes" if row["enabled"] else "no", ago(row["last_success"], now),
                      error[:70], str(row["failures"]), span(row["interval"]),
                      until(row["next_poll"], now), str(row["entries_seen"])))
    print_table(header, table)


def _row(feed_id: str, enabled: bool, url: str, state: FeedState) -> dict[str, object]:
    return {
        "feed": feed_id, "enabled": enabled, "url": url,
        "last_success": iso(state.last_success), "last_error": state.last_error or None,
        "last_error_kind": state.last_error_kind or None, "last_error_at": iso(state.last_error_at),
        "failures": state.failures, "interval": state.interval or None,
        "next_poll": iso(state.next_due), "entries_seen": state.entries_seen,
    }

