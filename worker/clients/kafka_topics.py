"""The topics' settings that the worker owns: retention set on the topics it creates, and compared,
never changed, on those that exist.

Changing a live topic's retention is the broker operator's call (shortening
it deletes history at once), so a difference is reported at start with the
command that applies the config's value, and the topic is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from worker.config.models import KafkaSettings
from worker.logs import human_duration

RETENTION = "retention.ms"


@dataclass(frozen=True)
class RetentionDrift:
    """A topic whose retention is not the config's."""

    topic: str
    configured_ms: int
    actual_ms: int

    def fields(self) -> dict[str, str]:
        """For the start report: both values in words, and the two ways to make them agree."""
        name = self.topic
        return {"topic": name, "retention": _words(self.actual_ms), "config": _words(self.configured_ms),
                "fix": f"kafka-configs.sh --bootstrap-server HOST:PORT --alter --entity-type topics "
                       f"--entity-name {name} --add-config {RETENTION}={self.configured_ms}, or set "
                       f"settings.kafka.retention to the topic's value"}


def topic_configs(settings: KafkaSettings, name: str) -> dict[str, str]:
    """The configs a topic is created with: its retention, when the config sets one."""
    ms = settings.retention.ms().get(name)
    return {} if ms is None else {RETENTION: str(ms)}


def retention_drifts(admin: KafkaAdminClient, settings: KafkaSettings,
                     names: Iterable[str]) -> list[RetentionDrift]:
    """The topics among `names` (unprefixed) whose retention differs from the config's."""
    chosen = set(names)
    wanted = {settings.topic(name): ms for name, ms in settings.retention.ms().items() if name in chosen}
    if not wanted:
        return []
    resources = [ConfigResource(ConfigResourceType.TOPIC, topic, {RETENTION: None}) for topic in wanted]
    described = admin.describe_configs(resources, config_filter="all").get("topic", {})
    actual = {topic: int(configs[RETENTION]["value"]) for topic, configs in described.items()
              if RETENTION in configs}
    return [RetentionDrift(topic, ms, actual[topic]) for topic, ms in sorted(wanted.items())
            if topic in actual and actual[topic] != ms]


def _words(ms: int) -> str:
    return "forever" if ms < 0 else human_duration(ms / 1000)


def log_bytes(admin: KafkaAdminClient, topics: list[str]) -> dict[str, int]:
    """Bytes each topic's partitions hold in the brokers' log directories (replicas counted)."""
    sizes = dict.fromkeys(topics, 0)
    for broker in admin.describe_log_dirs(topics):
        for log_dir in broker["log_dirs"]:
            for topic in log_dir["topics"]:
                if topic["name"] in sizes:
                    sizes[topic["name"]] += sum(p["partition_size"] for p in topic["partitions"])
    return sizes
