"""`newswatch run` in a process of its own, as the whole-pipeline and fetch benchmarks start it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Run the worker on `folder` with `args`; its output goes to `folder`/worker.log."""
    with (folder / "worker.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-m", "worker.cli", "run", *args, "--config", str(folder)],
                                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def stop(process: subprocess.Popen[bytes], folder: Path) -> None:
    """SIGTERM and wait; a worker that does not stop is killed and reported, never left running."""
    process.terminate()
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise SystemExit(f"the worker did not stop within 60 s of SIGTERM; see {folder}/worker.log") from None
