"""`newswatch feeds status`: each feed's health as every fetcher replica sees it, from Redis."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from worker.clients.redis import Redis
from worker.config.models import Config
from worker.fetch.canonical import feed_host
from worker.fetch.state import FeedState, FeedStates
from worker.pace import Pacer


def feed_status(config: Config) -> list[dict[str, object]]:
    redis = Redis(config.settings.redis)
    redis.ping()
    try:
        states = FeedStates(redis).load_many([f.id for f in config.feeds])
        hosts = Pacer(redis, "host")
        turns = {host: hosts.next_slot(host) for host in {feed_host(f.url) for f in config.feeds}}
    finally:
        redis.close()
    return [_row(feed.id, feed.enabled, feed.url, states[feed.id], turns[feed_host(feed.url)])
            for feed in config.feeds]


def print_status(config: Config, *, as_json: bool) -> None:
    rows = feed_status(config)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    now = time.time()
    header = ("FEED", "ENABLED", "LAST SUCCESS", "LAST ERROR", "FAILURES", "INTERVAL", "NEXT POLL", "SEEN",
              "HEALTH")
    table = [header]
    for row in rows:
        error = f"{_ago(row['last_error_at'], now)}: {row['last_error']}" if row["last_error"] else "-"
        next_poll = _until(row["next_poll"], now) + (" (Retry-After)" if row["retry_after_until"] else "")
        health = f"{row['health']} for {_ago(row['health_since'], now)[:-4]}" if row["health_since"] else "ok"
        table.append((str(row["feed"]), "yes" if row["enabled"] else "no", _ago(row["last_success"], now),
                      error[:70], str(row["failures"]), _span(row["interval"]),
                      next_poll, str(row["entries_seen"]), health))
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())


def _row(feed_id: str, enabled: bool, url: str, state: FeedState, host_turn: float | None
         ) -> dict[str, object]:
    held = state.retry_after_until if state.retry_after_until > time.time() else 0.0
    return {
        "feed": feed_id, "enabled": enabled, "url": url,
        "last_success": _iso(state.last_success), "last_error": state.last_error or None,
        "last_error_kind": state.last_error_kind or None, "last_error_at": _iso(state.last_error_at),
        "failures": state.failures, "interval": state.interval or None,
        "next_poll": _iso(state.next_due), "entries_seen": state.entries_seen,
        "retry_after_until": _iso(held), "host": feed_host(url),
        "host_next_turn": _iso(host_turn) if host_turn and host_turn > time.time() else None,
        "health": state.health, "health_since": _iso(state.health_since),
    }



def _iso(at: float) -> str | None:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds") if at else None


def _seconds(iso: object) -> float | None:
    return datetime.fromisoformat(iso).timestamp() if isinstance(iso, str) else None


def _ago(iso: object, now: float) -> str:
    at = _seconds(iso)
    return "never" if at is None else f"{_span(now - at)} ago"


def _until(iso: object, now: float) -> str:
    at = _seconds(iso)
    if at is None:
        return "-"
    return "due" if at <= now else f"in {_span(at - now)}"


def _span(seconds: object) -> str:
    if not isinstance(seconds, int | float):
        return "-"
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    return f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"
