"""The delivery ledger's marks: when each delivery was made, and the digest that carried it."""

from __future__ import annotations

import time

from worker.clients.redis import Redis
from worker.deliver.ledger import Ledger, Receipt


def test_a_receipt_reads_the_time_and_the_digest() -> None:
    assert Receipt.parse("1765100000.250") == Receipt(1765100000.25)
    assert Receipt.parse("1765100000.250 9f0c") == Receipt(1765100000.25, "9f0c")
    assert Receipt.parse("1") == Receipt(None)  # marked before the ledger kept times


def test_marks_say_when_and_how(redis_store: Redis) -> None:
    ledger = Ledger(redis_store, ttl=60)
    before = time.time()
    ledger.mark_sent("a1", "hook")
    pipe = redis_store.pipeline(transaction=True)
    ledger.mark_sent("a2", "hook", pipe, digest="d1")
    pipe.execute()
    sent, handed, never = ledger.receipts([("a1", "hook"), ("a2", "hook"), ("a1", "slack")])
    assert sent is not None and sent.at is not None and sent.at >= before - 0.001  # kept to the millisecond
    assert sent.digest is None
    assert handed is not None and handed.digest == "d1"
    assert never is None and ledger.sent("a1", "hook") and not ledger.sent("a1", "slack")
    assert ledger.receipts([]) == []
