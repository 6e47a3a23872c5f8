"""How fast what waited flows out when a destination answers again, against the same POSTs alone.

    python -m bench.redelivery [--alerts N]      (make bench-redelivery; needs `make up`)

After an outage, a destination's parked alerts are sent one after another, in
order (see worker/deliver/redelivery.py): each costs its signed POST plus the
Redis work that makes it exactly once (the ledger check, "delivered and no
longer waiting" in one transaction, an occasional lease renewal). Baseline:
the same alerts, signed and POSTed by the same sender to the same local
receiver in a row, and nothing else. Both run in this process in turn, three
rounds each; the ratio is of the medians. A 10-minute outage at 2 alerts a
second parks 1,200 alerts: the figure says how long they take to drain.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime

from tests.kit.http import Answer, LocalServer
from worker import logs
from worker.adaptations import install
from worker.clients.redis import Redis
from worker.config.models import Config, RedisSettings, Settings, WebhookDestination
from worker.deliver.job import Job
from worker.deliver.redelivery import Redelivery
from worker.deliver.wiring import wire
from worker.records import Alert

SECRET = "whsec_" + "YmVuY2gtcmVkZWxpdmVyeS1zaWduaW5nLWtleQ=="


def alerts(count: int) -> list[Alert]:
    now = datetime.now(UTC)
    return [Alert(id=uuid.uuid4().hex, route="bench", article_id=uuid.uuid4().hex,
                  url=f"https://wire.example/{n}", title=f"Story {n}", feed_id="wire", first_seen=now,
                  score=3.0, entities=[], events=[], keywords=[], config_version="bench",
                  snippet="Harbor Bank said on Monday that attackers had copied customer records.")
            for n in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--alerts", type=int, default=1000)
    args = parser.parse_args()
    install()  # the clients' adaptations, as `newswatch run` installs them
    logs.configure("json", "WARNING")
    store = Redis(RedisSettings(key_prefix=f"bench-redelivery-{uuid.uuid4().hex[:8]}:"))
    server = LocalServer()
    url = server.set("/hook", Answer(200, b"ok"))
    config = Config(settings=Settings(redis=store.settings),
                    destinations=[WebhookDestination(id="hook", type="webhook", url=url, secret=SECRET)])
    wiring = wire(config, store, "deadletter")
    retries, destinations = wiring.retries, wiring.destinations
    redelivery = Redelivery(wiring.deliverer, retries, wiring.ledger, destinations, threading.Event())
    sender = destinations.senders["hook"]
    posts, drains = [], []
    try:
        for _ in range(3):
            batch = alerts(args.alerts)
            started = time.perf_counter()
            for alert in batch:
                sender.send(alert)
            posts.append(args.alerts / (time.perf_counter() - started))
            for alert in alerts(args.alerts):
                retries.parked.park(Job(payload=alert, destination="hook"), due=0)
            started = time.perf_counter()
            redelivery.drain("hook", lambda letters: None)
            drains.append(args.alerts / (time.perf_counter() - started))
            assert retries.parked.waiting("hook").count == 0, "the drain left alerts waiting"
    finally:
        redelivery.close()
        wiring.close()
        server.close()
        store.delete_prefix()
        store.close()
    post, drain = statistics.median(posts), statistics.median(drains)
    print(f"POSTs alone: {post:.0f} alerts/s; drain of parked alerts: {drain:.0f} alerts/s "
          f"(1,200 waiting alerts drain in {1200 / drain:.1f} s)")
    print(f"drain/POST ratio: {drain / post:.2f}")


if __name__ == "__main__":
    main()
