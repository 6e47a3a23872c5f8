"""A digest too big for one Slack message, at a real receiver with the real Redis: each part once, in order.

The receiver stands in for Slack's incoming webhook. Each message it gets
must pass the Slack checker; together they list every alert exactly once,
in the digest's order, also when Slack fails one part and the digest is
retried, or refuses one and the dead letter is replayed. The senders, the
ledger of parts and the pace are the deliver stage's own, on the real Redis.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from tests.deliver.conftest import FAST, config, match
from tests.deliver.slackcheck import problems
from tests.kit.http import Answer, LocalServer, Recorded
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka, Outgoing
from worker.clients.redis import Redis
from worker.config.models import KafkaSettings, Settings
from worker.deliver.alerts import build_alert
from worker.deliver.job import Job
from worker.deliver.stage import Delivery
from worker.health import Health
from worker.records import DeadLetter, Digest, Match, stable_id

TITLE = "Protesters gather outside the ministry as talks on the budget stall for a third day " * 4


def answering(*statuses: int) -> Callable[[Recorded], Answer]:
    """Answer the n-th POST with statuses[n-1], then 200 "ok" for ever."""
    queue, lock = list(statuses), threading.Lock()

    def handler(rec: Recorded) -> Answer:
        with lock:
            status = queue.pop(0) if queue else 200
        return Answer(status, b"ok" if status == 200 else b"invalid_blocks" if status == 400 else b"busy")

    return handler


def digest_of_200() -> tuple[Digest, list[Match]]:
    """A closed period's digest as the flusher loads it (built here, so no test waits on the clock)."""
    matches = [match(title=f"{n:03d} {TITLE}"[:300], destinations=("slack",), digest=60.0)
               for n in range(200)]
    alerts = [build_alert(m, m.routes[0]) for m in matches]
    now = datetime.now(UTC)
    return Digest(id=stable_id("digest", uuid.uuid4().hex), route="conflict", period_start=now,
                  period_end=now, alerts=alerts), matches


def listed(received: list[Recorded], matches: list[Match]) -> list[str]:
    """The article URLs the messages link, in the order they arrived, each message checked."""
    urls = [m.article.url for m in matches]
    out = []
    for post in received:
        message = json.loads(post.body)
        assert problems(message, urls) == []
        out += [line.split("|", 1)[0].removeprefix("• <") for block in message["blocks"]
                if block["type"] == "section" for line in block["text"]["text"].split("\n")]
    return out


def stage_for(settings: Settings, slack_url: str, redis_store: Redis) -> Delivery:
    cfg = config(settings, slack_url=slack_url)
    return Delivery(cfg, Clients(Kafka(cfg.settings.kafka), redis_store), Health())


def settings_for(redis_store: Redis) -> Settings:
    return Settings(redis=redis_store.settings, deliver=FAST.model_copy(update={"slack_min_interval": 0.1}),
                    kafka=KafkaSettings(topic_prefix=f"{redis_store.settings.key_prefix}."))


def test_a_digest_of_200_arrives_in_parts_each_once_in_order(http_server: LocalServer,
                                                             redis_store: Redis) -> None:
    stage = stage_for(settings_for(redis_store), http_server.set("/slack", answering(200, 200, 500)),
                      redis_store)
    digest, matches = digest_of_200()
    job = Job(payload=digest, destination="slack")
    assert stage.deliverer.deliver([job], stage.destinations.current) == (0, [])  # part 3 failed: parked
    letters: list[Outgoing] = []

    def retried() -> bool:
        if stage.deliverer.view(job).sent:
            return True
        stage.redelivery.drain("slack", letters.extend)  # the retry, once its schedule says so
        return False
    wait_until(retried, "the part Slack failed to be sent again", step=0.2)
    posts = http_server.received("/slack", "POST")
    assert letters == [] and len(posts) > 3
    assert posts[2].body == posts[3].body  # the part Slack failed was sent again, alone
    assert listed(posts[:2] + posts[3:], matches) == [m.article.url for m in matches]
    assert stage.deliverer.deliver([job], stage.destinations.current) == (0, [])
    assert len(http_server.received("/slack", "POST")) == len(posts)  # delivered: nothing sent again
    stage.redelivery.close()
    stage.deliverer.close()


def test_a_part_refused_is_a_dead_letter_and_the_replay_sends_only_the_rest(http_server: LocalServer,
                                                                            redis_store: Redis) -> None:
    stage = stage_for(settings_for(redis_store), http_server.set("/slack", answering(200, 400)), redis_store)
    digest, matches = digest_of_200()
    delivered, letters = stage.deliverer.deliver([Job(payload=digest, destination="slack")],
                                                 stage.destinations.current)
    [letter] = [DeadLetter.model_validate_json(o.value) for o in letters]
    assert delivered == 0 and letter.digest == digest and letter.reason == "HTTP 400: invalid_blocks"
    replay = Job(payload=letter.digest, destination="slack", attempts=letter.attempts)
    assert stage.deliverer.deliver([replay], stage.destinations.current) == (1, [])
    posts = http_server.received("/slack", "POST")
    assert posts[1].body == posts[2].body  # the refused part is the first one the replay sends
    assert listed(posts[:1] + posts[2:], matches) == [m.article.url for m in matches]
    stage.deliverer.close()
