"""A process loads only what its stages need: the fetch stage loads neither the extractor nor the matcher.

Each check runs in a fresh interpreter, so what this test process already
imported does not matter.
"""

from __future__ import annotations

import json
import subprocess
import sys

EXTRACTOR = ("trafilatura", "pebble")
MATCHER = ("ahocorasick", "lemminflect", "worker.match.matcher")


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
