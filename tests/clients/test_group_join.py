"""A consumer whose group join outlasts its poll still joins (worker/clients/group_join.py).

The poll timeout of 1 ms is shorter than any JoinGroup/SyncGroup round trip,
so every join finishes while no poll waits for it: the case in which
kafka-python 3.0.12 left the member rebalancing forever after a metadata
change (here: partitions added to its topic).
"""

from __future__ import annotations

import pytest
from kafka import KafkaAdminClient
from kafka.admin import NewPartitions, NewTopic

from tests.kit.waiting import wait_until
from worker.clients.kafka import GroupState, Kafka

pytestmark = pytest.mark.integration


def test_a_join_that_finishes_between_polls_is_not_lost(kafka: Kafka) -> None:
    topic = kafka.topic("grows")
    admin = KafkaAdminClient(bootstrap_servers=kafka.servers, client_id="newswatch-test")
    admin.create_topics([NewTopic(topic, 1, 1)])
    consumer = kafka.consumer(kafka.settings.group_prefix + "grows", ["grows"])
    try:
        assert wait_until(lambda: not consumer.poll(0.001) and len(consumer.assigned) == 1, timeout=90)
        admin.create_partitions({topic: NewPartitions(3)})
        assert wait_until(lambda: not consumer.poll(0.001) and len(consumer.assigned) == 3, timeout=120), \
            consumer.membership()
        assert consumer.membership().state is GroupState.STABLE
    finally:
        consumer.close()
        admin.delete_topics([topic])
        admin.close()
