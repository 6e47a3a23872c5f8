"""The periodic health line, from the feeds' state in the real Redis and this process's counters."""

from __future__ import annotations

from worker import metrics
from worker.clients.redis import Redis
from worker.config.models import Config, Feed, Settings
from worker.fetch.state import FeedState, FeedStates
from worker.heartbeat import Heartbeat


def test_the_line_counts_feeds_by_health_and_alerts_sent(redis_store: Redis) -> None:
    config = Config(settings=Settings(redis=redis_store.settings), feeds=[
        Feed(id=name, url=f"https://example.org/{name}.xml") for name in ("a", "b", "c", "d")])
    states = FeedStates(redis_store)
    states.save("a", FeedState(last_success=1.0))
    states.save("b", FeedState(last_success=1.0, failures=1))
    states.save("c", FeedState(failures=4))
    beat = Heartbeat(redis_store, every=300)
    metrics.SENT.labels("heartbeat-test").inc(3)
    line = beat.line(config, now=beat.started + 120)
    assert line == "4 feeds: 1 ok, 1 backing off, 1 failing, 1 not polled yet; 3 alerts sent in the last 2m"
    assert beat.beat(config) is None  # the first is due a minute after the start
    metrics.DEAD.labels("heartbeat-test").inc()
    later = beat.line(config, now=beat.started + 4000)  # the sent ones are over an hour old
    assert later.endswith("; 0 alerts sent in the last hour, 1 dead-lettered (`newswatch dlq list`)")
