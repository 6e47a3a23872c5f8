"""`newswatch destinations status`: each destination's delivery health, as every deliver replica sees it.

Read from Redis (the breakers and the parked alerts are shared state), so it
answers the same wherever it runs, with or without a worker running.
"""

from __future__ import annotations

import json
import time

from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.breaker import Breakers, label
from worker.deliver.ledger import Ledger
from worker.deliver.parked import ParkedAlerts
from worker.table import iso, print_table, span, until


def destination_status(config: Config) -> list[dict[str, object]]:
    store = Redis(config.settings.redis)
    store.ping()
    try:
        parked = ParkedAlerts(store, Ledger(store, config.settings.deliver.sent_ttl))
        breakers = Breakers(store)
        kinds = {d.id: d.type for d in config.destinations}
        enabled = {d.id for d in config.destinations if d.enabled}
        now = time.time()
        rows = []
        for dest in sorted(kinds.keys() | parked.destinations()):
            breaker, waiting = breakers.load(dest), parked.waiting(dest)
            rows.append({
                "destination": dest, "type": kinds.get(dest, "(not in the config)"),
                "enabled": dest in enabled, "state": label(breaker, waiting.count), "breaker": breaker.state,
                "waiting": waiting.count, "oldest_waiting_seconds": round(waiting.age(now), 1),
                "failures": breaker.failures,
                "next_probe": iso(breaker.next_probe) if not breaker.closed else None,
                "last_error": breaker.last_error or None, "last_error_at": iso(breaker.last_error_at),
            })
        return rows
    finally:
        store.close()


def print_status(config: Config, *, as_json: bool) -> None:
    rows = destination_status(config)
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    now = time.time()
    header = ("DESTINATION", "TYPE", "STATE", "BREAKER", "WAITING", "OLDEST", "FAILURES", "NEXT PROBE",
              "LAST ERROR")
    print_table(header, [
        (str(r["destination"]), str(r["type"]) + ("" if r["enabled"] else " (disabled)"), str(r["state"]),
         str(r["breaker"]), str(r["waiting"]), span(r["oldest_waiting_seconds"]) if r["waiting"] else "-",
         str(r["failures"]), until(r["next_probe"], now), str(r["last_error"] or "-")[:70])
        for r in rows])

