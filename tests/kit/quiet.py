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


def behind(kafka: Kafka, stages: Iterable[str]) -> dict[str, int]:
    """Records on each stage's input topics that its group has not committed yet (stages behind only)."""
    counts = {}
    for stage in stages:
        progress = kafka.progress(kafka.settings.group_prefix + stage, INPUTS[stage])
        counts[stage] = sum(end - committed for committed, end in progress.values())
    return {stage: count for stage, count in counts.items() if count}


def wait_caught_up(kafka: Kafka, stages: Iterable[str] = tuple(INPUTS), timeout: float = DEADLINE) -> None:
    """Wait until every one of `stages` has committed all it was given, the same ends twice in a row:
    nothing produced before this call is still on its way through them."""
    names = list(stages)
    seen: list[dict[str, int]] = []

    def ends() -> dict[str, int]:
        return {stage: sum(end for _, end in kafka.progress(kafka.settings.group_prefix + stage,
                                                               INPUTS[stage]).values()) for stage in names}

    def caught_up() -> bool:
        before = ends()
        lagging = behind(kafka, names)
        seen.append(lagging)
        return not lagging and ends() == before
    wait_until(caught_up, f"stages {', '.join(names)} to commit everything on their topics", timeout=timeout,
               step=0.2, show=lambda: f"records not yet committed: {seen[-1] if seen else '?'}")


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
