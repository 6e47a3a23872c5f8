"""A feed's state as Redis holds it: each field read back by its type, whatever another version wrote."""

from __future__ import annotations

from typing import get_args

from worker import metrics
from worker.errors import FETCH_ERROR_KINDS, FetchErrorKind
from worker.fetch.state import FeedState, _decode


def test_each_field_is_read_back_as_its_type() -> None:
    state = FeedState(etag='"v1"', last_success=1.5, failures=3, recent=[1.0, 2.0], health="failing",
                      last_error_kind="http_5xx")
    stored = {k: str(v) for k, v in vars(state).items() if k != "recent"} | {"recent": "[1.0, 2.0]"}
    assert _decode(stored) == state


def test_a_word_this_version_does_not_know_reads_as_the_default() -> None:
    state = _decode({"health": "paused", "last_error_kind": "http_6xx", "failures": "2"})
    assert (state.health, state.last_error_kind, state.failures) == ("ok", "", 2)


def test_every_fetch_error_kind_is_documented_and_primed() -> None:
    assert set(FETCH_ERROR_KINDS) == set(get_args(FetchErrorKind))
    assert set(get_args(FetchErrorKind)) < set(get_args(metrics.FetchErrorLabel))
