"""YAML documents that remember where each value came from.

Ops read errors as `file:line: key.path: problem`, so the loader keeps, for
every key and list item, the file and line it was written on, even after the
lists of several files are merged into one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass
class Located:
    """Data of one or more YAML files, with the origin of each key path."""

    data: dict[str, Any] = field(default_factory=dict)
    origins: dict[Path_, tuple[Path, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def where(self, path: Path_) -> str:
        """`file:line` of the longest prefix of `path` that was written somewhere."""
        for end in range(len(path), -1, -1):
            origin = self.origins.get(path[:end])
            if origin:
                return f"{origin[0]}:{origin[1]}"
        return "config"


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def read_yaml(file: Path) -> tuple[Any, dict[Path_, int], list[str]]:
    """Parse one file; return its data, the line of every key path, and its problems."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, {}, [f"{file}: cannot read: {exc}; check the file's permissions and encoding (UTF-8)"]
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, {}, [f"{file}{line}: invalid YAML: {problem}; "
                          f"fix the syntax (indentation, quotes, colons)"]
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    problems: list[str] = []
    if node is not None:
        _walk(node, (), lines, problems, file)
    return data, lines, problems


def _walk(node: yaml.Node, path: Path_, lines: dict[Path_, int], problems: list[str],
          file: Path) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(f"{file}:{key_node.start_mark.line + 1}: {dotted(path + (key,))}: "
                                f"key written twice; keep one")
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), lines, problems, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines, problems, file)
