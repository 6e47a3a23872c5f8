"""Prometheus metrics of every stage, in one place so their names and labels stay consistent.

Labels are bounded: feed ids, route ids, destination ids, stage names and
fixed reason words. Never a URL, an article or an entity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

from prometheus_client import Counter, Gauge, Histogram

from worker.errors import FetchErrorKind

# The words of the bounded labels that stages pass in: typed, so a misspelt one fails mypy, and listed
# once, so `prime` creates each of them.
PollResult = Literal["ok", "not_modified", "unchanged", "error", "skipped", "paced"]
FetchErrorLabel = Literal[FetchErrorKind, "kafka"]  # kafka: the poll's entries could not be sent
DropKind = Literal["exact", "near"]
ReloadResult = Literal["ok", "refused"]
MutedKind = Literal["story", "entity", "watchlist", "route"]  # records.MuteKind, which metrics cannot import
SkipReason = Literal[  # why a feed item yields no entry (fetch/items.py raises them)
    "unsafe_link",  # a link that is not http(s): javascript:, data:, mailto:...
    "invalid_link",  # a link that does not parse, has no host or is over 2,048 characters
    "no_link_or_id",  # neither a link nor an id: nothing to alert on, nothing to recognise it by
    "no_text",  # an id but no link and no title, summary or content
    "not_an_item",  # a JSON Feed item that is not an object
    "over_limit",  # beyond the first MAX_ITEMS items of the document
    "broken",  # anything else that made the item fail; the warning names the exception
]

# fetch
POLLS = Counter("newswatch_fetch_polls_total", "Feed polls by outcome", ["result"])
FETCH_ERRORS = Counter("newswatch_fetch_errors_total", "Failed feed polls by kind of error", ["kind"])
NEW_ENTRIES = Counter("newswatch_fetch_entries_total", "New entries sent to the entries topic")
ITEMS_SKIPPED = Counter("newswatch_fetch_items_skipped_total",
                        "Feed items that could not become entries (the others went on), by reason",
                        ["reason"])
FEED_LAST_SUCCESS = Gauge("newswatch_feed_last_success_timestamp_seconds",
                          "When each feed was last polled successfully", ["feed"])
FEED_FAILURES = Gauge("newswatch_feed_consecutive_failures", "Failed polls in a row, per feed", ["feed"])
FEEDS_IN_BACKOFF = Gauge("newswatch_feeds_in_backoff", "Feeds whose last poll failed and that wait longer")

# extract
ARTICLES = Counter("newswatch_extract_articles_total", "Articles produced, by where the text came from",
                   ["source"])
FALLBACKS = Counter("newswatch_extract_fallbacks_total", "Articles that fell back to the feed's text",
                    ["reason"])
EXTRACT_SECONDS = Histogram("newswatch_extract_seconds", "Time to extract one page and build its article",
                            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))

# match
MATCHED_ARTICLES = Counter("newswatch_match_articles_total", "Articles run through the matcher")
MATCHES = Counter("newswatch_matches_total", "Routes that fired, by route", ["route"])
CONFIG_INFO = Gauge("newswatch_config_info", "The loaded config's version (1 for the current one)",
                    ["version"])
RELOADS = Counter("newswatch_config_reloads_total", "Config reloads by result", ["result"])
MUTED = Counter("newswatch_muted_total", "Fired routes a mute held back (recorded, not sent), by what "
                "was muted: story, entity, watchlist or route", ["kind"])

# dedup
DEDUP_DROPS = Counter("newswatch_dedup_dropped_total", "Alerts not sent because they repeat one",
                      ["kind"])

# deliver
SENT = Counter("newswatch_alerts_sent_total", "Alerts delivered, by destination", ["destination"])
RETRIED = Counter("newswatch_alerts_retried_total", "Delivery attempts retried, by destination",
                  ["destination"])
DEAD = Counter("newswatch_alerts_dead_lettered_total", "Alerts sent to the dead-letter topic",
               ["destination"])
DESTINATION_STATE = Gauge("newswatch_destination_state",
                          "1 for each destination's current state: ok, retrying (some alerts wait for "
                          "a retry), failing (its last attempt failed, e.g. refused with 410) or open "
                          "(its breaker holds everything back)", ["destination", "state"])
WAITING = Gauge("newswatch_destination_waiting_alerts", "Alerts parked, waiting for a retry, by destination",
                ["destination"])
OLDEST_WAITING = Gauge("newswatch_destination_oldest_waiting_seconds",
                       "How long the destination's oldest waiting alert has waited (0: none waits)",
                       ["destination"])
LATENCY = Histogram("newswatch_alert_latency_seconds",
                    "From an entry's first sight to the receiver's acknowledgement",
                    buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600))

# every consumer stage
LAG = Gauge("newswatch_consumer_lag", "Messages not yet consumed", ["group", "topic", "partition"])
REJECTED = Counter("newswatch_records_rejected_total",
                   "Records moved to the rejected topic: unreadable, or failing for their own sake",
                   ["stage"])
STAGE_PARTITIONS = Gauge("newswatch_stage_partitions",
                         "Partitions of its topic this process's stage owns now", ["stage"])
BATCH_ERRORS = Counter("newswatch_batch_errors_total", "Batches that failed and were retried", ["stage"])


def prime(stages: Iterable[str], routes: Iterable[str], destinations: Iterable[str]) -> None:
    """Create every known label set at zero, so `increase()` sees a counter's first event.

    A labelled counter that first appears at 1 looks to Prometheus like it
    always was 1; alert rules on "any dead letter" would miss the first one.
    """
    for stage in stages:
        REJECTED.labels(stage)
        BATCH_ERRORS.labels(stage)
    words: list[tuple[Counter, tuple[str, ...]]] = [
        (POLLS, get_args(PollResult)), (FETCH_ERRORS, get_args(FetchErrorLabel)),
        (ITEMS_SKIPPED, get_args(SkipReason)), (RELOADS, get_args(ReloadResult)),
        (DEDUP_DROPS, get_args(DropKind)), (MUTED, get_args(MutedKind))]
    for counter, labels in words:
        for word in labels:
            counter.labels(word)
    for route in routes:
        MATCHES.labels(route)
    for destination in destinations:
        for counter in (SENT, RETRIED, DEAD):
            counter.labels(destination)
