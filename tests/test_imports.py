"""A process loads only what its stages need: the fetch stage loads neither the extractor nor the matcher.

Each check runs in a fresh interpreter, so what this test process already
imported does not matter.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from worker.clients.kafka import Kafka
from worker.clients.redis import Redis

EXTRACTOR = ("trafilatura", "pebble")
MATCHER = ("daachorse", "lemminflect", "worker.match.matcher")


def loaded_after(code: str, modules: tuple[str, ...]) -> dict[str, bool]:
    """Which of `modules` are in sys.modules after a fresh interpreter runs `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {modules!r}}}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    result: dict[str, bool] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_the_fetch_stage_loads_neither_the_extractor_nor_the_matcher() -> None:
    loaded = loaded_after("import worker.fetch.stage", EXTRACTOR + MATCHER)
    assert not any(loaded.values()), loaded


def test_dedup_folds_text_without_loading_the_matcher() -> None:
    loaded = loaded_after("import worker.dedup.stories", MATCHER)
    assert not any(loaded.values()), loaded


def test_the_feeds_status_command_loads_no_stage() -> None:
    loaded = loaded_after("import worker.fetch.status, worker.cli", EXTRACTOR + MATCHER + ("apscheduler",))
    assert not any(loaded.values()), loaded


RUN_FETCH_ONLY = """
import sys, tempfile, threading, time
from worker.app import run
from worker.config.models import Config, KafkaSettings, MetricsSettings, RedisSettings, Settings
kafka, redis = KafkaSettings.model_validate_json(sys.argv[1]), RedisSettings.model_validate_json(sys.argv[2])
config = Config(settings=Settings(kafka=kafka, redis=redis, metrics=MetricsSettings(port=0)))
stop = threading.Event()
with tempfile.TemporaryDirectory() as folder:
    runner = threading.Thread(target=run, args=(config, folder, ("fetch",), stop))
    runner.start()
    deadline = time.monotonic() + 120
    while not any(t.name == "stage-fetch" for t in threading.enumerate()) and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    runner.join()
"""


@pytest.mark.integration
def test_newswatch_run_with_the_fetch_stage_builds_no_matcher(kafka: Kafka, redis_store: Redis) -> None:
    code = RUN_FETCH_ONLY.replace("sys.argv[1]", repr(kafka.settings.model_dump_json())).replace(
        "sys.argv[2]", repr(redis_store.settings.model_dump_json()))
    loaded = loaded_after(code, EXTRACTOR + MATCHER + ("worker.fetch.stage",))
    assert loaded.pop("worker.fetch.stage"), "the fetch stage did not start"
    assert not any(loaded.values()), loaded
