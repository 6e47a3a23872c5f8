"""JSON Schemas of the records between stages, generated from `worker.records`.

They are committed so consumers in other languages can read them without
Python; `newswatch schemas` fails when they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from worker.records import RECORDS

HERE = Path(__file__).parent


def schema_text(name: str) -> str:
    schema: dict[str, Any] = RECORDS[name].model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    latest = RECORDS[name].model_fields["version"].default  # readers take the versions before it too
    schema["$id"] = f"https://newswatch.invalid/schemas/{name}.v{latest}.schema.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def write_schemas() -> None:
    for name in RECORDS:
        (HERE / f"{name}.schema.json").write_text(schema_text(name))


def stale_schemas() -> list[str]:
    """Names whose committed schema differs from the one the models give now."""
    stale = []
    for name in RECORDS:
        path = HERE / f"{name}.schema.json"
        if not path.exists() or path.read_text() != schema_text(name):
            stale.append(name)
    return stale
