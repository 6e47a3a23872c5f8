"""The JSON Schema of a config file, for editors (yaml-language-server) to complete and check."""

from __future__ import annotations

from typing import Any

from worker.config.models import Config


def config_schema() -> dict[str, Any]:
    """Any one file holds any of the sections, so every section is optional and lists may be empty."""
    schema = Config.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Newswatch config file"
    schema["description"] = ("One file of a Newswatch config folder: any of settings, feeds, "
                             "watchlists, event_types, routes, destinations. Lists from all files "
                             "are joined. Write secrets as ${ENV_VAR}.")
    schema.pop("required", None)
    return schema
