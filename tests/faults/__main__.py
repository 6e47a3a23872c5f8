"""The fault suite: the whole pipeline under one injected fault per experiment, counted at the receiver.

    python -m tests.faults [--faults broker-kill,redis-kill] [--duration 60] [--rate 2]
    make test-faults [FAULTS=broker-kill,...]

Per experiment: a fresh topic/group/key prefix; 20 local feeds gaining
`--rate` items a second for `--duration` seconds, each item an article that
names one watched city, so each must become exactly one alert at the signed
webhook receiver; `newswatch run` with every stage (and a second one for
worker-kill); the fault `--fault-at` seconds in; then a drain until every
item is delivered or nothing has arrived for `--quiet` seconds. One line each:

    fault: <name> published N delivered N duplicates N dead letters N recovery S

recovery: seconds from the end of the fault (the service answers again, the
receiver is back, the worker was killed, the bad records were written) to the
first alert delivered after it. Worker logs stay in the run folder printed last.
"""

from __future__ import annotations

import argparse
import json
import signal
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.faults.rig import Feeds, Services, Workers, dead_letters, receiver, run_kafka
from tests.kit.process import free_port
from tests.kit.quiet import wait_caught_up
from tests.kit.receiver import Receiver
from tests.kit.waiting import wait_until
from worker.adaptations import install
from worker.clients.kafka import Kafka, Outgoing
from worker.clients.redis import Redis
from worker.config.models import RedisSettings

DRAIN_MAX = 900.0


@dataclass
class Run:
    name: str
    services: Services
    workers: Workers
    feeds: Feeds
    receiver: Receiver
    prefix: str


def _broker_term(run: Run) -> None:
    run.services.kafka.signal(signal.SIGTERM)
    run.services.kafka.up()


def _broker_kill(run: Run) -> None:
    run.services.kafka.signal(signal.SIGKILL)
    time.sleep(30)
    run.services.kafka.up()


def _worker_kill(run: Run) -> None:
    run.workers.kill(run.workers.processes[1])


def _bad_json(run: Run) -> None:
    kafka = run_kafka(run.services.bootstrap, run.prefix)
    producer = kafka.producer()
    bad = [b"not json at all", b'{"version": 1}', b"[1, 2, 3]", b'{"id": 5, "url": []}', b"\xff\xfe"]
    producer.send_all([Outgoing(kafka.topic(topic), f"bad-{i}", value)
                       for topic in ("entries", "articles", "matches") for i, value in enumerate(bad)])
    producer.close()


def _receiver_hang(run: Run) -> None:
    run.receiver.hang_until = time.monotonic() + 60
    time.sleep(60)


def _receiver_down(seconds: float) -> Callable[[Run], None]:
    def fault(run: Run) -> None:
        run.receiver.server.down()
        time.sleep(seconds)
        run.receiver.server.up()
    return fault


def _redis_kill(run: Run) -> None:
    run.services.redis.signal(signal.SIGKILL)
    time.sleep(20)
    run.services.redis.up()


def _redis_lost(run: Run) -> None:
    run.services.redis.signal(signal.SIGTERM)
    run.services.redis.up(NEWSWATCH_REDIS_PERSISTENCE="none")


EXPERIMENTS: dict[str, Callable[[Run], None]] = {
    "none": lambda run: None,
    "broker-term": _broker_term,
    "broker-kill": _broker_kill,
    "worker-kill": _worker_kill,
    "bad-json": _bad_json,
    "receiver-hang": _receiver_hang,
    "receiver-down-3m": _receiver_down(180),
    "receiver-down-10m": _receiver_down(600),
    "redis-kill": _redis_kill,
    "redis-lost": _redis_lost,
}
DEFAULT = [name for name in EXPERIMENTS if name != "receiver-down-10m"]  # that one alone takes 13 minutes


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as answer:  # noqa: S310
            return bool(json.load(answer)["ok"])
    except (OSError, urllib.error.URLError, ValueError):
        return False


def wait_ready(port: int, workers: Workers, timeout: float = 180) -> None:
    wait_until(lambda: ready(port), f"the worker to be ready (see {workers.folder}/worker-0/worker.log)",
               timeout=timeout, step=1)


def experiment(name: str, services: Services, folder: Path, args: argparse.Namespace) -> str:
    if name == "redis-lost":  # this one runs on a Redis that keeps nothing across a restart
        services.redis.signal(signal.SIGTERM)
        services.redis.up(NEWSWATCH_REDIS_PERSISTENCE="none")
    prefix = f"faults-{name}-{uuid.uuid4().hex[:6]}"
    feeds, hook = Feeds(first=0), receiver()
    workers = Workers(services, folder / name, feeds, hook, prefix)
    port = free_port()
    try:
        workers.start(port)
        if name == "worker-kill":
            workers.start()
        wait_ready(port, workers)
        fault_end = _drive(name, Run(name, services, workers, feeds, hook, prefix), args)
        _drain(feeds, hook, run_kafka(services.bootstrap, prefix), fault_end, args.quiet)
        for index, process in enumerate(workers.processes):
            code = process.exit_code()
            if code is not None and code != -signal.SIGKILL:
                print(f"fault suite: {name}: worker {index} exited early (code {code}); "
                      f"see {workers.folder}/worker-{index}/worker.log", flush=True)
    finally:
        workers.stop_all()
    published = set(feeds.published)
    accepted = hook.by_article()
    delivered = len(published & set(accepted))
    duplicates = sum(len(times) - 1 for times in accepted.values())
    dead = dead_letters(services.bootstrap, prefix)
    first = hook.first_after(fault_end)
    _clean(services, prefix)
    feeds.close()
    hook.server.close()
    if name == "redis-lost":
        services.redis.signal(signal.SIGTERM)
        services.redis.up()
    if delivered == len(published):
        last = max(accepted[path][0] for path in published) - fault_end
        print(f"fault suite: {name}: the last alert arrived {max(0.0, last):.1f} s after the fault ended",
              flush=True)
    recovery = f"{first:.1f}" if first is not None else "none"
    return (f"fault: {name} published {len(published)} delivered {delivered} duplicates {duplicates} "
            f"dead letters {dead} recovery {recovery}")


def _drive(name: str, run: Run, args: argparse.Namespace) -> float:
    """Publish for the whole duration; inject the fault at its time; return when the fault ended."""
    stop = threading.Event()
    started = time.monotonic()

    def publish() -> None:
        count = 0
        while not stop.is_set() and time.monotonic() - started < args.duration:
            run.feeds.publish_next()
            count += 1
            stop.wait(max(0.0, started + count / args.rate - time.monotonic()))

    publisher = threading.Thread(target=publish, daemon=True)
    publisher.start()
    time.sleep(args.fault_at)
    EXPERIMENTS[name](run)
    fault_end = time.monotonic()
    publisher.join()
    return fault_end


def _drain(feeds: Feeds, hook: Receiver, kafka: Kafka, fault_end: float, quiet: float) -> None:
    """Until every item is delivered (and the stages have committed everything they were given, so
    nothing is still on its way to arrive twice), or nothing has arrived for `quiet` seconds."""
    deadline = time.monotonic() + DRAIN_MAX
    while time.monotonic() < deadline:
        arrivals = hook.by_article()
        missing = set(feeds.published) - set(arrivals)
        last = max((t for times in arrivals.values() for t in times), default=0.0)
        if not missing:
            wait_caught_up(kafka, timeout=max(1.0, deadline - time.monotonic()))
            return
        if time.monotonic() - max(last, fault_end) > quiet:
            return
        time.sleep(1)


def _clean(services: Services, prefix: str) -> None:
    run_kafka(services.bootstrap, prefix).delete_topics()
    redis = Redis(RedisSettings(url=services.redis_url, key_prefix=f"{prefix}:"))
    redis.delete_prefix()
    redis.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("--faults", default=",".join(DEFAULT),
                        help=f"comma-separated, from: {', '.join(EXPERIMENTS)}; 'all' for every one")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of publishing")
    parser.add_argument("--rate", type=float, default=2.0, help="items a second, over all feeds")
    parser.add_argument("--fault-at", type=float, default=20.0, help="seconds into publishing")
    parser.add_argument("--quiet", type=float, default=90.0,
                        help="the drain gives up after this many seconds without a new alert")
    args = parser.parse_args()
    install()  # the clients' adaptations, as `newswatch run` installs them: the rig reads Kafka too
    chosen = [n.strip() for n in args.faults.split(",") if n.strip()]
    names = list(EXPERIMENTS) if chosen == ["all"] else chosen
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {', '.join(unknown)}; choose from {', '.join(EXPERIMENTS)}")
    folder = Path(tempfile.mkdtemp(prefix="nw-faults-"))
    with Services() as services:
        for name in names:
            print(experiment(name, services, folder, args), flush=True)
    print(f"fault suite: worker logs in {folder}", flush=True)


if __name__ == "__main__":
    main()
