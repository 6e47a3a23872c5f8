"""The options every kafka-python client of the process is built with, from one function.

The producer, the consumers and the admin clients (the outage probe included)
all connect the same way: the bootstrap servers, then TLS and SASL as
`settings.kafka` says. In order of precedence, each client gets:

1. the connection and security settings (`bootstrap`, `security_protocol`,
   `sasl_*`, `ssl_*`): nothing overrides them;
2. the pass-through `settings.kafka.options` this kind of client knows (an
   option only the producer knows is not handed to a consumer, which would
   refuse it); they win over
3. Newswatch's tuned defaults (reconnect pace, batch and fetch sizes, timeouts).

Keys Newswatch sets for a guarantee (acks, idempotence, manual commits) or
through a setting of its own are refused when the config is loaded
(`KAFKA_OWNED_OPTIONS`); a key no kafka-python client knows is refused here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer

from worker.config.models import KafkaSettings
from worker.errors import ConfigError

Client = Literal["producer", "consumer", "admin"]
_KNOWN: dict[Client, frozenset[str]] = {
    "producer": frozenset(KafkaProducer.DEFAULT_CONFIG), "consumer": frozenset(KafkaConsumer.DEFAULT_CONFIG),
    "admin": frozenset(KafkaAdminClient.DEFAULT_CONFIG)}
# Reconnect within a second of the broker's return (kafka-python's default backs off up to 30 s).
RECONNECT = {"reconnect_backoff_ms": 100, "reconnect_backoff_max_ms": 1000, "retry_backoff_ms": 100}


def client_options(settings: KafkaSettings, client: Client, client_id: str,
                   tuned: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The keyword arguments of one kafka-python client: see the module docstring for what wins."""
    check_options(settings)
    passed = {k: v for k, v in settings.options.items() if k in _KNOWN[client]}
    return {**RECONNECT, **(tuned or {}), **passed, **_connection(settings, client_id)}


def check_options(settings: KafkaSettings) -> None:
    """Refuse a pass-through option no kafka-python client knows (a typo would otherwise be dropped)."""
    unknown = sorted(k for k in settings.options if not any(k in known for known in _KNOWN.values()))
    if unknown:
        raise ConfigError([f"settings.kafka.options.{key}: no kafka-python client has this option; see "
                           f"the KafkaProducer, KafkaConsumer and KafkaAdminClient documentation of "
                           f"kafka-python for the names (snake_case: request_timeout_ms, not "
                           f"request.timeout.ms)" for key in unknown])


def _connection(settings: KafkaSettings, client_id: str) -> dict[str, Any]:
    options: dict[str, Any] = {"bootstrap_servers": settings.bootstrap.split(","), "client_id": client_id,
                               "security_protocol": settings.security_protocol}
    if settings.security_protocol.startswith("SASL_"):
        options |= {"sasl_mechanism": settings.sasl_mechanism, "sasl_plain_username": settings.sasl_username,
                    "sasl_plain_password": settings.sasl_password.get_secret_value()
                    if settings.sasl_password else None}
    if settings.security_protocol.endswith("SSL"):
        options |= {"ssl_check_hostname": settings.ssl_check_hostname, "ssl_cafile": settings.ssl_cafile,
                    "ssl_certfile": settings.ssl_certfile, "ssl_keyfile": settings.ssl_keyfile}
    return options
