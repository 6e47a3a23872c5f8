"""Writing a config folder that `newswatch run` and `load_config` read: the one config writer.

Tests and benches describe their config as a `Config` model or as plain
sections (what a user writes in YAML, `${VAR}` references included); either
becomes one YAML file, beside copies of the example config's files a test
wants as users start from them (the taxonomy, the watchlists, the routes).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import SecretStr
from pydantic_core import to_jsonable_python

from worker.config.models import Config

EXAMPLES = Path(__file__).resolve().parents[2] / "config"


def write_config(folder: Path, config: Config | Mapping[str, Any], *, examples: Sequence[str] = (),
                 name: str = "config.yaml") -> Path:
    """`config` as `folder`/`name`, and `examples` (file or folder names of config/) copied beside it.

    The metrics server listens on a free port unless the config names one, so workers run side by
    side. A model's secrets are written out in clear: the folder is the test's own.
    """
    folder.mkdir(parents=True, exist_ok=True)
    data = _sections(config)
    settings = data.setdefault("settings", {})
    settings.setdefault("metrics", {}).setdefault("port", 0)
    for example in examples:
        source = EXAMPLES / example
        if source.is_dir():
            shutil.copytree(source, folder / example)
        else:
            shutil.copy(source, folder / example)
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True))
    return folder


def _sections(config: Config | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(config, Config):
        dumped = config.model_dump(mode="python", exclude_defaults=True)
        plain: dict[str, Any] = to_jsonable_python(_reveal(dumped))
        return plain
    return yaml.safe_load(yaml.safe_dump(dict(config), allow_unicode=True)) or {}  # a deep copy


def _reveal(value: Any) -> Any:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, dict):
        return {key: _reveal(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_reveal(item) for item in value]
    return value
