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
than any story's window, so the ledger does not grow for ever.
"""

from __future__ import annotations

import redis

from worker.clients.redis import Redis


class Ledger:
    def __init__(self, store: Redis, ttl: float) -> None:
        self.store = store
        self.ttl = int(ttl)

    def sent(self, delivery_id: str, destination: str) -> bool:
        return bool(self.store.client.exists(self._key(delivery_id, destination)))

    def mark_sent(self, delivery_id: str, destination: str,
                  pipe: redis.client.Pipeline | None = None) -> None:
        """Record a delivery; inside `pipe` when it must be atomic with other writes."""
        (pipe or self.store.client).set(self._key(delivery_id, destination), 1, ex=self.ttl)

    def claim(self, name: str, seconds: float) -> bool:
        """A short claim on some work (a digest to send), so one replica does it; it expires by itself."""
        claim = self.store.key("claim", name)
        return bool(self.store.client.set(claim, 1, nx=True, ex=max(1, int(seconds))))

    def release(self, name: str) -> None:
        self.store.client.delete(self.store.key("claim", name))

    def _key(self, delivery_id: str, destination: str) -> str:
        return self.store.key("sent", delivery_id, destination)
