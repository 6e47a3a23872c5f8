"""Structured logs: one JSON object a line in production, readable lines on a terminal.

Every event carries the ids an operator greps for to follow one article
through the stages: `feed`, `article` (the stable article id), `url`, `alert`.
Library logs (kafka-python, APScheduler, trafilatura) go through the same
renderer, at warning and above only (kafka-python's own lines are sorted by
worker/clients/kafka_logs.py, which `worker.adaptations` installs). On a
terminal, durations read as "1h 2m" (JSON lines keep seconds, for machines)
and colours follow the NO_COLOR convention.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import MutableMapping
from typing import Any, Literal

import structlog

# Replaced whole, never changed in place: the reload thread registers secrets while any thread logs,
# and a line masks with the set it read once.
_secrets: frozenset[str] = frozenset()
_secrets_lock = threading.Lock()
_MASK = "***"


def register_secret(value: str | None) -> None:
    """Mask `value` wherever it would appear in a log line (webhook URLs, signing secrets); thread-safe."""
    global _secrets
    if value and len(value) >= 6:
        with _secrets_lock:
            if value not in _secrets:
                _secrets = _secrets | {value}


def _mask(value: Any, secrets: frozenset[str]) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, _MASK)
        return value
    if isinstance(value, dict):
        return {k: _mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v, secrets) for v in value]
    return value


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    secrets = _secrets
    if not secrets:
        return event
    return {key: _mask(value, secrets) for key, value in event.items()}


DURATION_KEYS = frozenset({"next_poll_in", "retry_in", "interval", "period", "age", "backoff"})


def human_duration(seconds: float) -> str:
    """ "1h 2m", "3m 5s", "45s", "2d 3h", "0.4s": the two largest units, as an operator reads them."""
    if seconds < 10:
        return f"{seconds:.2g}s"
    s = int(round(seconds))
    parts = [(s // 86400, "d"), (s % 86400 // 3600, "h"), (s % 3600 // 60, "m"), (s % 60, "s")]
    shown = [f"{n}{unit}" for n, unit in parts if n]
    return " ".join(shown[:2])


def colour_wanted() -> bool:
    """Colour on a terminal unless NO_COLOR is set (https://no-color.org)."""
    return sys.stderr.isatty() and not os.environ.get("NO_COLOR")


def _durations(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in DURATION_KEYS.intersection(event):
        if isinstance(event[key], int | float) and not isinstance(event[key], bool):
            event[key] = human_duration(float(event[key]))
    return event


def configure(fmt: Literal["auto", "json", "console"] = "auto", level: str = "INFO") -> None:
    """Set up structlog and route the standard library's loggers through it."""
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (structlog.processors.JSONRenderer() if json_lines
                     else structlog.dev.ConsoleRenderer(colors=colour_wanted()))
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info if json_lines else structlog.processors.StackInfoRenderer(),
        _redact,
        *(() if json_lines else (_durations,)),
    ]
    # A line below its logger's level is dropped first, before the processors stamp and redact it for
    # nothing (per alert and per page, those lines cost the main process more than the sending of them).
    structlog.configure(
        processors=[structlog.stdlib.filter_by_level, *shared,
                    structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("kafka", "apscheduler", "trafilatura", "htmldate", "courlan", "redis"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    for name, wanted in library_levels(os.environ.get("NEWSWATCH_LOG_LEVELS", "")).items():
        logging.getLogger(name).setLevel(wanted)
    # Apprise logs the service URLs it loads, and those hold credentials; why a notification failed
    # reaches us through its result instead (worker/deliver/apprise.py).
    logging.getLogger("apprise").propagate = False


def library_levels(spec: str) -> dict[str, str]:
    """Parse `logger=LEVEL,...` (NEWSWATCH_LOG_LEVELS), e.g. `kafka.coordinator=DEBUG`.

    The way to see one library's debug lines (a group join, a reconnect) without
    the whole process at DEBUG; a malformed part is an error that names it.
    """
    levels: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, level = part.partition("=")
        if not sep or not name or level.upper() not in logging.getLevelNamesMapping():
            raise ValueError(f"NEWSWATCH_LOG_LEVELS: {part!r} is not logger=LEVEL "
                             f"(for example kafka.coordinator=DEBUG)")
        levels[name.strip()] = level.strip().upper()
    return levels


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
