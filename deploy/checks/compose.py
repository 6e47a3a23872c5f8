"""Check what the Compose schema cannot: the compose file fits this repository.

- every bind-mounted path and build context exists, relative to the compose file;
- every image is pinned to an explicit version tag (no bare name, no :latest);
- each pipeline stage of `newswatch run` has a service that runs exactly that stage.

Usage: python deploy/checks/compose.py COMPOSE.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from worker.cli import STAGES


def main(path: Path) -> int:
    compose = yaml.safe_load(path.read_text())
    services: dict[str, dict[str, Any]] = compose.get("services", {})
    base = path.parent
    found: list[str] = []
    for name, service in services.items():
        found += [f"service {name}: {p}" for p in _service(service, base)]
    for stage in STAGES:
        runs = [n for n, s in services.items() if s.get("command") == ["--stage", stage]]
        if len(runs) != 1:
            found.append(f"stage {stage}: {len(runs)} services run `--stage {stage}`, want 1")
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    if not found:
        print(f"  {len(services)} services: mounts and build context exist, images pinned, "
              f"one service per stage ({', '.join(STAGES)})")
    return 1 if found else 0


def _service(service: dict[str, Any], base: Path) -> list[str]:
    found: list[str] = []
    build = service.get("build")
    if build:
        if isinstance(build, str):
            build = {"context": build}
        dockerfile = base / build.get("context", ".") / build.get("dockerfile", "Dockerfile")
        if not dockerfile.is_file():
            found.append(f"build: no {dockerfile}")
    image = service.get("image", "")
    tag = image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""
    if not build and (not tag or tag == "latest"):
        found.append(f"image {image!r} is not pinned to a version tag")
    for volume in service.get("volumes", []):
        source = volume.split(":", 1)[0] if isinstance(volume, str) else volume.get("source", "")
        if source.startswith((".", "/")) and not (base / source).exists():
            found.append(f"volume source {source} does not exist (relative to {base})")
    return found


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
