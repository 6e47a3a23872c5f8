"""Webhook bodies are strict UTF-8 JSON, whatever an alert or a digest holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.deliver.conftest import alert
from tests.deliver.strategies import alerts
from worker.deliver.webhook import strict_json
from worker.records import Alert, Digest
from worker.text import clean


def strict_load(body: bytes) -> Any:
    """RFC 8259 as the strictest receivers read it: UTF-8, no NaN or Infinity, no lone surrogate."""
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    doc = json.loads(body.decode("utf-8"), parse_constant=refuse)
    _valid_strings(doc)
    return doc


def _valid_strings(value: Any) -> None:
    if isinstance(value, str):
        value.encode("utf-8")
        assert clean(value) == value
    elif isinstance(value, dict):
        for k, v in value.items():
            _valid_strings(k)
            _valid_strings(v)
    elif isinstance(value, list):
        for v in value:
            _valid_strings(v)


@given(alerts())
def test_any_alert_is_strict_json_with_its_fields(alert: Alert) -> None:
    doc = strict_load(strict_json(alert))
    assert doc["id"] == alert.id and doc["type"] == "alert" and len(doc["entities"]) == len(alert.entities)


@given(st.lists(alerts(), max_size=3))
def test_any_digest_is_strict_json(items: list[Alert]) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    doc = strict_load(strict_json(Digest(id="d", route="r", period_start=now, period_end=now, alerts=items)))
    assert [a["id"] for a in doc["alerts"]] == [a.id for a in items]


def test_a_clean_alert_is_the_same_json_as_the_record() -> None:
    a = alert()
    assert json.loads(strict_json(a)) == json.loads(a.to_json())


def test_every_kind_of_text_clean_changes_is_cleaned_in_the_body() -> None:
    """Pydantic writes most of these raw and the controls escaped: each is found and cleaned either way."""
    a = alert()
    for char in ["\x00", "\x01", "\x08", "\x0c", "\r", "\x1f", "\x7f", "\x85", "\x9f", "\u2028", "\u202e",
                 "\u2066", "\ufeff", "\ufdd0", "\uffff", "\U0001fffe", "\U0010ffff", "\ud800", "\udfff"]:
        raw = f"see {char} here\\r"
        doc = strict_load(strict_json(a.model_copy(update={"title": raw})))
        assert doc["title"] == clean(raw), repr(char)


def test_tab_and_line_feed_stay_in_the_body() -> None:
    doc = strict_load(strict_json(alert().model_copy(update={"title": "one\ttwo\nthree \\b"})))
    assert doc["title"] == "one\ttwo\nthree \\b"
