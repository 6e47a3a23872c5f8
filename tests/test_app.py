"""What `app.run` wires around the stages: here, the collector's freeze redone after a config reload."""

from __future__ import annotations

import gc
import shutil
import threading
import weakref
from pathlib import Path

from tests.config.test_reload import extra, write
from tests.match.conftest import ROOT
from worker.app import _Reloads
from worker.config.holder import ConfigHolder


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_what_start_up_froze_is_collected_after_a_reload(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "config", tmp_path / "config")
    folder = tmp_path / "config"
    reloads = _Reloads(ConfigHolder(folder))
    reloads.refreeze_after = 0.0
    stop = threading.Event()
    cycle = _Cycle()  # garbage the collector can free only once it is no longer frozen
    gone = weakref.ref(cycle)
    gc.freeze()
    try:
        del cycle
        gc.collect()
        assert gone() is not None  # frozen: a full collection passes it by
        write(folder, extra("Zorblat"), step=1)
        reloads.holder.request_reload()
        reloads.step(stop)  # the reload is taken
        reloads.step(stop)  # and, its time come, the freeze is redone over what is alive
        assert gone() is None
    finally:
        gc.unfreeze()
