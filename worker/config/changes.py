"""What a reload changed, in a line an operator can read: "routes: +asia-desk; entities: ~apple, -nestle".

Ids are compared section by section (entities across all watchlists), so a
reload line says which feed, entity, event type, route or destination was
added (+), removed (-) or edited (~), not only that the hash moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from worker.config.models import Config


def _items(config: Config) -> dict[str, dict[str, Any]]:
    def by_id(items: Iterable[Any]) -> dict[str, Any]:
        return {item.id: item.model_dump(mode="json") for item in items}

    return {
        "settings": {"settings": config.settings.model_dump(mode="json")},
        "feeds": by_id(config.feeds),
        "entities": by_id(e for w in config.watchlists for e in w.entities),
        "event types": by_id(config.event_types),
        "routes": by_id(config.routes),
        "destinations": by_id(config.destinations),
    }


def describe_changes(old: Config, new: Config) -> str:
    """One line of every id added, removed or edited; "no change to ids or settings" when none."""
    before, after = _items(old), _items(new)
    parts = []
    for section, now in after.items():
        was = before[section]
        marks = ([f"+{i}" for i in now if i not in was] + [f"-{i}" for i in was if i not in now]
                 + [f"~{i}" for i in now if i in was and now[i] != was[i]])
        if marks:
            shown = marks[:8] + ([f"and {len(marks) - 8} more"] if len(marks) > 8 else [])
            parts.append(f"{section}: {', '.join(shown)}" if section != "settings" else "settings edited")
    return "; ".join(parts) or "no change to ids or settings (comments or layout only)"
