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
    # where a value came from when no file holds it: "environment variable NEWSWATCH_LOG_LEVEL"
    blamed: dict[Path_, str] = field(default_factory=dict)
    # the words YAML turned into booleans (no, off, yes, on), to explain a "not a string" error
    booleans: dict[Path_, str] = field(default_factory=dict)
    unparsed: list[Path] = field(default_factory=list)  # files that are not valid YAML

    def where(self, path: Path_) -> str:
        """`file:line` of the longest prefix of `path` that was written somewhere."""
        for end in range(len(path), -1, -1):
            blame = self.blamed.get(path[:end])
            if blame:
                return blame
            origin = self.origins.get(path[:end])
            if origin:
                return f"{origin[0]}:{origin[1]}"
        return "config"


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


@dataclass
class Parsed:
    """One file: its data (None when unreadable), the line of every key path, its problems."""

    data: Any = None
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    booleans: dict[Path_, str] = field(default_factory=dict)
    failed: bool = False


def read_yaml(file: Path) -> Parsed:
    """Parse one file; see `Parsed`."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = f"{file}: cannot read: {exc}; check the file's permissions and encoding (UTF-8)"
        return Parsed(problems=[why], failed=True)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        return Parsed(problems=[_syntax_error(file, exc)], failed=True)
    finally:
        loader.dispose()
    parsed = Parsed(data)
    if node is not None:
        _walk(node, (), parsed, file)
    return parsed


def _syntax_error(file: Path, exc: yaml.YAMLError) -> str:
    """Name the line where the trouble starts: an unclosed quote is reported where it opens,
    not at the end of the file where PyYAML noticed it."""
    mark = getattr(exc, "problem_mark", None)
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if context and start is not None and mark is not None and start.line != mark.line:
        where = f"{file}:{start.line + 1}"
        problem = f"{problem} {context} that starts here (a quote or bracket left open?)"
    else:
        where = f"{file}:{mark.line + 1}" if mark is not None else str(file)
    return (f"{where}: invalid YAML: {problem}; fix the syntax (indentation, quotes, colons); "
            f"references to what this file defines are checked once it reads")


def _walk(node: yaml.Node, path: Path_, parsed: Parsed, file: Path) -> None:
    lines, problems = parsed.lines, parsed.problems
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        parsed.booleans[path] = node.value
    elif isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(f"{file}:{key_node.start_mark.line + 1}: {dotted(path + (key,))}: "
                                f"key written twice; keep one")
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, path + (key,), parsed, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), parsed, file)
