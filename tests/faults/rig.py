"""The fault suite's rig: its own Kafka and Redis, feeds that gain items, a signed receiver, workers.

Everything here runs on ports and in a state folder of the suite's own
(NEWSWATCH_FAULTS_KAFKA, NEWSWATCH_FAULTS_REDIS, NEWSWATCH_FAULTS_STATE), so
the shared broker and Redis that tests and other work use are never touched.
A service is signalled only through the pid file that deploy/local wrote when
the suite started it; a service the suite finds already answering on its
ports is refused, never reused.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml

from tests.kit import config as kit_config
from tests.kit.http import LocalServer
from tests.kit.pages import page
from tests.kit.process import WorkerProcess
from tests.kit.receiver import Receiver
from tests.kit.site import NewsSite
from tests.kit.waiting import wait_until
from worker.clients.kafka import Kafka
from worker.config.models import KafkaSettings

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ROOT / "deploy" / "local"
SECRET = "whsec_" + "ZmF1bHQtc3VpdGUtc2lnbmluZy1rZXktMDEyMw=="
FEEDS = 20
SHOWN = 200  # items a feed lists, newest first


class Service:
    """Kafka or Redis of the suite's own, started by deploy/local/<name>.sh with the suite's settings."""

    def __init__(self, name: str, env: dict[str, str], pidfile: Path) -> None:
        self.name = name
        self.env = env
        self.pidfile = pidfile

    def up(self, **extra: str) -> float:
        """Start the service (and wait until it answers); return when it answered (monotonic)."""
        result = subprocess.run([str(LOCAL / f"{self.name}.sh"), "up"], env={**self.env, **extra},
                                capture_output=True, text=True, check=False)
        if result.returncode != 0 or "we did not start" in result.stdout:
            raise SystemExit(f"fault suite: {self.name} did not start as ours:\n"
                             f"{result.stdout}{result.stderr}")
        return time.monotonic()

    def pid(self) -> int:
        return int(self.pidfile.read_text().strip())

    def signal(self, sig: signal.Signals) -> None:
        """Send `sig` to the process we started and wait until it has exited."""
        pid = self.pid()
        os.kill(pid, sig)
        wait_until(lambda: not _alive(pid), f"{self.name} (pid {pid}) to exit on {sig.name}")

    def down(self) -> None:
        subprocess.run([str(LOCAL / f"{self.name}.sh"), "down"], env=self.env, capture_output=True,
                       check=False)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class Services:
    def __init__(self) -> None:
        state = Path(os.environ.get("NEWSWATCH_FAULTS_STATE", ROOT / ".state" / "faults")).resolve()
        self.bootstrap = os.environ.get("NEWSWATCH_FAULTS_KAFKA", "127.0.0.1:29092")
        self.redis_url = os.environ.get("NEWSWATCH_FAULTS_REDIS", "redis://127.0.0.1:26379/0")
        env = {**os.environ, "NEWSWATCH_STATE_DIR": str(state), "NEWSWATCH_KAFKA_BOOTSTRAP": self.bootstrap,
               "NEWSWATCH_REDIS_URL": self.redis_url}
        self.state = state
        self.kafka = Service("kafka", env, state / "kafka" / "kafka.pid")
        self.redis = Service("redis", env, state / "redis" / "redis.pid")

    def __enter__(self) -> Services:
        self.state.mkdir(parents=True, exist_ok=True)
        self._lock = (self.state / "suite.lock").open("w")
        try:  # a second suite on the same folder would stop this one's services when it ends
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SystemExit(f"fault suite: another one runs on {self.state}; wait for it, or set "
                             f"NEWSWATCH_FAULTS_STATE, _KAFKA and _REDIS to other ones") from None
        self.redis.up()
        self.kafka.up()
        return self

    def __exit__(self, *_: object) -> None:
        self.kafka.down()
        self.redis.down()
        self._lock.close()


class Feeds(NewsSite):
    """20 RSS feeds on a local server; `publish` adds the next generated page to the next feed."""

    def __init__(self, first: int) -> None:
        super().__init__(LocalServer(), FEEDS, SHOWN)
        self.next = first

    def publish_next(self) -> None:
        self.publish([page(self.next)])
        self.next += 1

    def close(self) -> None:
        self.server.close()


def receiver() -> Receiver:
    """The signed webhook receiver on a server of its own, which a fault can take down and bring back."""
    return Receiver(LocalServer(), secret=SECRET)


def write_config(folder: Path, feeds: Feeds, receiver: Receiver, prefix: str, metrics_port: int) -> None:
    """The rig's config: every page names a watched port city, so each item is one alert at the receiver.

    NEWSWATCH_FAULTS_SETTINGS names a YAML file of settings merged over these
    (for example a deliver retry schedule to try); deliver's own defaults apply otherwise.
    """
    settings: dict[str, Any] = {
        "kafka": {"topic_prefix": f"{prefix}.", "group_prefix": f"{prefix}-", "partitions": 3,
                  "poll_timeout": 0.5},
        "redis": {"key_prefix": f"{prefix}:"},
        "http": {"allow_private_hosts": ["127.0.0.1"], "total_timeout": 10},
        # every rig feed is on one local host: no host pacing, which would measure the pace
        "fetch": {"adaptive": False, "min_interval": 1, "jitter": 0.2, "workers": 8, "host_interval": None},
        "extract": {"processes": 1},
        "metrics": {"port": metrics_port},
        "logging": {"format": "json"},
    }
    extra = os.environ.get("NEWSWATCH_FAULTS_SETTINGS")
    if extra:
        _merge(settings, yaml.safe_load(Path(extra).read_text()) or {})
    kit_config.write_config(folder, feeds.config(receiver.url, "FAULTS_WEBHOOK_SECRET", 1, settings),
                            name="faults.yaml")


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


class Workers:
    """`newswatch run` processes on the rig's config, against the suite's Kafka and Redis."""

    def __init__(self, services: Services, folder: Path, feeds: Feeds, receiver: Receiver,
                 prefix: str) -> None:
        self.folder = folder
        self.feeds = feeds
        self.receiver = receiver
        self.prefix = prefix
        self.env = {**os.environ, "FAULTS_WEBHOOK_SECRET": SECRET,
                    "NEWSWATCH_KAFKA_BOOTSTRAP": services.bootstrap,
                    "NEWSWATCH_REDIS_URL": services.redis_url}
        self.processes: list[WorkerProcess] = []

    def start(self, metrics_port: int = 0) -> WorkerProcess:
        folder = self.folder / f"worker-{len(self.processes)}"
        write_config(folder, self.feeds, self.receiver, self.prefix, metrics_port)
        process = WorkerProcess(folder, env=self.env)
        self.processes.append(process)
        return process

    def kill(self, process: WorkerProcess) -> None:
        process.kill()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.exit_code() is None:
                process.stop()


def run_kafka(bootstrap: str, prefix: str) -> Kafka:
    """The suite's Kafka, as the topics and groups of the run on `prefix`."""
    return Kafka(KafkaSettings(bootstrap=bootstrap, topic_prefix=f"{prefix}.", group_prefix=f"{prefix}-"),
                 client_id="newswatch-faults")


def dead_letters(bootstrap: str, prefix: str) -> int:
    """Records on the run's dead-letter topic."""
    kafka = run_kafka(bootstrap, prefix)
    return sum(end for _, end in kafka.progress(f"{prefix}-count", ["deadletter"]).values())
