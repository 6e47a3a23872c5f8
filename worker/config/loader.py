"""Load a config folder into one `Config`, or fail with every problem at once.

All `*.yaml` files under the folder are read; each holds any of the sections
`settings`, `feeds`, `watchlists`, `event_types`, `routes`, `destinations`.
Lists from several files are joined, so ops can keep one watchlist a file.
Every problem is reported as `file:line: key.path: what is wrong; how to fix it`.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from worker.config.lint import lint
from worker.config.messages import did_you_mean, explain
from worker.config.models import Config
from worker.config.references import check_references
from worker.config.yamlsource import Located, Parsed, Path_, dotted, read_yaml
from worker.errors import ConfigError

LIST_SECTIONS = ("feeds", "watchlists", "event_types", "routes", "destinations")
SECTIONS = ("settings", *LIST_SECTIONS)
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# Environment variables that point a deployment at its own services without editing files.
ENV_OVERRIDES: dict[str, tuple[str, str]] = {
    "NEWSWATCH_KAFKA_BOOTSTRAP": ("kafka", "bootstrap"),
    "NEWSWATCH_REDIS_URL": ("redis", "url"),
    "NEWSWATCH_METRICS_HOST": ("metrics", "host"),
    "NEWSWATCH_METRICS_PORT": ("metrics", "port"),
    "NEWSWATCH_LOG_FORMAT": ("logging", "format"),
    "NEWSWATCH_LOG_LEVEL": ("logging", "level"),
}

def config_files(folder: Path) -> list[Path]:
    """The YAML files under `folder`, skipping hidden paths.

    A Kubernetes ConfigMap mount keeps each file twice: in a hidden `..<date>`
    folder and as a link beside it. Hidden paths are never config, so each file
    is read once, from the link, which always names the current version.
    """
    return sorted(p for p in folder.rglob("*")
                  if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def load_config(folder: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    """Read, merge, resolve `${VAR}`s, validate; raise `ConfigError` listing every problem."""
    env = os.environ if environ is None else environ
    root = Path(folder)
    if not root.is_dir():
        raise ConfigError([f"{root}: no such config folder; pass the folder that holds feeds.yaml etc."])
    files = config_files(root)
    if not files:
        raise ConfigError([f"{root}: no *.yaml files; copy the example config/ folder to start"])
    located = _merge(files)
    from_env, notes, disabled = _resolve_env(located, env)
    _apply_overrides(located, env)
    problems = located.problems
    try:
        config = Config.model_validate(located.data)
    except ValidationError as exc:
        raise ConfigError(problems + explain(exc, located)) from None
    # After a file that does not parse, what it defined is missing: naming every reference to it
    # would bury the one real problem under a cascade.
    found = check_references(config, with_routes=not located.unparsed)
    problems += [f"{located.where(path)}: {dotted(path)}: {message}" for path, message in found]
    if problems:
        raise ConfigError(problems)
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    config._version = digest.hexdigest()[:12]
    config._notes = tuple(notes)
    config._disabled = disabled
    config._warnings = lambda: tuple(f"{located.where(path)}: {dotted(path)}: {message}"
                                     for path, message in lint(config, located.data, from_env))
    return config


def _merge(files: list[Path]) -> Located:
    out = Located()
    for file in files:
        parsed = read_yaml(file)
        out.problems += parsed.problems
        if parsed.failed:
            out.unparsed.append(file)
        data = parsed.data
        if data is None:
            continue
        if not isinstance(data, dict):
            out.problems.append(f"{file}:1: the file must be a mapping of sections "
                                f"({', '.join(SECTIONS)}); found {type(data).__name__}")
            continue
        for section, value in data.items():
            _add_section(out, file, parsed, str(section), value)
    return out


def _add_section(out: Located, file: Path, parsed: Parsed, section: str, value: Any) -> None:
    lines = parsed.lines
    line = lines.get((section,), 1)
    if section not in SECTIONS:
        out.problems.append(f"{file}:{line}: {section}: unknown section{did_you_mean(section, SECTIONS)}; "
                            f"use one of {', '.join(SECTIONS)}")
    elif section == "settings":
        if "settings" in out.data:
            first = out.origins[("settings",)][0]
            out.problems.append(f"{file}:{line}: settings: already given in {first}; keep one settings block")
            return
        out.data["settings"] = value
        out.origins.update({p: (file, n) for p, n in lines.items() if p[:1] == (section,)})
        out.booleans.update({p: w for p, w in parsed.booleans.items() if p[:1] == (section,)})
    elif not isinstance(value, list):
        out.problems.append(f"{file}:{line}: {section}: must be a list (items start with '- ')")
    else:
        merged = out.data.setdefault(section, [])
        out.origins.setdefault((section,), (file, line))
        offset = len(merged)
        merged.extend(value)
        for path, n in lines.items():
            if len(path) >= 2 and path[0] == section and isinstance(path[1], int):
                out.origins[(section, path[1] + offset, *path[2:])] = (file, n)
        for path, word in parsed.booleans.items():
            if len(path) >= 2 and path[0] == section and isinstance(path[1], int):
                out.booleans[(section, path[1] + offset, *path[2:])] = word


def _resolve_env(located: Located, env: Mapping[str, str]) -> tuple[set[Path_], list[str], dict[str, str]]:
    """Replace `${VAR}` and `${VAR:-default}`; an optional destination missing one is disabled.

    Returns the paths whose values came from the environment (secrets there are where they
    belong), the notes about disabled destinations, and why each destination is disabled.
    """
    missing: list[tuple[Path_, str]] = []
    from_env: set[Path_] = set()

    def resolve(value: Any, path: Path_) -> Any:
        if isinstance(value, dict):
            return {k: resolve(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            from_env.add(path)

            def one(m: re.Match[str]) -> str:
                name, default = m.group(1), m.group(2)
                if env.get(name):  # empty is unset, as for ${VAR:-default}: an empty secret is none
                    return env[name]
                if default is not None:
                    return default
                missing.append((path, name))
                return ""
            return ENV_REF.sub(one, value)
        return value

    located.data = resolve(located.data, ())
    return from_env, *_disable_optional(located, missing)


def _disable_optional(located: Located, missing: list[tuple[Path_, str]]) -> tuple[list[str], dict[str, str]]:
    """Disable the optional destinations whose variables are unset; refuse the rest. Why each is off."""
    notes: dict[str, str] = {}
    disabled: dict[str, str] = {}
    for path, name in missing:
        dest = _optional_destination(located.data, path)
        if dest is None:
            located.problems.append(f"{located.where(path)}: {dotted(path)}: environment variable "
                                    f"{name} is not set; export it (secrets live in the environment)")
            continue
        dest["enabled"] = False
        dest_id = str(dest.get("id"))
        if dest_id in disabled:  # one line per destination, naming its first unset variable
            continue
        disabled[dest_id] = f"{name} unset"
        notes[dest_id] = (f"{located.where(path)}: {dotted(path)}: ${{{name}}} is not set; destination "
                          f"{dest_id!r} is disabled until it is, and its alerts are dead-lettered "
                          f"(export {name}, restart, then `newswatch dlq replay`)")
    for dest in located.data.get("destinations") or []:
        if isinstance(dest, dict) and dest.get("enabled") is False:
            disabled.setdefault(str(dest.get("id")), "enabled: false in the config")
    return list(notes.values()), disabled


def _optional_destination(data: dict[str, Any], path: Path_) -> dict[str, Any] | None:
    if len(path) < 2 or path[0] != "destinations" or not isinstance(path[1], int):
        return None
    dest = data["destinations"][path[1]]
    return dest if isinstance(dest, dict) and dest.get("optional") is True else None


def _apply_overrides(located: Located, env: Mapping[str, str]) -> None:
    """Environment variables win over the files; an error in one names the variable, not a file line."""
    for name, (group, key) in ENV_OVERRIDES.items():
        if env.get(name):
            settings = located.data.setdefault("settings", {})
            if isinstance(settings, dict):
                block = settings.setdefault(group, {})
                if isinstance(block, dict):
                    block[key] = env[name]
                    located.blamed[("settings", group, key)] = f"environment variable {name}"
