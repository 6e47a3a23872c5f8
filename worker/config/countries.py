"""A country's names in every language, for entities that name a country by its ISO code."""

from __future__ import annotations


def country_names(code: str) -> dict[str, list[str]]:
    """The country's names by ISO 639-1 language code."""
    return {}
