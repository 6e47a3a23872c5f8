"""Structured logs: one JSON object a line in production, readable lines on a terminal.

Every event carries the ids an operator greps for to follow one article
through the stages: `feed`, `article` (the stable article id), `url`, `alert`.
Library logs (kafka-python, APScheduler, trafilatura) go through the same
renderer. Values registered as secrets are masked in every line.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, Literal

import structlog

_secrets: set[str] = set()
_MASK = "***"


def register_secret(value: str | None) -> None:
    """Mask `value` wherever it would appear in a log line (webhook URLs, signing secrets)."""
    if value and len(value) >= 6:
        _secrets.add(value)


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        for secret in _secrets:
            if secret in value:
                value = value.replace(secret, _MASK)
        return value
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v) for v in value]
    return value


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    if not _secrets:
        return event
    return {key: _mask(value) for key, value in event.items()}


def configure(fmt: Literal["auto", "json", "console"] = "auto", level: str = "INFO") -> None:
    """Set up structlog and route the standard library's loggers through it."""
    json_lines = fmt == "json" or (fmt == "auto" and not sys.stderr.isatty())
    renderer: Any = (structlog.processors.JSONRenderer() if json_lines
                     else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty()))
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info if json_lines else structlog.processors.StackInfoRenderer(),
        _redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
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
    root.setLevel(level)
    for noisy in ("kafka", "apscheduler", "trafilatura", "htmldate", "courlan", "httpx", "httpcore", "redis"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    # Apprise logs the service URLs it loads, and those hold credentials; why a notification failed
    # reaches us through its result instead (worker/deliver/apprise.py).
    logging.getLogger("apprise").propagate = False


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
