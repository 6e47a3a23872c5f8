"""`newswatch destinations status`: each destination's delivery health, as every deliver replica sees it.

Read from Redis (the breakers, the parked alerts and the last outcomes are
shared state), so it answers the same wherever it runs, with or without a
worker running. The state is the last outcome's: `open` while the breaker
holds everything back, `failing` when the last attempt failed (retryable or
refused: a receiver answering 410 to every alert keeps its breaker closed but
is failing), `retrying` while alerts wait behind attempts that went through,
else `ok`.
"""

from __future__ import annotations

import json
import time

from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.breaker import Breakers, label
from worker.deliver.ledger import Ledger
from worker.deliver.outcomes import Outcomes, state
from worker.deliver.parked import ParkedAlerts
from worker.table import ago, iso, print_table, span, until


def destination_status(config: Config) -> list[dict[str, object]]:
    store = Redis(config.settings.redis)
    store.ping()
    try:
        parked = ParkedAlerts(store, Ledger(store, config.settings.deliver.sent_ttl))
        breakers, outcomes = Breakers(store), Outcomes(store)
        kinds = {d.id: d.type for d in config.destinations}
        enabled = {d.id for d in config.destinations if d.enabled}
        now = time.time()
        rows = []
        for dest in sorted(kinds.keys() | parked.destinations()):
            breaker, waiting, outcome = breakers.load(dest), parked.waiting(dest), outcomes.load(dest)
            # a deployment from before outcomes were kept has the breaker's last (retryable) error
            error, error_at = ((outcome.last_error, outcome.last_failed_at) if outcome.last_failed_at
                               else (breaker.last_error, breaker.last_error_at))
            rows.append({
                "destination": dest, "type": kinds.get(dest, "(not in the config)"),
                "enabled": dest in enabled, "state": state(label(breaker, waiting.count), outcome),
                "breaker": breaker.state, "waiting": waiting.count,
                "oldest_waiting_seconds": round(waiting.age(now), 1), "failures": breaker.failures,
                "failed_since_delivered": outcome.failed_since_delivered,
                "last_delivered_at": iso(outcome.last_delivered_at),
                "next_probe": iso(breaker.next_probe) if not breaker.closed else None,
                "last_error": error or None, "last_error_at": iso(error_at),
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
    header = ("DESTINATION", "TYPE", "STATE", "BREAKER", "WAITING", "OLDEST", "FAILED", "LAST DELIVERED",
              "NEXT PROBE", "LAST ERROR")
    print_table(header, [
        (str(r["destination"]), str(r["type"]) + ("" if r["enabled"] else " (disabled)"), str(r["state"]),
         str(r["breaker"]), str(r["waiting"]), span(r["oldest_waiting_seconds"]) if r["waiting"] else "-",
         str(r["failed_since_delivered"]), ago(r["last_delivered_at"], now), until(r["next_probe"], now),
         f"{ago(r['last_error_at'], now)}: {r['last_error']}" if r["last_error"] else "-")
        for r in rows])

