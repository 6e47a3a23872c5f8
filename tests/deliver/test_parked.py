"""The parked alerts and the leases that guard them, against the real Redis."""

from __future__ import annotations

import time

from tests.deliver.conftest import match
from worker.clients.redis import Redis
from worker.deliver.alerts import build_alert
from worker.deliver.job import Job
from worker.deliver.ledger import Ledger
from worker.deliver.parked import ParkedAlerts


def jobs(count: int) -> list[Job]:
    out = []
    for _ in range(count):
        m = match()
        out.append(Job(payload=build_alert(m, m.routes[0]), destination="hook"))
    return out


def test_parked_alerts_keep_their_arrival_order_whatever_their_due_times(redis_store: Redis) -> None:
    parked = ParkedAlerts(redis_store, Ledger(redis_store, 60))
    now = time.time()
    first, second, third = jobs(3)
    assert parked.park(first, due=now + 3600)
    assert parked.park(second, due=now)
    assert parked.park(third, due=now)
    assert [j.id for j in parked.due("hook", now, 10)] == [second.id, third.id]  # first is not due
    assert [j.id for j in parked.head("hook", 10)] == [first.id, second.id, third.id]
    parked.release("hook")  # the destination answers again: all due, in arrival order
    assert [j.id for j in parked.due("hook", now, 10)] == [first.id, second.id, third.id]


def test_parking_twice_keeps_the_first_place_and_history(redis_store: Redis) -> None:
    parked = ParkedAlerts(redis_store, Ledger(redis_store, 60))
    first, second = jobs(2)
    assert parked.park(first.model_copy(update={"attempts": 1, "reason": "HTTP 503"}), due=0)
    assert parked.park(second, due=0)
    assert not parked.park(first, due=0)  # a batch read again after a crash
    [again, _] = parked.head("hook", 2)
    assert again.id == first.id and again.attempts == 1 and again.reason == "HTTP 503"
    assert parked.waiting("hook").count == 2


def test_delivered_is_written_to_the_ledger_and_stops_waiting_at_once(redis_store: Redis) -> None:
    ledger = Ledger(redis_store, 60)
    parked = ParkedAlerts(redis_store, ledger)
    [job] = jobs(1)
    parked.park(job, due=0)
    parked.delivered(job)
    assert ledger.sent(job.id, "hook") and parked.waiting("hook").count == 0 and parked.head("hook", 1) == []


def test_a_lease_is_renewed_and_released_only_by_its_holder(redis_store: Redis) -> None:
    ledger = Ledger(redis_store, 60)
    mine, theirs = ledger.lease("destination:hook", 30), ledger.lease("destination:hook", 30)
    assert mine.renew() and mine.renew()
    assert not theirs.renew()
    redis_store.delete(mine.key)  # as if it expired while its holder was paused
    assert theirs.renew()
    assert not mine.renew()  # the paused holder cannot take it back...
    mine.release()  # ...nor delete it
    assert redis_store.get(theirs.key) == theirs.token
    theirs.release()
    assert redis_store.get(theirs.key) is None
