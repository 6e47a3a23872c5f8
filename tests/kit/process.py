"""`newswatch run` in a process of its own, as ops run it: how tests and benches start a worker process.

A process of its own shares no interpreter lock with the test's servers and
readers, can be killed mid-batch, and starts the way production does (config
folder, CLI, signals). Its output goes to a log file the failure messages name.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class WorkerProcess:
    """`newswatch run ARGS --config FOLDER`; its output is appended to `log` (default FOLDER/worker.log)."""

    def __init__(self, folder: Path, *args: str, log: Path | None = None,
                 env: Mapping[str, str] | None = None) -> None:
        self.folder = folder
        self.log = log or folder / "worker.log"
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "worker.cli", "run", *args, "--config", str(folder)],
                stdout=out, stderr=subprocess.STDOUT, env=None if env is None else dict(env), cwd=ROOT)

    def exit_code(self) -> int | None:
        """None while it runs."""
        return self.process.poll()

    def kill(self) -> int:
        """SIGKILL, as a crash or the OOM killer would; its exit code (-9)."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=30)

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM and wait for its exit code; a worker that does not stop is killed and reported."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the worker did not stop within {timeout:g} s of SIGTERM; "
                                 f"see {self.log}") from None

    def tail(self, chars: int = 3000) -> str:
        """The end of its log, for a failure message."""
        return self.log.read_text(errors="replace")[-chars:]


def free_port() -> int:
    """A loopback port free now, for a server the test starts (metrics, Redis, Prometheus)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port

