"""What a reload changed, by id."""

from __future__ import annotations

from worker.config.changes import describe_changes
from worker.config.models import Config, ConsoleDestination, Entity, Feed, Settings, Watchlist


def config(feeds: list[str], entities: dict[str, str], port: int = 9108) -> Config:
    return Config(
        settings=Settings.model_validate({"metrics": {"port": port}}),
        feeds=[Feed(id=f, url=f"https://example.org/{f}.xml") for f in feeds],
        watchlists=[Watchlist(id="w", name="W",
                              entities=[Entity(id=i, name=n) for i, n in entities.items()])],
        destinations=[ConsoleDestination(id="console", type="console")])


def test_added_removed_and_edited_ids() -> None:
    old = config(["wire", "daily"], {"apple": "Apple", "meta": "Meta"})
    new = config(["wire", "weekly"], {"apple": "Apple Inc", "meta": "Meta"}, port=9200)
    assert describe_changes(old, new) == "settings edited; feeds: +weekly, -daily; entities: ~apple"


def test_no_change() -> None:
    same = config(["wire"], {"apple": "Apple"})
    assert describe_changes(same, same) == "no change to ids or settings (comments or layout only)"
