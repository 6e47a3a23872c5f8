"""What was delivered: one Redis key per (alert or digest, destination), written after the receiver's 2xx.

How Newswatch gets "no alert lost, none sent twice" out of at-least-once Kafka:

1. The deliver stage commits a `matches` offset only after every alert of the
   batch is resolved: sent (and written here), collected into a digest (in
   Redis), or produced to the dead-letter topic and acknowledged by Kafka.
   A crash before that point re-reads the batch; nothing is lost.
2. Before sending, the stage looks here. An alert already sent to a
   destination is skipped, so re-reading a batch after a crash, a rebalance or
   a replay sends nothing twice.
3. What remains is the gap between the receiver's 2xx and the write here, one
   Redis round trip long. A crash inside it sends that alert again after the
   restart. Webhook receivers see the same `webhook-id` (the alert id) on the
   repeat and drop it, as the Standard Webhooks spec intends, so for them the
   effect is exactly once. Slack incoming webhooks take no idempotency key;
   there a crash inside that gap can repeat one message. The alternative,
   writing "sent" before sending, would turn the same crash into a lost alert,
   and a missed alert is the worse failure for a monitoring team.

Keys expire after `settings.deliver.sent_ttl` (30 days by default), longer
than any story's window, so the ledger does not grow for ever. Each holds when
it was written and, for an alert handed to a digest, the digest's id (whose
own key says when the digest went): what `newswatch alerts` reports.

Work that one replica must do alone (a digest to send, a destination's
waiting alerts to drain) is held under a `Lease` (worker/clients/lease.py): a
Redis key holding a random token, renewed and released only by the holder that
token names, so a replica whose lease expired (a pause, a slow answer) can
neither renew nor delete the lease another replica took meanwhile. It expires
by itself when its holder dies.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from worker.clients.lease import Lease
from worker.clients.redis import Pipeline, Redis


@dataclass(frozen=True)
class Receipt:
    """What the ledger holds for one (alert or digest, destination)."""

    at: float | None  # when it was delivered (or handed to its digest); None: marked before times were kept
    digest: str | None = None  # the digest it was handed to, which is delivered under its own id

    @classmethod
    def parse(cls, raw: str) -> Receipt:
        when, _, digest = raw.partition(" ")
        at = float(when)
        return cls(at if at > 1 else None, digest or None)  # "1": a mark from before times were kept


class Ledger:
    def __init__(self, store: Redis, ttl: float) -> None:
        self.store = store
        self.ttl = int(ttl)

    def sent(self, delivery_id: str, destination: str) -> bool:
        return self.store.exists(self.key(delivery_id, destination))

    def mark_sent(self, delivery_id: str, destination: str, pipe: Pipeline | None = None,
                  digest: str | None = None) -> None:
        """Record a delivery, or the hand-over to `digest`; inside `pipe` when it must be atomic with other
        writes."""
        value = f"{time.time():.3f}" + (f" {digest}" if digest else "")
        if pipe is None:
            self.store.set(self.key(delivery_id, destination), value, ex=self.ttl)
        else:
            pipe.set(self.key(delivery_id, destination), value, ex=self.ttl)

    def receipts(self, deliveries: Sequence[tuple[str, str]]) -> list[Receipt | None]:
        """The receipt of each (delivery id, destination); None where nothing was delivered (or the mark
        expired after `sent_ttl`)."""
        raw = self.store.mget([self.key(delivery_id, destination) for delivery_id, destination in deliveries])
        return [Receipt.parse(value) if value is not None else None for value in raw]

    def key(self, delivery_id: str, destination: str) -> str:
        return self.store.keys.sent(delivery_id, destination)

    def lease(self, name: str, seconds: float) -> Lease:
        """The lease on some work (not yet taken): `renew()` takes it."""
        return Lease(self.store, self.store.keys.claim(name), seconds)

    def claim(self, name: str, seconds: float) -> Lease | None:
        """A lease on some work, so one replica does it; None while another replica holds it."""
        lease = self.lease(name, seconds)
        return lease if lease.renew() else None
