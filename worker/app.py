"""`newswatch run`: the chosen stages in one process, each on its own thread with its own clients.

Every stage keeps its own Kafka consumer (or producer), so running them
together changes nothing about how they commit: one process with all four is
the same pipeline as four processes with one each. A stage that dies stops
the process (exit non-zero), so the supervisor restarts it and Kafka hands
its partitions to the survivors meanwhile. The stages follow one config
holder: each reloaded config reaches every stage's `update`. One supervisor
(worker/stages.py) runs every stage's thread, the config reload watcher's
included, and joins them all with a bound when the process stops.
"""

from __future__ import annotations

import contextlib
import gc
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from worker import adaptations, metrics
from worker.clients import outage
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.config import Config
from worker.config.holder import ConfigHolder
from worker.errors import NewswatchError
from worker.health import Health, serve
from worker.heartbeat import Heartbeat
from worker.logs import get_logger, register_secret
from worker.pipeline import STAGES, build
from worker.stages import Stage, Supervisor

log = get_logger(__name__)


def run(config: Config, config_dir: str | Path, stages: Sequence[str] = STAGES,
        stop: threading.Event | None = None) -> None:
    """Run `stages` until `stop` is set (or SIGTERM/SIGINT); SIGHUP or a change in `config_dir` reloads.

    What is opened (the metrics server, the clients, each stage) is entered into one `ExitStack`, so
    a failure at any point, a build or a start half-way included, closes exactly that, in reverse.
    """
    stop = stop or threading.Event()
    adaptations.install()
    _register_secrets(config)
    holder = ConfigHolder(config_dir, config)
    holder.follow(_register_secrets)  # before any stage logs with the new config
    if threading.current_thread() is threading.main_thread():
        _install_signals(stop, holder)  # before connecting: a SIGTERM during start-up stops cleanly
    metrics.prime(stages, [r.id for r in config.routes], [d.id for d in config.destinations])
    health = Health()
    settings = config.settings
    supervisor = Supervisor(stop)
    with contextlib.ExitStack() as opened:
        metrics_at = settings.metrics
        server = serve(health, metrics_at.host, metrics_at.port) if metrics_at.port else None
        if server is not None:
            opened.callback(server.shutdown)
        clients = Clients.for_settings(settings, client_id=f"newswatch-{socket.gethostname()}")
        opened.callback(clients.close)
        opened.enter_context(outage.watching())
        clients.ensure()
        health.add_check("redis", _redis_check(clients.redis))
        health.add_check("kafka", _kafka_check(clients.kafka))
        health.add_check("config", lambda: None if holder.current else "no config loaded")
        for name in stages:
            for stage in build(name, config, clients, health):
                holder.follow(supervisor.open(opened, stage).update)
        supervisor.open(opened, _Reloads(holder))
        # What start-up built (libraries, the config, the matcher: about 170,000 objects) lives as long as
        # the process: frozen, the collector's full passes over it stop (0.1 s each, several a minute)
        gc.freeze()
        supervisor.launch(opened)
        log.info("newswatch running; a health line follows every few minutes", stages=list(stages),
                 config=config.version, feeds=len(config.feeds),
                 destinations=[d.id for d in config.destinations if d.enabled],
                 metrics=f"{settings.metrics.host}:{settings.metrics.port}" if server else "off")
        _beat(holder, stop, Heartbeat(clients.redis))
    supervisor.check()


class _Reloads(Stage):
    """The config reload watcher, supervised (and joined) like the stages it hands configs to.

    The collector never frees frozen objects that form cycles, and the config and matcher that start-up
    froze are garbage once a reload replaced them: a while after each reload (the stages take the new
    config between batches), the freeze is redone over what is alive then."""

    name = "config-reload"
    refreeze_after = 60.0  # seconds after a reload

    def __init__(self, holder: ConfigHolder) -> None:
        self.holder = holder
        self._config = holder.current
        self._refreeze_at: float | None = None

    def start(self, stop: threading.Event) -> None:
        return None

    def step(self, stop: threading.Event) -> None:
        self.holder.tick(stop)
        if self.holder.current is not self._config:
            self._config = self.holder.current
            self._refreeze_at = time.monotonic() + self.refreeze_after
        elif self._refreeze_at is not None and time.monotonic() >= self._refreeze_at:
            self._refreeze_at = None
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def close(self) -> None:
        return None


def _beat(holder: ConfigHolder, stop: threading.Event, heartbeat: Heartbeat) -> None:
    """Log the health line every few minutes (the heartbeat says when) until `stop` is set."""
    while not stop.wait(1.0):
        try:
            line = heartbeat.beat(holder.current)
        except NewswatchError as exc:  # Redis away: the health checks say so; the next beat tries again
            line = f"health line skipped: {exc}"
        if line:
            log.info(line)


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
