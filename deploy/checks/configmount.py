"""Load the chart's config the way a pod sees it, before and after a ConfigMap update.

The kubelet mounts a ConfigMap as a folder holding a hidden timestamped directory with the
files, a `..data` symlink to it, and one symlink per file into `..data`; an update writes a
new timestamped directory and swaps `..data` atomically. This lays out that folder from the
rendered ConfigMap at the Deployment's mountPath, points the loader at the Deployment's
NEWSWATCH_CONFIG, and checks that the config loads, that each file is read once, and that
after a swap the loader sees the new files (what the match stage's hot reload relies on).

Usage: python deploy/checks/configmount.py RENDERED.yaml
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from worker.config import load_config
from worker.config.loader import config_files
from worker.errors import ConfigError


def main(rendered: Path) -> int:
    docs = [d for d in yaml.safe_load_all(rendered.read_text()) if d]
    configmaps = {d["metadata"]["name"]: d.get("data", {}) for d in docs if d.get("kind") == "ConfigMap"}
    mounts = [m for d in docs if d.get("kind") == "Deployment" for m in _config_mounts(d, configmaps)]
    if not configmaps:
        print("  skipped: the render has no ConfigMap (config.existingConfigMap names one of yours)")
        return 0
    if not mounts:
        print("  no Deployment mounts the rendered ConfigMap at its NEWSWATCH_CONFIG", file=sys.stderr)
        return 1
    found: list[str] = []
    checked: set[tuple[str, str]] = set()
    for mount_path, config_path, data in mounts:
        if (mount_path, config_path) in checked:
            continue
        checked.add((mount_path, config_path))
        with tempfile.TemporaryDirectory() as tmp:
            found += _check(Path(tmp), mount_path, config_path, data)
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    if not found:
        print(f"  {len(mounts)} Deployments: NEWSWATCH_CONFIG loads the mounted ConfigMap "
              f"({len(mounts[0][2])} files), each file once, and sees an update after the swap")
    return 1 if found else 0


def _config_mounts(deployment: dict[str, Any], configmaps: dict[str, dict[str, str]]) -> list[Any]:
    """(mountPath, NEWSWATCH_CONFIG, ConfigMap data) for the container that reads its config there."""
    pod = deployment["spec"]["template"]["spec"]
    volumes = {v["name"]: v["configMap"]["name"] for v in pod.get("volumes", []) if "configMap" in v}
    out = []
    for container in pod["containers"]:
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        for mount in container.get("volumeMounts", []):
            name = volumes.get(mount["name"])
            if name in configmaps and env.get("NEWSWATCH_CONFIG", "").startswith(mount["mountPath"]):
                out.append((mount["mountPath"], env["NEWSWATCH_CONFIG"], configmaps[name]))
    return out


def _write_version(folder: Path, stamp: str, data: dict[str, str]) -> None:
    """Write the files into a new timestamped directory and swap ..data to it, as the kubelet does."""
    version = folder / f"..{stamp}"
    version.mkdir()
    for name, content in data.items():
        (version / name).write_text(content)
    link = folder / "..data_tmp"
    link.symlink_to(version.name)
    os.replace(link, folder / "..data")
    for name in data:
        if not (folder / name).is_symlink():
            (folder / name).symlink_to(Path("..data") / name)


def _check(tmp: Path, mount_path: str, config_path: str, data: dict[str, str]) -> list[str]:
    folder = tmp / mount_path.lstrip("/")
    folder.mkdir(parents=True)
    _write_version(folder, "2026_01_01_00_00_00.000000001", data)
    root = tmp / config_path.lstrip("/")
    where = f"NEWSWATCH_CONFIG={config_path} (ConfigMap mounted at {mount_path})"
    files = [p.name for p in config_files(root)]
    if sorted(files) != sorted(n for n in data if n.endswith((".yaml", ".yml"))):
        return [f"{where}: the loader reads {sorted(files)}, not each ConfigMap file once"]
    try:
        before = load_config(root, environ={}).version
    except ConfigError as exc:
        return [f"{where}: the chart's config does not load:", *exc.problems]
    changed = {**data, "zz-update-probe.yaml": "feeds: []\n"}
    _write_version(folder, "2026_01_01_00_01_00.000000002", changed)
    try:
        after = load_config(root, environ={}).version
    except ConfigError as exc:
        return [f"{where}: the updated config does not load:", *exc.problems]
    if after == before:
        return [f"{where}: after the ConfigMap update the loader still reads the old files"]
    return []


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
