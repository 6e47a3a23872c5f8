"""How `newswatch dlq list` and `dlq show` print dead letters: a table, each reason whole, or JSON."""

from __future__ import annotations

import json
import sys
import time
from typing import TextIO

from worker.deliver.replay import payload_id, routes_of
from worker.logs import human_duration
from worker.records import DeadLetter
from worker.table import print_table


def print_letters(letters: list[DeadLetter], *, as_json: bool = False) -> None:
    if as_json:  # one JSON document, `[]` when none are pending
        print(json.dumps([letter.model_dump(mode="json", exclude_none=True) for letter in letters],
                         indent=2, ensure_ascii=False))
        return
    if not letters:
        print("no dead letters pending")
        return
    now = time.time()
    # the reason last and whole: its host and cause are what the operator fixes
    print_table(("ID", "AGE", "DESTINATION", "ROUTE", "TRIES", "REASON"), [
        (payload_id(d)[:12], human_duration(max(0.0, now - d.failed_at.timestamp())), d.destination,
         ",".join(routes_of(d)), str(d.attempts), d.reason) for d in letters])
    print(f"{len(letters)} dead letter(s); `newswatch dlq show ID` for one in full")


def show_letter(letters: list[DeadLetter], wanted: str, out: TextIO | None = None) -> int:
    """Print the letter whose alert or digest id starts with `wanted`; 1 when none or several do."""
    out = out or sys.stdout
    found = [d for d in letters if payload_id(d).startswith(wanted)]
    if len(found) != 1:
        why = "no pending dead letter" if not found else f"{len(found)} dead letters"
        print(f"newswatch: {why} with an id starting {wanted!r}; `newswatch dlq list` shows the ids",
              file=sys.stderr)
        return 1
    letter = found[0]
    payload = letter.payload
    count = len(letter.digest.alerts) if letter.digest else 0
    title = (letter.alert.title if letter.alert else f"a digest of {count} alerts" if letter.digest
             else f"feed {letter.feed_health.feed_id} {letter.feed_health.state}" if letter.feed_health
             else "(empty)")
    out.write(f"{payload_id(letter)}  {title}\n"
              f"  destination {letter.destination}, routes {', '.join(routes_of(letter))}\n"
              f"  failed {letter.failed_at:%Y-%m-%d %H:%M:%S} UTC after {letter.attempts} attempt(s): "
              f"{letter.reason}\n")
    if letter.alert is not None:
        out.write(f"  {letter.alert.url}\n")
    out.write((payload.model_dump_json(indent=2, exclude_none=True) if payload else "{}") + "\n")
    return 0
