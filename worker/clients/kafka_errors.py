"""Kafka's failures in Newswatch's own classes, each saying what to do.

Two kinds, because the stage loop treats them differently:

- a `ServiceUnavailable` (`KafkaUnreachable`, `KafkaNotAuthorised`,
  `UnknownTopic`, `KafkaFailed` for any other broker failure): the batch is rewound and
  retried. An operator may have to act (start the broker, fix an ACL, create
  a topic), but the record is not at fault and nothing is lost meanwhile;
- a `RecordError` (`RecordTooLarge`): this record can never be written, so
  retrying it would block its partition for ever; the stage rejects it and
  goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kafka import errors as kafka_errors

from worker.config.models import KafkaSettings
from worker.errors import NewswatchError, RecordError, ServiceUnavailable

# What kafka-python raises when no broker answers: retried, never a reason to stop a stage.
UNREACHABLE = (kafka_errors.KafkaConnectionError, kafka_errors.KafkaTimeoutError,
               kafka_errors.NodeNotReadyError, kafka_errors.RequestTimedOutError)
_TOO_LARGE = (kafka_errors.MessageSizeTooLargeError, kafka_errors.RecordListTooLargeError)
_NOT_AUTHORISED = (kafka_errors.AuthorizationError, kafka_errors.SaslAuthenticationFailedError)
_UNKNOWN_TOPIC = (kafka_errors.UnknownTopicOrPartitionError, kafka_errors.InvalidTopicError)


class KafkaUnreachable(ServiceUnavailable):
    """No broker answers at the bootstrap address (or in time): retried until one does."""


class KafkaFailed(ServiceUnavailable):
    """Any other failure of the brokers (an unexpected error code): retried like an outage."""


class KafkaNotAuthorised(ServiceUnavailable):
    """The brokers refused our credentials, or an ACL refused the principal this topic or group."""


class UnknownTopic(ServiceUnavailable):
    """The topic does not exist (and the brokers do not create topics on first use)."""


@dataclass(frozen=True)
class Refused:
    """A record that could not be written: where it was going, its key, its size in bytes, the limit."""

    topic: str
    key: str
    size: int
    limit: str


class RecordTooLarge(RecordError):
    """Larger than the producer's max_request_size or the topic's max.message.bytes: it can never be sent.

    `records` lists every such record of the send; all the others were
    acknowledged by the brokers.
    """

    def __init__(self, records: Sequence[Refused]) -> None:
        self.records = list(records)
        first = self.records[0]
        more = f" (and {len(self.records) - 1} more)" if len(self.records) > 1 else ""
        super().__init__(
            f"record {first.key!r} for topic {first.topic} is {first.size} bytes{more}, over "
            f"{first.limit}: it can never be sent, so it is rejected; raise the topic's "
            f"max.message.bytes (and settings.kafka.options.max_request_size) if such records are expected")


def translate(settings: KafkaSettings, exc: BaseException, topic: str | None = None) -> NewswatchError:
    """Our error for a kafka-python failure: what failed, where, and what to do about it."""
    where = f"Kafka at {settings.bootstrap}"
    if isinstance(exc, _NOT_AUTHORISED):
        user, mechanism = settings.sasl_username, settings.sasl_mechanism
        principal = (f"principal {user!r} ({mechanism})" if user
                     else f"the anonymous principal ({settings.security_protocol}, no SASL)")
        target = f"topic {topic}" if topic else "the topic or consumer group"
        return KafkaNotAuthorised(
            f"{where} refused {principal} for {target} ({type(exc).__name__}: {exc}); check "
            f"settings.kafka.sasl_username and sasl_password, and the ACLs that grant the principal "
            f"Read, Write and Describe on the {settings.topic_prefix}* topics and the "
            f"{settings.group_prefix}* groups")
    if isinstance(exc, _UNKNOWN_TOPIC):
        return UnknownTopic(
            f"{where} has no topic {topic or '(one of the stage topics)'} ({exc}); the worker creates "
            f"its topics when it starts: check settings.kafka.topic_prefix, or create the topic by hand "
            f"where the principal may not create topics")
    if not isinstance(exc, UNREACHABLE):
        return KafkaFailed(f"{where} failed a request ({type(exc).__name__}: {exc}); it is retried; if it "
                           f"goes on, the brokers' log says why")
    return KafkaUnreachable(
        f"{where} does not answer ({type(exc).__name__}: {exc}); start it with `make up` or set "
        f"NEWSWATCH_KAFKA_BOOTSTRAP to your brokers (and settings.kafka.security_protocol to what their "
        f"listener speaks)")


def too_large(exc: BaseException) -> bool:
    return isinstance(exc, _TOO_LARGE)
