"""A managed Kafka's settings (TLS, SASL, pass-through options) pass `config check` and reach kafka-python."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.config.test_broken_configs import check, write_case
from worker.clients.kafka_options import client_options
from worker.config.loader import load_config
from worker.config.models import KafkaSettings
from worker.errors import ConfigError

MANAGED = """
    settings:
      kafka:
        bootstrap: pkc-1.eu-west-1.aws.confluent.cloud:9092
        security_protocol: SASL_SSL
        sasl_mechanism: SCRAM-SHA-512
        sasl_username: newswatch
        sasl_password: ${KAFKA_SASL_PASSWORD}
        ssl_cafile: /etc/ssl/certs/ca-certificates.crt
        options: {request_timeout_ms: 45000, linger_ms: 20, connections_max_idle_ms: 300000}
    """
PASSWORD = "s3cr3t-scram-password"  # noqa: S105 - a test's


def managed(folder: Path, settings: str = MANAGED) -> Path:
    write_case(folder)
    (folder / "settings.yaml").write_text(textwrap.dedent(settings).lstrip())
    return folder


def test_a_managed_kafka_config_passes_config_check_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    folder = managed(tmp_path)
    code, lines = check(folder, monkeypatch, capsys, {"KAFKA_SASL_PASSWORD": PASSWORD}, "--strict")
    assert code == 0, lines
    assert not any(PASSWORD in line for line in lines)


def test_its_settings_reach_every_kafka_python_client(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", PASSWORD)
    monkeypatch.delenv("NEWSWATCH_KAFKA_BOOTSTRAP", raising=False)
    settings = load_config(managed(tmp_path)).settings.kafka
    security = {"bootstrap_servers": ["pkc-1.eu-west-1.aws.confluent.cloud:9092"],
                "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512",
                "sasl_plain_username": "newswatch", "sasl_plain_password": PASSWORD,
                "ssl_cafile": "/etc/ssl/certs/ca-certificates.crt", "ssl_check_hostname": True,
                "ssl_certfile": None, "ssl_keyfile": None}
    for client in ("producer", "consumer", "admin"):
        options = client_options(settings, client, "newswatch-test", {"request_timeout_ms": 15000})
        assert options.items() >= security.items(), client
        assert options["request_timeout_ms"] == 45000  # the pass-through option wins over our default
        assert options["client_id"] == "newswatch-test"
    producer = client_options(settings, "producer", "p")
    consumer = client_options(settings, "consumer", "c")
    assert producer["linger_ms"] == 20 and "linger_ms" not in consumer  # a consumer would refuse it


def test_a_password_in_the_file_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = managed(tmp_path, MANAGED.replace("${KAFKA_SASL_PASSWORD}", PASSWORD))
    code, lines = check(folder, monkeypatch, capsys, {}, "--strict")
    assert code != 0
    assert any("settings.kafka.sasl_password" in line and "plain text" in line
               and "${KAFKA_SASL_PASSWORD}" in line for line in lines), lines
    assert not any(PASSWORD in line for line in lines)


@pytest.mark.parametrize(("settings", "says"), [
    ({"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN", "sasl_username": "u"},
     "security_protocol SASL_SSL needs sasl_password"),
    ({"security_protocol": "SASL_PLAINTEXT", "sasl_username": "u", "sasl_password": "p"},
     "needs sasl_mechanism"),
    ({"sasl_username": "u"}, "sasl_username is set but security_protocol is PLAINTEXT"),
    ({"security_protocol": "SASL_PLAINTEXT", "ssl_cafile": "/ca.pem", "sasl_mechanism": "PLAIN",
      "sasl_username": "u", "sasl_password": "p"},
     "ssl_cafile is set but security_protocol is SASL_PLAINTEXT"),
    ({"security_protocol": "SSL", "ssl_keyfile": "/k.pem"}, "ssl_keyfile is set without ssl_certfile"),
    ({"options": {"acks": 1}}, "options.acks: Newswatch sets it itself"),
    ({"options": {"sasl_plain_password": "x"}}, "use settings.kafka.sasl_password"),
    ({"sasl_mechanism": "GSSAPI"}, "sasl_mechanism"),
])
def test_wrong_security_settings_are_refused_naming_the_key(settings: dict[str, object], says: str) -> None:
    with pytest.raises(ValidationError) as refused:
        KafkaSettings.model_validate(settings)
    assert says in str(refused.value)


def test_an_option_no_client_knows_is_refused_naming_it() -> None:
    settings = KafkaSettings(options={"request.timeout.ms": 1000})
    with pytest.raises(ConfigError, match=r"options.request.timeout.ms: no kafka-python client has"):
        client_options(settings, "producer", "p")


def test_plaintext_sends_no_credentials_or_tls_options() -> None:
    options = client_options(KafkaSettings(), "consumer", "c")
    assert options["security_protocol"] == "PLAINTEXT"
    assert not any(k.startswith(("sasl_", "ssl_")) for k in options)


def test_config_check_refuses_an_option_no_client_knows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = managed(tmp_path, MANAGED.replace("linger_ms: 20", "linger.ms: 20"))
    code, lines = check(folder, monkeypatch, capsys, {"KAFKA_SASL_PASSWORD": PASSWORD})
    assert code == 1
    assert any("settings.kafka.options.linger.ms: no kafka-python client has this option" in line
               for line in lines), lines
