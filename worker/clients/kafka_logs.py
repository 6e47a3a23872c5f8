"""kafka-python's own log lines, read once: outages counted, self-healing chatter quietened.

kafka-python logs, rather than raises, most of what goes wrong on its I/O
thread. Three kinds, one word list each:

- a broker that cannot be reached: several lines a second during an outage.
  Where the line carries kafka-python's exception (most do, as an argument),
  its type says so (`UNREACHABLE`); a few say it in words only. The first
  such line reports the outage to this process's tracker, which logs it once;
  the lines themselves are dropped;
- a group coordinator or a partition leader not ready yet, a topic not yet
  known, a slow step of the I/O loop: in the first second of every start and
  after a broker restart, retried by the library itself. Shown at debug
  (when the process logs at debug), otherwise dropped;
- anything else: kept as it is.

The newest warning that names a consumer group is kept for that group: the
stall warning of a stage whose consumer cannot join shows it.
`worker.adaptations.install` puts the one filter on kafka-python's loggers.
"""

from __future__ import annotations

import logging
import threading

from worker.clients import outage
from worker.clients.kafka_errors import UNREACHABLE

_UNREACHABLE_WORDS = ("socket disconnected", "No node available", "not ready; waiting", "Connection failed",
                      "Error receiving network data", "ECONNREFUSED", "KafkaConnectionError",
                      "NodeNotReadyError", "KafkaTimeoutError", "RequestTimedOutError")
_NOT_READY_WORDS = ("NotCoordinator", "CoordinatorNotAvailable", "CoordinatorLoadInProgress",
                    "coordinator dead", "is loading the group", "NotLeaderForPartition", "LeaderNotAvailable",
                    "UnknownTopicOrPartition", "blocking the event loop")


class KafkaLines(logging.Filter):
    """The one filter on kafka-python's loggers (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.groups: dict[str, str] = {}
        self.guard = threading.Lock()
        self.outage: outage.Outage | None = None  # this process's Kafka, set by its `Kafka`

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING or record.levelno >= logging.CRITICAL:
            return True  # asked for (NEWSWATCH_LOG_LEVELS), or too grave to quieten
        text = record.getMessage()
        self._remember(text)
        if unreachable(record, text):
            if self.outage is not None:
                self.outage.failed(record.name, text)
            return False
        if not any(word in text for word in _NOT_READY_WORDS):
            return True
        if logging.getLogger().level > logging.DEBUG:
            return False
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True

    def _remember(self, text: str) -> None:
        with self.guard:
            for group in self.groups:
                if group in text:
                    self.groups[group] = text[:500]


def unreachable(record: logging.LogRecord, text: str) -> bool:
    """Whether the line says no broker answers: by the type of the exception it carries (kafka-python's
    own, or the socket's), else, for the lines that carry none, by their words."""
    args = record.args if isinstance(record.args, tuple) else ()
    errors = [a for a in args if isinstance(a, BaseException)]
    if record.exc_info and record.exc_info[1] is not None:
        errors.append(record.exc_info[1])
    if any(isinstance(e, UNREACHABLE + (ConnectionError, TimeoutError)) for e in errors):
        return True
    return any(word in text for word in _UNREACHABLE_WORDS)


lines = KafkaLines()


def install() -> None:
    """Put `lines` on kafka-python's loggers, once (they exist once worker.clients.kafka is imported)."""
    names = [n for n in logging.root.manager.loggerDict if n == "kafka" or n.startswith("kafka.")]
    for name in ["kafka", *names]:
        logger = logging.getLogger(name)
        if lines not in logger.filters:
            logger.addFilter(lines)


def recognise(exc: BaseException) -> outage.Outage | None:
    """This process's Kafka outage, for an error that says no broker answers."""
    return lines.outage if isinstance(exc, UNREACHABLE) else None
