"""Waiting for something that happens on another thread or process: one helper for tests and benches.

Deadlines are generous (a loaded two-core machine is slow, not wrong); what a
wait ends on is the condition, never a sleep. When it does not come, the
failure says what was awaited and, given `show`, what was there instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
DEADLINE = 60.0  # seconds: far more than anything here takes on an idle machine


def wait_until(condition: Callable[[], T], what: str = "the condition to hold", *, timeout: float = DEADLINE,
               step: float = 0.1, show: Callable[[], object] | None = None) -> T:
    """Call `condition` every `step` seconds until it returns something true, and return that.

    After `timeout` seconds, raise AssertionError: "waited 60 s for `what`" (and `show()`'s answer).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            seen = f"; instead: {show()}" if show is not None else ""
            raise AssertionError(f"waited {timeout:g} s for {what}{seen}")
        time.sleep(step)
