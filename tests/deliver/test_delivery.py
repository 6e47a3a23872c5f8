"""Delivery against the real Redis and a local receiver: once each, retries, dead letters, pace, digests."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from tests.deliver.conftest import FAST, SECRET, config, match
from tests.kit.http import Answer, LocalServer, Recorded
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.clients.redis import Redis
from worker.config import load_config
from worker.config.models import Config, KafkaSettings, Settings
from worker.deliver.alerts import build_alert
from worker.deliver.digest import Digests
from worker.deliver.job import Job
from worker.deliver.redelivery import Redelivery
from worker.deliver.stage import DeliverCore, Delivery
from worker.deliver.wiring import wire
from worker.health import Health
from worker.records import Alert, DeadLetter, Digest, Match, Mute

MESSAGE = Message("matches", 0, 0, None, None, 0)
Make = Callable[..., "Harness"]


def answers(*statuses: int, headers: dict[str, str] | None = None) -> Callable[[Recorded], Answer]:
    """A receiver that answers each POST with the next status, then 200 for ever."""
    queue = list(statuses)
    lock = threading.Lock()

    def handler(rec: Recorded) -> Answer:
        with lock:
            status = queue.pop(0) if queue else 200
        return Answer(status, b"nope" if status >= 300 else b"ok", (headers or {}) if status == 429 else {})

    return handler


@pytest.fixture
def settings(redis_store: Redis) -> Settings:
    return Settings(redis=redis_store.settings, deliver=FAST,
                    kafka=KafkaSettings(topic_prefix=f"{redis_store.settings.key_prefix}."))


class Harness:
    def __init__(self, cfg: Config, store: Redis) -> None:
        wiring = wire(cfg, store, "deadletter")
        self.ledger, self.destinations = wiring.ledger, wiring.destinations
        self.retries, self.deliverer = wiring.retries, wiring.deliverer
        self.redelivery = Redelivery(self.deliverer, self.retries, self.ledger, self.destinations,
                                     threading.Event())
        self.core = DeliverCore(self.destinations, self.deliverer, Digests(store, self.ledger))
        self.letters: list[DeadLetter] = []

    def handle(self, *matches: Match) -> list[DeadLetter]:
        out = self.core.handle([(MESSAGE, m) for m in matches])
        return [DeadLetter.model_validate_json(o.value) for o in out]

    def redeliver_until(self, done: Callable[[], bool], what: str) -> bool:
        """Run the redelivery loop's ticks (as its thread does) until `done`; dead letters are kept."""
        def produce(out: Iterable[Outgoing]) -> None:
            self.letters += [DeadLetter.model_validate_json(o.value) for o in out]

        def ticked() -> bool:
            if done():
                return True
            self.redelivery.tick(produce)
            return False
        return wait_until(ticked, what, step=0.02)

    def waiting(self, destination: str = "hook") -> int:
        return self.retries.parked.waiting(destination).count


@pytest.fixture
def harness_for(redis_store: Redis, settings: Settings) -> Iterator[Make]:
    made: list[Harness] = []

    def make(**urls: str) -> Harness:
        made.append(Harness(config(settings, **urls), redis_store))
        return made[-1]

    yield make
    for h in made:
        h.redelivery.close()
        h.deliverer.close()


def test_webhook_is_signed_once_and_verifiable(http_server: LocalServer, harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", status=200))
    m = match()
    assert h.handle(m) == []
    [post] = http_server.received("/hook", "POST")
    Webhook(SECRET).verify(post.body, post.headers)
    alert = Alert.model_validate_json(post.body)
    assert post.headers["webhook-id"] == alert.id == m.routes[0].alert_id
    assert alert.snippet == m.events[0].evidence and alert.url == m.article.url


def test_an_unsigned_webhook_still_carries_its_stable_webhook_id_and_a_timestamp(
        http_server: LocalServer, redis_store: Redis, settings: Settings) -> None:
    """Standard Webhooks without the signature: the id drops repeats, the timestamp stale replays."""
    before = int(time.time())
    h = Harness(config(settings, hook_url=http_server.set("/hook", answers(500)), secret=None), redis_store)
    m = match()
    try:
        assert h.handle(m) == []  # the 500 parks it; the retry brings the same id
        h.redeliver_until(lambda: len(http_server.received("/hook", "POST")) == 2, "a second hook post")
    finally:
        h.redelivery.close()
        h.deliverer.close()
    posts = http_server.received("/hook", "POST")
    assert [p.headers["webhook-id"] for p in posts] == [m.routes[0].alert_id] * 2
    assert "webhook-signature" not in posts[0].headers
    stamps = [int(p.headers["webhook-timestamp"]) for p in posts]
    assert before <= stamps[0] <= stamps[1] <= int(time.time())  # the time of each attempt


def test_500_then_200_is_parked_then_delivered_once_and_not_again(http_server: LocalServer,
                                                                 harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", answers(500)))
    m = match()
    assert h.handle(m) == [] and h.waiting() == 1  # parked: the batch may be committed
    assert h.handle(m) == [] and h.waiting() == 1  # the batch read again after a crash: parked once
    h.redeliver_until(lambda: h.waiting() == 0, "no alert waiting for the hook")
    assert h.handle(m) == []  # and read again after delivery: not sent again
    h.redelivery.tick(lambda out: None)
    posts = http_server.received("/hook", "POST")
    assert [p.headers["webhook-id"] for p in posts] == [m.routes[0].alert_id] * 2
    assert h.letters == []


def test_429_retry_after_is_respected(http_server: LocalServer, harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", answers(429, headers={"Retry-After": "1"})))
    assert h.handle(match()) == []
    h.redeliver_until(lambda: len(http_server.received("/hook", "POST")) == 2, "a second post to the hook")
    first, second = http_server.received("/hook", "POST")
    assert second.at - first.at >= 1.0


def test_a_4xx_is_a_dead_letter_at_once(http_server: LocalServer, harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", status=400, body=b"bad payload"))
    m = match()
    [letter] = h.handle(m)
    assert len(http_server.received("/hook", "POST")) == 1
    assert letter.destination == "hook" and letter.reason == "HTTP 400: bad payload" and letter.attempts == 1
    assert letter.alert is not None and letter.alert.id == m.routes[0].alert_id


def test_alerts_behind_a_failing_one_wait_unsent_in_the_batch(http_server: LocalServer,
                                                              harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", status=503))
    assert h.handle(*[match() for _ in range(5)]) == []
    assert len(http_server.received("/hook", "POST")) == 1  # the rest join the queue behind it
    assert h.waiting() == 5


def test_a_match_twice_in_one_batch_is_sent_once(http_server: LocalServer, harness_for: Make) -> None:
    """The batch's views are read at once, before either copy is sent: the second is still skipped."""
    h = harness_for(hook_url=http_server.set("/hook", status=200))
    m, other = match(), match()
    assert h.handle(m, other, m) == []
    posts = http_server.received("/hook", "POST")
    assert [p.headers["webhook-id"] for p in posts] == [m.routes[0].alert_id, other.routes[0].alert_id]


def test_alerts_after_a_refused_one_are_still_sent_in_the_batch(http_server: LocalServer,
                                                                harness_for: Make) -> None:
    """A 4xx is an answer: the breaker stays closed, so the alerts behind the dead letter go out."""
    h = harness_for(hook_url=http_server.set("/hook", answers(400, 200, 200)))
    letters = h.handle(*[match() for _ in range(3)])
    assert len(letters) == 1 and len(http_server.received("/hook", "POST")) == 3 and h.waiting() == 0


def test_no_secret_in_logs_parked_alerts_or_dead_letters(harness_for: Make, redis_store: Redis,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    h = harness_for(hook_url="http://127.0.0.1:1/hooks/T0KEN-s3cr3t-PATH")
    with caplog.at_level(logging.DEBUG):
        assert h.handle(match()) == []
        parked = {k: redis_store.dump(k) for k in redis_store.scan(f"{redis_store.settings.key_prefix}*")}
        h.redeliver_until(lambda: len(h.letters) == 1, "a dead letter")
    [letter] = h.letters
    assert "s3cr3t" not in caplog.text and "s3cr3t" not in letter.to_json().decode()
    assert not any(b"s3cr3t" in (v or b"") for v in parked.values())
    assert letter.reason.startswith("connect")


def test_slack_message_and_pace(http_server: LocalServer, harness_for: Make) -> None:
    h = harness_for(slack_url=http_server.set("/slack", status=200, body=b"ok"))
    first, second = match(destinations=("slack",)), match(title="A <second> & last", destinations=("slack",))
    started = time.monotonic()
    assert h.handle(first, second) == []
    # the second POST waited for its slot; measured here, since a busy server may record arrivals late
    assert time.monotonic() - started >= FAST.slack_min_interval
    a, b = http_server.received("/slack", "POST")
    message = json.loads(b.body)
    assert message["text"] == "[conflict] A &lt;second&gt; &amp; last"  # the notification is mrkdwn too
    assert message["blocks"][0]["text"]["text"] == f"*<{second.article.url}|A &lt;second&gt; &amp; last>*"
    fields = json.dumps(message["blocks"][2])
    assert "Islamic State" in fields and "captured" in fields


def test_console_prints_the_alert(harness_for: Make, capsys: pytest.CaptureFixture[str]) -> None:
    h = harness_for()
    m = match(destinations=("console",))
    h.handle(m)
    out = capsys.readouterr().out
    assert "== ALERT [conflict] IS fighters seize Palmyra" in out and m.article.url in out
    assert "Islamic State (group)" in out and "captured" in out


def test_a_digest_is_sent_once_when_its_period_closes(http_server: LocalServer, redis_store: Redis,
                                                      settings: Settings) -> None:
    cfg = config(settings, hook_url=http_server.set("/hook", status=200))
    kafka = Kafka(cfg.settings.kafka)
    stages = [Delivery(cfg, Clients(kafka, redis_store), Health()) for _ in range(2)]
    matches = [match(destinations=("hook",), digest=1.0) for _ in range(3)]
    stages[0].consumer.core.handle([(MESSAGE, m) for m in matches])
    stages[1].consumer.core.handle([(MESSAGE, matches[0])])  # read again by another replica
    assert http_server.received("/hook", "POST") == []
    wait_until(stages[0].digests.due, "the digest period to close")
    threads = [threading.Thread(target=s.flush, args=(lambda letters: None,)) for s in stages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [post] = http_server.received("/hook", "POST")
    Webhook(SECRET).verify(post.body, post.headers)
    digest = Digest.model_validate_json(post.body)
    assert sorted(a.article_id for a in digest.alerts) == sorted(m.id for m in matches)
    assert post.headers["webhook-id"] == digest.id
    assert all(s.flush(lambda letters: None) == 0 for s in stages)  # nothing left to send
    for s in stages:
        s.deliverer.close()


def test_routes_sharing_a_destination_send_one_message_naming_both(http_server: LocalServer,
                                                                   harness_for: Make) -> None:
    h = harness_for(hook_url=http_server.set("/hook", status=200))
    m = match(routes=("conflict", "syria"), destinations=("hook",))
    first, second = m.routes
    m = m.model_copy(update={"routes": [first, second.model_copy(update={"shared": ["hook"]})]})
    assert h.handle(m) == []
    [post] = http_server.received("/hook", "POST")
    alert = Alert.model_validate_json(post.body)
    assert alert.id == first.alert_id and alert.route == "conflict" and alert.routes == ["conflict", "syria"]
    assert h.handle(m) == [] and len(http_server.received("/hook", "POST")) == 1  # read again: sent once


def test_an_alert_for_a_disabled_destination_is_dead_lettered_with_the_reason(
        tmp_path: Path, redis_store: Redis, settings: Settings) -> None:
    (tmp_path / "dest.yaml").write_text(
        "destinations:\n  - id: slack\n    type: slack\n    url: ${SLACK_URL}\n    optional: true\n")
    cfg = load_config(tmp_path, environ={}).model_copy(update={"settings": settings})
    h = Harness(cfg, redis_store)
    try:
        m = match(destinations=("slack",))
        [letter] = h.handle(m)
        assert letter.reason == "destination disabled: SLACK_URL unset"
        assert letter.alert is not None and letter.alert.id == m.routes[0].alert_id
        assert letter.destination == "slack" and letter.attempts == 0
    finally:
        h.deliverer.close()


def test_a_muted_decision_is_never_sent(harness_for: Make, capsys: pytest.CaptureFixture[str]) -> None:
    h = harness_for()
    m = match(routes=("conflict", "syria"), destinations=("console",))
    first, second = m.routes
    mute = Mute(kind="entity", id="islamic-state", until=datetime.now(UTC) + timedelta(hours=1), by="alice")
    held = first.model_copy(update={"status": "muted", "mute": mute})
    h.handle(m.model_copy(update={"routes": [held, second]}))
    out = capsys.readouterr().out
    assert "== ALERT [syria]" in out and "[conflict]" not in out


def test_views_give_each_job_its_mark_and_its_destinations_queue_and_breaker(harness_for: Make) -> None:
    """One atomic read for jobs of two destinations: each job's own ledger mark, its destination's queue
    and breaker."""
    h = harness_for()
    m, sent, waits = match(), match(), match()
    jobs = [Job(payload=build_alert(x, x.routes[0]), destination=d)
            for x, d in ((m, "hook"), (sent, "slack"), (waits, "hook"), (m, "slack"))]
    h.ledger.mark_sent(jobs[1].id, "slack")
    h.retries.parked.park(jobs[2], due=time.time() + 3600)
    h.retries.breakers.failed("slack", FAST.retry, "HTTP 503")
    views = h.deliverer.views(jobs)
    assert [v.sent for v in views] == [False, True, False, False]
    assert [v.waiting for v in views] == [1, 0, 1, 0]
    assert [v.breaker.failures for v in views] == [0, 1, 0, 1]
