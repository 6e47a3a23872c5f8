"""A real Prometheus server on loopback for tests: Debian's `prometheus` binary, no systemd.

It scrapes the targets a test gives it every second, keeps its data in the
test's temporary folder, and is queried through its HTTP API.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.kit.process import free_port
from tests.kit.waiting import DEADLINE, wait_until


class Prometheus:
    def __init__(self, folder: Path, targets: list[str]) -> None:
        binary = shutil.which("prometheus")
        if binary is None:
            raise AssertionError("prometheus is not installed; `make lint-deploy` installs Debian's package")
        self.port = free_port()
        config = folder / "prometheus.yml"
        config.write_text(json.dumps({
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "scrape_configs": [{"job_name": "newswatch", "static_configs": [{"targets": targets}]}],
        }))
        self.log = (folder / "prometheus.log").open("w")
        self.process = subprocess.Popen(
            [binary, f"--config.file={config}", f"--storage.tsdb.path={folder / 'data'}",
             f"--web.listen-address=127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self) -> None:
        try:
            wait_until(self._ready, f"prometheus to be ready on port {self.port}", step=0.2)
        except AssertionError:
            self.close()
            raise

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=1):
                return True
        except OSError:
            return False

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback URL we built
            body = json.load(response)
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def value(self, expr: str) -> float | None:
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def wait_for(self, expr: str, predicate: Any, timeout: float = DEADLINE) -> float | None:
        """The value of `expr` once `predicate` accepts it (it may be 0, so not `wait_until`'s answer)."""
        seen: list[float | None] = []

        def accepted() -> bool:
            seen.append(self.value(expr))
            return bool(predicate(seen[-1]))
        wait_until(accepted, f"{expr} to reach what the test expects", timeout=timeout, step=0.5,
                   show=lambda: seen[-1])
        return seen[-1]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()

