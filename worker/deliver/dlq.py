"""How `newswatch dlq list` and `dlq show` print dead letters: a table that fits 100 columns, or JSON."""

from __future__ import annotations

import json
import sys
import time
from typing import TextIO

from worker.deliver.replay import payload_id, routes_of
from worker.logs import human_duration
from worker.records import DeadLetter

WIDTH = 100


def print_letters(letters: list[DeadLetter], *, as_json: bool = False, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if as_json:  # one JSON document, `[]` when none are pending
        out.write(json.dumps([letter.model_dump(mode="json", exclude_none=True) for letter in letters],
                             indent=2, ensure_ascii=False) + "\n")
        return
    if not letters:
        out.write("no dead letters pending\n")
        return
    now = time.time()
    rows = [("ID", "AGE", "DESTINATION", "ROUTE", "TRIES", "REASON")]
    rows += [(payload_id(d)[:12], human_duration(max(0.0, now - d.failed_at.timestamp())), d.destination,
              ",".join(routes_of(d)), str(d.attempts), d.reason) for d in letters]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        head = "  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths, strict=True))
        room = max(10, WIDTH - len(head) - 2)
        reason = row[5] if len(row[5]) <= room else row[5][:room - 1].rsplit(" ", 1)[0] + "…"
        out.write(f"{head}  {reason}".rstrip() + "\n")
    out.write(f"{len(letters)} dead letter(s); `newswatch dlq show ID` for one in full\n")


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
