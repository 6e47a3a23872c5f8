"""`newswatch run`: the chosen stages in one process, each on its own thread with its own clients.

Every stage keeps its own Kafka consumer (or producer), so running them
together changes nothing about how they commit: one process with all four is
the same pipeline as four processes with one each. A stage that dies stops
the process (exit non-zero), so the supervisor restarts it and Kafka hands
its partitions to the survivors meanwhile. The stages follow one config
holder: each reloaded config reaches every stage's `update`.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from worker import metrics
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import Config
from worker.config.holder import ConfigHolder
from worker.errors import NewswatchError
from worker.health import Health, serve
from worker.heartbeat import Heartbeat
from worker.logs import get_logger, register_secret
from worker.pipeline import STAGES, build
from worker.stages import Stage

log = get_logger(__name__)


def run(config: Config, config_dir: str | Path, stages: Sequence[str] = STAGES,
        stop: threading.Event | None = None) -> None:
    """Run `stages` until `stop` is set (or SIGTERM/SIGINT); SIGHUP or a change in `config_dir` reloads."""
    stop = stop or threading.Event()
    _register_secrets(config)
    holder = ConfigHolder(config_dir, config)
    holder.follow(_register_secrets)  # before any stage logs with the new config
    if threading.current_thread() is threading.main_thread():
        _install_signals(stop, holder)  # before connecting: a SIGTERM during start-up stops cleanly
    metrics.prime(config, stages)
    health = Health()
    settings = config.settings
    server = serve(health, settings.metrics.host, settings.metrics.port) if settings.metrics.port else None
    kafka = Kafka(settings.kafka, client_id=f"newswatch-{socket.gethostname()}")
    kafka.ensure_topics()
    redis = Redis(settings.redis)
    redis.ping()
    health.add_check("redis", _redis_check(redis))
    health.add_check("kafka", _kafka_check(kafka))
    health.add_check("config", lambda: None if holder.current else "no config loaded")
    runners = {name: build(name, config, kafka, redis, health) for name in stages}
    for runner in runners.values():
        holder.follow(runner.update)
    holder.start(stop)
    failures: list[str] = []
    threads = [threading.Thread(target=_guarded(name, runner, stop, failures), name=f"stage-{name}")
               for name, runner in runners.items()]
    for thread in threads:
        thread.start()
    log.info("newswatch running; a health line follows every few minutes", stages=list(stages),
             config=config.version, feeds=len(config.feeds),
             destinations=[d.id for d in config.destinations if d.enabled],
             metrics=f"{settings.metrics.host}:{settings.metrics.port}" if server else "off")
    try:
        _beat(holder, stop, Heartbeat(redis))
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        redis.close()
        if server:
            server.shutdown()
    if failures:
        raise NewswatchError("stage(s) stopped on an error: " + "; ".join(failures))


def _beat(holder: ConfigHolder, stop: threading.Event, heartbeat: Heartbeat) -> None:
    """Log the health line every few minutes (the heartbeat says when) until `stop` is set."""
    while not stop.wait(1.0):
        try:
            line = heartbeat.beat(holder.current)
        except NewswatchError as exc:  # Redis away: the health checks say so; the next beat tries again
            line = f"health line skipped: {exc}"
        if line:
            log.info(line)


def _guarded(name: str, runner: Stage, stop: threading.Event, failures: list[str]) -> Callable[[], None]:
    def target() -> None:
        try:
            runner.run(stop)
        except Exception as exc:
            failures.append(f"{name}: {exc}")
            log.exception("stage stopped on an error; stopping the process", stage=name)
            stop.set()

    return target


def _install_signals(stop: threading.Event, holder: ConfigHolder) -> None:
    def on_stop(signum: int, frame: FrameType | None) -> None:
        if not stop.is_set():  # `make` and `timeout` may both pass the signal on: say it once
            log.info("stopping: finishing the current batches", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    holder.install_sighup()


def _register_secrets(config: Config) -> None:
    for dest in config.destinations:
        for name in ("url", "secret"):
            value = getattr(dest, name, None)
            if value is not None:
                register_secret(value.get_secret_value())


def _redis_check(redis: Redis) -> Callable[[], str | None]:
    def check() -> str | None:
        try:
            redis.ping()
        except NewswatchError as exc:
            return str(exc)
        return None

    return check


def _kafka_check(kafka: Kafka) -> Callable[[], str | None]:
    """A TCP connect to a bootstrap server: cheap enough for a probe every few seconds."""

    def check() -> str | None:
        for server in kafka.servers:
            host, _, port = server.rpartition(":")
            try:
                socket.create_connection((host, int(port)), timeout=2).close()
                return None
            except OSError:
                continue
        return f"no Kafka broker answers at {kafka.settings.bootstrap}"

    return check
