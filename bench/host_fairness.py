"""Fairness under a host's pace: many feeds on one host asking for more polls than its pace allows.

    python -m bench.host_fairness [--feeds N] [--interval S] [--seconds S]   (make bench-fairness)

A local server holds `--feeds` RSS feeds on one host, each with an interval of
`--interval` seconds (by default 20 feeds at 2 s: ten times what the 1 s
`fetch.host_interval` lets through), polled by one fetch stage with 8 workers,
on a fresh start. Printed: when each feed was first polled (seconds after the
start, and in slots of the host's pace), the longest gap between two polls of
one feed once every feed has joined the host's line, and polls per feed. Fair
service means no feed waits more than the feed count in slots.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Sequence

from tests.fetch.feeds import rss
from tests.kit.http import LocalServer
from tests.kit.running import running_stages
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config.models import (
    Config,
    Feed,
    FetchSettings,
    HttpSettings,
    KafkaSettings,
    RedisSettings,
    Settings,
)

PACE = 1.0  # fetch.host_interval, its default


def measure(feeds: int, interval: float, seconds: float) -> None:
    unique = uuid.uuid4().hex[:10]
    kafka_settings = KafkaSettings(topic_prefix=f"bench-{unique}.", group_prefix=f"bench-{unique}-",
                                   partitions=1)
    redis_settings = RedisSettings(key_prefix=f"bench-{unique}:")
    kafka, redis = Kafka(kafka_settings, client_id="bench-fairness"), Redis(redis_settings)
    server = LocalServer()
    kafka.ensure_topics()
    paths = [f"/f{i}" for i in range(feeds)]
    for path in paths:
        server.set(path, body=rss(server.url("")))
    settings = Settings(kafka=kafka_settings, redis=redis_settings,
                        http=HttpSettings(allow_private_hosts=["127.0.0.1"]),
                        fetch=FetchSettings(workers=8, min_interval=1, host_interval=PACE))
    config = Config(settings=settings, feeds=[Feed(id=p[1:], url=server.url(p), interval=interval)
                                              for p in paths])
    try:
        start = time.time()
        with running_stages(config, Clients(kafka, redis), "fetch"):
            time.sleep(seconds)
        polls = {p: [r.at - start for r in server.received(p)] for p in paths}
    finally:
        server.close()
        redis.delete_prefix()
        redis.close()
        kafka.delete_topics()
    report(polls, seconds)


def report(polls: dict[str, list[float]], seconds: float) -> None:
    firsts = [at[0] for at in polls.values() if at]
    joined = FetchSettings().jitter  # every job has fired once within fetch.jitter of the start
    gaps = [b - a for at in polls.values() for a, b in zip(at, at[1:], strict=False) if a > joined]
    counts = sorted(len(at) for at in polls.values())
    total = sum(counts)
    print(f"{len(polls)} feeds on one host, {seconds:.0f} s: {total} requests ({total / seconds:.2f}/s, "
          f"pace {1 / PACE:.2f}/s)")
    print("first poll per feed, s after start:",
          " ".join(f"{at[0]:.1f}" if at else "-" for at in polls.values()))
    print(f"feeds polled: {len(firsts)}/{len(polls)}; last first poll {max(firsts, default=0):.1f} s = "
          f"{max(firsts, default=0) / PACE:.0f} slots")
    longest = max(gaps, default=0.0)
    print(f"longest gap between two polls of one feed after {joined:.0f} s: {longest:.1f} s = "
          f"{longest / PACE:.0f} slots (fair bound: {len(polls)} slots)")
    print(f"polls per feed: min {counts[0]}, median {counts[len(counts) // 2]}, max {counts[-1]}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=90.0)
    args = parser.parse_args(argv)
    measure(args.feeds, args.interval, args.seconds)


if __name__ == "__main__":
    main()
