"""Nothing more on its way: how tests show that something did not happen, against offsets, not time.

Waiting a while and seeing nothing proves nothing on a loaded machine. What
does: every stage has committed the end of its input topic (the same ends
seen twice in a row), so everything produced so far has been handled; and,
with the fetch stage running, every feed has been polled since what it serves
last changed, so what those polls found has been produced. After that, what
did not arrive will not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from tests.kit.waiting import DEADLINE, wait_until
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.fetch.state import FeedStates

# The stages' consumer groups (named after the stage) and the topics they take.
INPUTS: Mapping[str, Sequence[str]] = {"extract": ["entries"], "match": ["articles"], "deliver": ["matches"],
                                       "deliver-notices": ["notices"]}


def progress(kafka: Kafka, stages: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Per stage: records its group has committed on its input topics, and records on them."""
    totals = {}
    for stage in stages:
        partitions = kafka.progress(kafka.settings.group_prefix + stage, INPUTS[stage]).values()
        totals[stage] = (sum(committed for committed, _ in partitions), sum(end for _, end in partitions))
    return totals


def wait_caught_up(kafka: Kafka, stages: Iterable[str] = tuple(INPUTS), timeout: float = DEADLINE) -> None:
    """Wait until every one of `stages` has committed all it was given, twice in a row with nothing
    produced in between: nothing produced before this call is still on its way through them."""
    names = list(stages)
    seen: list[dict[str, tuple[int, int]]] = []

    def caught_up() -> bool:
        seen.append(progress(kafka, names))
        return len(seen) > 1 and seen[-1] == seen[-2] and all(c == e for c, e in seen[-1].values())
    wait_until(caught_up, f"stages {', '.join(names)} to commit everything on their topics", timeout=timeout,
               step=0.2, show=lambda: f"committed and produced: {seen[-1] if seen else '?'}")


def wait_polled_since(config: Config, moment: float, timeout: float = DEADLINE) -> None:
    """Wait until every feed of `config` has had a poll that began after `moment` (time.time()) and
    finished: its entries are on the topic."""
    store = Redis(config.settings.redis)
    ids = [feed.id for feed in config.feeds if feed.enabled]
    try:
        def stale() -> list[str]:
            states = FeedStates(store).load_many(ids)
            return [feed for feed in ids if states[feed].last_poll <= moment]
        wait_until(lambda: not stale(), "a poll of every feed", timeout=timeout, show=stale)
    finally:
        store.close()


def wait_settled(config: Config, since: float, timeout: float = DEADLINE) -> None:
    """The whole pipeline on `config` has handled what its feeds serve: each feed polled after `since`
    (time.time() of the last change to what they serve; 0 for feeds that never change), and every
    stage caught up with what those polls produced."""
    wait_polled_since(config, since, timeout)
    wait_caught_up(Kafka(config.settings.kafka), timeout=timeout)
