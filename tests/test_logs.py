"""NEWSWATCH_LOG_LEVELS: one library's debug lines without the whole process at DEBUG."""

from __future__ import annotations

import pytest

from worker.logs import library_levels


def test_levels_by_logger() -> None:
    assert library_levels("kafka.coordinator=DEBUG, kafka.consumer=info") == {
        "kafka.coordinator": "DEBUG", "kafka.consumer": "INFO"}
    assert library_levels("") == {}


@pytest.mark.parametrize("spec", ["kafka.coordinator", "=DEBUG", "kafka=LOUD"])
def test_a_malformed_part_is_named(spec: str) -> None:
    with pytest.raises(ValueError, match="NEWSWATCH_LOG_LEVELS"):
        library_levels(spec)
