"""What the process changes in its libraries, installed in this one place, once, by whoever needs it.

Nothing here happens on import: `newswatch run` (app.run) and the commands
that talk to Kafka or Redis (cli.py) call `install`, the tests once for the
session (tests/conftest.py). It is idempotent, so a second call changes
nothing. What it installs:

- kafka-python's group-join fix (clients/group_join.py), for the one version
  it was written against;
- the one filter on kafka-python's log lines (clients/kafka_logs.py), and the
  one that drops APScheduler's warning per skipped poll (the fetch stage
  counts skips and sums them up once a minute);
- how each client recognises its service's outage (clients/outage.py).

One change lives with its user instead: the extraction's gate on trafilatura's
comparison with readability (extract/comparison.py) acts only inside our own
extraction, in whichever process runs it, and installs itself there.
"""

from __future__ import annotations

import logging
import threading

from worker.clients import group_join, kafka_logs, outage
from worker.clients import redis as redis_client
from worker.logs import get_logger

log = get_logger(__name__)
_lock = threading.Lock()
_installed = False


class _NoSkipWarnings(logging.Filter):
    """Drop APScheduler's warning per skipped run; the fetch stage counts skips and sums them up."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in str(record.msg)


def install() -> None:
    """Install every adaptation (see the module docstring), once per process."""
    global _installed
    with _lock:
        if _installed:
            return
        if not group_join.apply():
            log.warning("kafka-python is not the version the group-join fix was written for; a consumer may "
                        "be left without partitions (the stage recreates it after a while)",
                        fixed=group_join.FIXED_VERSION)
        kafka_logs.install()
        logging.getLogger("apscheduler.scheduler").addFilter(_NoSkipWarnings())
        outage.recognise(kafka_logs.recognise)
        outage.recognise(redis_client.recognise)
        _installed = True
