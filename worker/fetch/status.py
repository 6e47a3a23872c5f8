"""`newswatch feeds status`: each feed's health as every fetcher replica sees it, from Redis.

A feed is "ok" when its last poll succeeded, "backing off" after one or two
failures in a row (the next poll is pushed back), "failing" from the third,
"disabled" or "not polled yet". The same words make the worker's periodic
health line, so the log and this table agree. A host whose feeds ask for more
polls than its pace allows is named below the table (and in each of its rows'
`host_over_pace`), with the fix: those feeds are polled later than due.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Literal, get_args

from worker.clients.redis import Redis
from worker.config.lint import over_paced_hosts
from worker.config.models import Config
from worker.fetch.canonical import feed_host
from worker.fetch.state import FeedState, FeedStates
from worker.pace import Pacer
from worker.table import ago, iso, print_table, until

FAILING_AFTER = 3
# A feed's health in `newswatch feeds status` and the health line, in the order they are listed.
StatusHealth = Literal["ok", "backing off", "failing", "silent", "not polled yet", "disabled"]
HEALTH_ORDER: tuple[StatusHealth, ...] = get_args(StatusHealth)


def health(enabled: bool, state: FeedState) -> StatusHealth:
    if not enabled:
        return "disabled"
    if state.failures >= FAILING_AFTER:
        return "failing"
    if state.failures:
        return "backing off"
    if state.health == "silent":  # answers, but published nothing for long (fetch/feed_health.py)
        return "silent"
    return "ok" if state.last_success else "not polled yet"


def feed_status(config: Config, redis: Redis | None = None) -> list[dict[str, object]]:
    """One row per configured feed; opens (and closes) its own Redis client unless given one."""
    store = redis or Redis(config.settings.redis)
    try:
        if redis is None:
            store.ping()
        states = FeedStates(store).load_many([f.id for f in config.feeds])
        hosts = Pacer(store, "host")
        turns = {host: hosts.next_slot(host) for host in {feed_host(f.url) for f in config.feeds}}
    finally:
        if redis is None:
            store.close()
    over = {host: message for _, message, host in over_paced_hosts(config)}
    return [{**_row(feed.id, feed.enabled, feed.url, states[feed.id], turns[feed_host(feed.url)]),
             "host_over_pace": over.get(feed_host(feed.url))} for feed in config.feeds]


def summary(rows: list[dict[str, object]]) -> str:
    """ "14 feeds: 11 ok, 2 backing off, 1 failing" """
    counts = Counter(str(row["health"]) for row in rows)
    parts = [f"{counts[h]} {h}" for h in HEALTH_ORDER if counts[h]]
    return f"{len(rows)} feed{'s' if len(rows) != 1 else ''}: {', '.join(parts) or 'none'}"


def print_status(config: Config, *, as_json: bool, failing: bool = False) -> None:
    rows = feed_status(config)
    if failing:
        rows = [row for row in rows if row["health"] in ("backing off", "failing")]
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    now = time.time()
    header = ("FEED", "HEALTH", "LAST OK", "NEXT POLL", "SEEN", "LAST ERROR")
    print_table(header, [(str(row["feed"]), str(row["health"]), ago(row["last_success"], now),
                          _next_poll(row, now), str(row["entries_seen"]), _error(row, now)) for row in rows])
    # the errors in full, the host and the cause included, below the table rather than cut inside it
    errors = [f"{row['feed']}: {row['last_error']}" for row in rows if row["last_error"]]
    if errors:
        print("\nlast errors:")
        print("\n".join(f"  {line}" for line in errors))
    over = sorted({str(row["host_over_pace"]) for row in rows if row["host_over_pace"]})
    if over:
        print("\nhosts over their pace (their feeds are polled later than due):")
        print("\n".join(f"  {line}" for line in over))
    print(f"{len(rows)} feed(s) failing or backing off" if failing else summary(rows))


def _next_poll(row: dict[str, object], now: float) -> str:
    return until(row["next_poll"], now) + (" (Retry-After)" if row["retry_after_until"] else "")


def _error(row: dict[str, object], now: float) -> str:
    """When and what kind (`connect`, `http_5xx`...); the error itself is listed in full below."""
    if not row["last_error"]:
        return "-"
    return f"{ago(row['last_error_at'], now)}: {row['last_error_kind'] or 'error'}"


def _row(feed_id: str, enabled: bool, url: str, state: FeedState, host_turn: float | None
         ) -> dict[str, object]:
    held = state.retry_after_until if state.retry_after_until > time.time() else 0.0
    return {
        "feed": feed_id, "enabled": enabled, "url": url, "health": health(enabled, state),
        "last_success": iso(state.last_success), "last_error": state.last_error or None,
        "last_error_kind": state.last_error_kind or None, "last_error_at": iso(state.last_error_at),
        "failures": state.failures, "interval": state.interval or None,
        "next_poll": iso(state.next_due), "entries_seen": state.entries_seen,
        "retry_after_until": iso(held), "host": feed_host(url),
        "host_next_turn": iso(host_turn) if host_turn and host_turn > time.time() else None,
        "health_since": iso(state.health_since),
    }
