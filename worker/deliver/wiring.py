"""What sends alerts, wired once: the ledger, the destinations with their transport, the deliverer.

The deliver stage, `newswatch dlq replay` and the redelivery benchmark send
through the same parts, built here, so a part added to delivery (a pacer, a
breaker) reaches all of them. Only the stage parks what fails for a retry:
a replay runs when an operator has fixed the destination, so a failure there
is a dead letter again at once (see `delivery`).
"""

from __future__ import annotations

from dataclasses import dataclass

from worker.clients.http import HttpClient
from worker.clients.redis import Redis
from worker.config.models import Config
from worker.deliver.breaker import Breakers
from worker.deliver.delivery import Deliverer, Retries
from worker.deliver.destinations import Destinations
from worker.deliver.ledger import Ledger
from worker.deliver.parked import ParkedAlerts
from worker.pace import Pacer


@dataclass(frozen=True)
class Wiring:
    ledger: Ledger
    destinations: Destinations
    retries: Retries  # where failed deliveries wait; the deliverer uses it only when it parks
    deliverer: Deliverer

    def close(self) -> None:
        """Wait for the deliveries under way, then close the destinations' HTTP client."""
        self.deliverer.close()
        self.destinations.http.close()


def wire(config: Config, store: Redis, deadletter_topic: str, *, park: bool = True) -> Wiring:
    """The parts, for `config`'s destinations; `park=False` makes each failure a dead letter at once."""
    ledger = Ledger(store, config.settings.deliver.sent_ttl)
    destinations = Destinations(config, HttpClient(config.settings.http, guard=False), Pacer(store))
    retries = Retries(ParkedAlerts(store, ledger), Breakers(store))
    deliverer = Deliverer(config.settings.deliver, ledger, deadletter_topic, retries if park else None)
    return Wiring(ledger, destinations, retries, deliverer)
