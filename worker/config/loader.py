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

from pydantic import BaseModel, ValidationError

from worker.config.models import DESTINATION_TYPES, Config
from worker.config.references import check_references
from worker.config.yamlsource import Located, Path_, dotted, read_yaml
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

_HINTS = {
    "extra_forbidden": "remove it or correct its spelling",
    "missing": "add it",
    "too_short": "add at least one item",
    "string_pattern_mismatch": "use lower-case letters, digits, '-', '_' or '.', "
                               "starting with a letter or digit",
    "string_too_short": "give it a value",
    "union_tag_invalid": "set type to console, slack or webhook",
    "union_tag_not_found": "add a type: console, slack or webhook",
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
    warnings = _resolve_env(located, env)
    _apply_overrides(located.data, env)
    problems = located.problems
    try:
        config = Config.model_validate(located.data)
    except ValidationError as exc:
        raise ConfigError(problems + _explain(exc, located)) from None
    problems += [f"{located.where(path)}: {dotted(path)}: {message}"
                 for path, message in check_references(config)]
    if problems:
        raise ConfigError(problems)
    digest = hashlib.sha256()
    for file in files:
        digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes() + b"\0")
    config._version = digest.hexdigest()[:12]
    config._warnings = tuple(warnings)
    return config


def _merge(files: list[Path]) -> Located:
    out = Located()
    for file in files:
        data, lines, problems = read_yaml(file)
        out.problems += problems
        if data is None:
            continue
        if not isinstance(data, dict):
            out.problems.append(f"{file}:1: the file must be a mapping of sections "
                                f"({', '.join(SECTIONS)}); found {type(data).__name__}")
            continue
        for section, value in data.items():
            _add_section(out, file, lines, section, value)
    return out


def _add_section(out: Located, file: Path, lines: dict[Path_, int], section: str, value: Any) -> None:
    line = lines.get((section,), 1)
    if section not in SECTIONS:
        out.problems.append(f"{file}:{line}: {section}: unknown section; use one of {', '.join(SECTIONS)}")
    elif section == "settings":
        if "settings" in out.data:
            first = out.origins[("settings",)][0]
            out.problems.append(f"{file}:{line}: settings: already given in {first}; keep one settings block")
            return
        out.data["settings"] = value
        out.origins.update({p: (file, n) for p, n in lines.items() if p[:1] == (section,)})
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


def _resolve_env(located: Located, env: Mapping[str, str]) -> list[str]:
    """Replace `${VAR}` and `${VAR:-default}`; an optional destination missing one is disabled."""
    warnings: list[str] = []
    missing: list[tuple[Path_, str]] = []

    def resolve(value: Any, path: Path_) -> Any:
        if isinstance(value, dict):
            return {k: resolve(v, path + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, path + (i,)) for i, v in enumerate(value)]
        if isinstance(value, str) and "${" in value:
            def one(m: re.Match[str]) -> str:
                name, default = m.group(1), m.group(2)
                if name in env:
                    return env[name]
                if default is not None:
                    return default
                missing.append((path, name))
                return ""
            return ENV_REF.sub(one, value)
        return value

    located.data = resolve(located.data, ())
    for path, name in missing:
        dest = _optional_destination(located.data, path)
        if dest is not None:
            dest["enabled"] = False
            warnings.append(f"{located.where(path)}: {dotted(path)}: ${{{name}}} is not set; "
                            f"destination {dest.get('id')!r} is disabled until it is")
        else:
            located.problems.append(f"{located.where(path)}: {dotted(path)}: environment variable "
                                    f"{name} is not set; export it (secrets live in the environment)")
    return warnings


def _optional_destination(data: dict[str, Any], path: Path_) -> dict[str, Any] | None:
    if len(path) < 2 or path[0] != "destinations" or not isinstance(path[1], int):
        return None
    dest = data["destinations"][path[1]]
    return dest if isinstance(dest, dict) and dest.get("optional") is True else None


def _apply_overrides(data: dict[str, Any], env: Mapping[str, str]) -> None:
    for name, (group, key) in ENV_OVERRIDES.items():
        if env.get(name):
            settings = data.setdefault("settings", {})
            if isinstance(settings, dict):
                block = settings.setdefault(group, {})
                if isinstance(block, dict):
                    block[key] = env[name]


def _explain(exc: ValidationError, located: Located) -> list[str]:
    problems = []
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        hint = _HINTS.get(error["type"], "")
        if error["type"] == "extra_forbidden":
            allowed = _allowed_keys(path[:-1])
            if allowed:
                hint += f" (allowed here: {', '.join(allowed)})"
        shown = tuple(p for p in path if not _is_union_tag(p, path))
        text = f"{located.where(shown)}: {dotted(shown)}: {error['msg']}"
        problems.append(f"{text}; {hint}" if hint else text)
    return problems


def _is_union_tag(part: str | int, path: tuple[str | int, ...]) -> bool:
    """pydantic puts the discriminator's value into the path of a destination's errors."""
    index = path.index(part)
    return index == 2 and path[0] == "destinations" and part in DESTINATION_TYPES


def _allowed_keys(path: tuple[str | int, ...]) -> list[str]:
    model: Any = Config
    for part in path:
        if isinstance(part, int):
            continue
        if part in DESTINATION_TYPES and model is Config.model_fields["destinations"]:
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation, path)
    return sorted(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _inner_model(annotation: Any, path: tuple[str | int, ...]) -> Any:
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is list and args:
        annotation = args[0]
        args = getattr(annotation, "__args__", ())
    # a discriminated union (destinations): pick the member named in the path
    metadata = getattr(annotation, "__metadata__", None)
    if metadata is not None:
        members = getattr(annotation.__origin__, "__args__", ())
        for member in members:
            if member.model_fields["type"].annotation.__args__[0] in path:
                return member
        return None
    return annotation
