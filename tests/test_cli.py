"""The `newswatch` commands, run as an operator runs them, against the real Kafka, Redis and a receiver."""

from __future__ import annotations

import io
import json
import logging
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.config.broken import BASE
from tests.deliver.conftest import match
from tests.kit.http import LocalServer
from tests.kit.topics import publish
from worker.cli import main, package_version
from worker.clients.kafka import Kafka
from worker.clients.redis import Redis
from worker.deliver.alerts import build_alert
from worker.deliver.replay import payload_id
from worker.records import Alert, DeadLetter

ROUTES = """
    routes:
      - id: conflict
        when:
          entities: {any: [islamic-state]}
          event_types: {any: [armed-conflict]}
        to: [console, hook, slack]
    """


@pytest.fixture
def folder(tmp_path: Path, kafka: Kafka, redis_store: Redis, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder on the test's own topics and keys: console, a webhook at $HOOK_URL, optional Slack."""
    k, r = kafka.settings, redis_store.settings
    (tmp_path / "settings.yaml").write_text(textwrap.dedent(f"""
        settings:
          kafka: {{bootstrap: "{k.bootstrap}", topic_prefix: "{k.topic_prefix}",
                  group_prefix: "{k.group_prefix}", partitions: {k.partitions}}}
          redis: {{url: "{r.url}", key_prefix: "{r.key_prefix}"}}
          deliver: {{retry: {{delays: [0.05, 0.1], open_after: 3, probe_max: 0.3}}}}
          metrics: {{port: 0}}
        """))
    (tmp_path / "watch.yaml").write_text(textwrap.dedent(BASE["watch.yaml"]))
    (tmp_path / "routes.yaml").write_text(textwrap.dedent(ROUTES))
    (tmp_path / "destinations.yaml").write_text(textwrap.dedent("""
        destinations:
          - id: console
            type: console
          - id: hook
            type: webhook
            url: ${HOOK_URL}
          - id: slack
            type: slack
            url: ${SLACK_URL}
            optional: true
        """))
    monkeypatch.setenv("HOOK_URL", "http://127.0.0.1:9/nothing-listens")
    monkeypatch.delenv("SLACK_URL", raising=False)
    return tmp_path


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"newswatch {package_version()}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("usage: newswatch")
    assert "Newswatch polls news feeds" in text and "exit codes:" in text and "examples:" in text
    assert "Thin: parse arguments" not in text


def test_config_check_takes_config_like_every_command(folder: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", "--config", str(folder), "-q"]) == 0
    assert f"{folder}: ok" in capsys.readouterr().out
    assert main(["config", "check", str(folder)]) == 0  # the positional form still works


def test_destinations_test_sends_a_marked_message(folder: Path, http_server: LocalServer,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOOK_URL", http_server.set("/hook", status=200))
    assert main(["destinations", "test", "hook", "--config", str(folder)]) == 0
    assert "test message test-" in capsys.readouterr().out
    [post] = http_server.received("/hook", "POST")
    alert = Alert.model_validate_json(post.body)
    assert alert.title.startswith("TEST MESSAGE from Newswatch") and alert.route == "newswatch-test"
    assert json.loads(post.body)["event"] == "test"  # a receiver tells it from an alert
    http_server.set("/hook", status=404)
    assert main(["destinations", "test", "hook", "--config", str(folder)]) == 1
    assert "the test message did not reach 'hook': HTTP 404" in capsys.readouterr().err
    assert main(["destinations", "test", "slack", "--config", str(folder)]) == 2
    assert "destination 'slack' is disabled (SLACK_URL unset)" in capsys.readouterr().err
    assert main(["destinations", "test", "hoook", "--config", str(folder)]) == 2
    assert "no destination 'hoook' (did you mean 'hook'?)" in capsys.readouterr().err


def dead_letters(kafka: Kafka, *specs: tuple[str, str, float]) -> list[DeadLetter]:
    """One dead letter per (destination, route, hours since it failed), on the dead-letter topic."""
    letters = []
    for destination, route, hours in specs:
        m = match(routes=(route,), destinations=(destination,))
        letters.append(DeadLetter(alert=build_alert(m, m.routes[0]), destination=destination,
                                  reason="HTTP 503", attempts=5,
                                  failed_at=datetime.now(UTC) - timedelta(hours=hours)))
    publish(kafka, "deadletter", letters, key=payload_id)
    return letters


def test_dlq_list_show_and_filters(folder: Path, kafka: Kafka, capsys: pytest.CaptureFixture[str],
                                   caplog: pytest.LogCaptureFixture) -> None:
    letters = dead_letters(kafka, ("hook", "conflict", 3), ("slack", "conflict", 0.1), ("hook", "syria", 0.2))
    with caplog.at_level(logging.INFO):
        assert main(["dlq", "list", "--config", str(folder)]) == 0
    # a command that reads state does not repeat the config's notes (slack: SLACK_URL unset); `run` logs them
    assert not [r for r in caplog.records if r.name == "newswatch.config"]
    captured = capsys.readouterr()
    assert "SLACK_URL" not in captured.err
    table = captured.out.splitlines()
    assert table[0].split() == ["ID", "AGE", "DESTINATION", "ROUTE", "TRIES", "REASON"]
    assert len(table) == 5 and table[-1].startswith("3 dead letter(s)")
    assert main(["dlq", "list", "--json", "--destination", "hook", "--older-than", "1h",
                 "--config", str(folder)]) == 0
    [only] = [DeadLetter.model_validate(d) for d in json.loads(capsys.readouterr().out)]
    assert only.alert and letters[0].alert and only.alert.id == letters[0].alert.id
    assert main(["dlq", "list", "--json", "--route", "syria", "--config", str(folder)]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["dlq", "list", "--json", "--route", "nosuch", "--config", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == []  # one JSON document even when nothing is pending
    assert letters[1].alert is not None
    assert main(["dlq", "show", letters[1].alert.id[:10], "--config", str(folder)]) == 0
    shown = capsys.readouterr().out
    assert "destination slack, routes conflict" in shown and "HTTP 503" in shown
    assert main(["dlq", "show", "ffffffffffff", "--config", str(folder)]) == 1


def test_dlq_replay_dry_run_filters_and_a_disabled_destination(
        folder: Path, kafka: Kafka, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    dead_letters(kafka, ("hook", "conflict", 1), ("slack", "conflict", 1), ("hook", "conflict", 1))
    monkeypatch.setenv("HOOK_URL", http_server.set("/hook", status=200))
    assert main(["dlq", "replay", "--dry-run", "--config", str(folder)]) == 0
    assert "dry run: 3 dead letter(s) would be replayed; nothing was sent" in capsys.readouterr().out
    assert http_server.received("/hook", "POST") == []
    assert main(["dlq", "replay", "--destination", "hook", "--config", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "replayed: 2, delivered: 2, failed again: 0" in out and "left for later (not selected): 1" in out
    assert len(http_server.received("/hook", "POST")) == 2
    assert main(["dlq", "replay", "--config", str(folder)]) == 1  # slack is still disabled
    out = capsys.readouterr().out
    assert "replayed: 1, delivered: 0, failed again: 1" in out
    assert "failed again: 1 to slack: destination disabled: SLACK_URL unset" in out
    assert main(["dlq", "list", "--json", "--config", str(folder)]) == 0
    [kept] = [DeadLetter.model_validate(d) for d in json.loads(capsys.readouterr().out)]
    assert kept.destination == "slack" and kept.reason == "destination disabled: SLACK_URL unset"


def test_match_takes_files_folders_and_stdin(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "a.txt").write_text("IS fighters capture a town\n\nIS fighters captured the town at dawn.\n")
    (saved / "b.txt").write_text("Markets calm\n\nNothing happened today.\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Weather\n\nSunny.\n")))
    assert main(["match", str(saved), "-", "--config", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"==> {saved / 'a.txt'} <==" in out and f"==> {saved / 'b.txt'} <==" in out and "==> - <==" in out
    assert out.count("FIRED") == 1
    assert "FIRED    conflict  to console, hook; disabled, so dead-lettered: slack (SLACK_URL unset)" in out
    assert "held: entities.any: islamic-state matched" in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Weather\n\nSunny.\n")))
    assert main(["match", "-", "--json", "--config", str(folder)]) == 1
    [record] = json.loads(capsys.readouterr().out)
    assert record["routes"] == []
    assert main(["match", str(saved), "--json", "--config", str(folder)]) == 0  # one document for many
    assert [bool(r["routes"]) for r in json.loads(capsys.readouterr().out)] == [True, False]


def test_match_reads_articles_as_from_a_feed_of_the_config(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    config = Path(__file__).resolve().parents[1] / "config"
    story = tmp_path / "story.txt"
    story.write_text("Markets calm\n\nNothing happened today.\n")
    assert main(["match", str(story), "--feed", "bbc-world", "--config", str(config)]) == 1
    assert "  from feed 'bbc-world', tags world, uk; no author named\n" in capsys.readouterr().out
    assert main(["match", str(story), "--feed", "bbc-wrld", "--config", str(config)]) == 2
    assert "newswatch: --feed bbc-wrld: no such feed (did you mean 'bbc-world'?)" in capsys.readouterr().err


def test_mute_list_and_unmute(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = ["--config", str(folder)]
    assert main(["mute", "entity", "islamic-state", "--for", "12h", "--reason", "anniversary coverage",
                 "--by", "alice", *config]) == 0
    said = capsys.readouterr().out
    assert said.startswith("muted entity islamic-state until ")
    assert "(12h) by alice: anniversary coverage" in said
    assert main(["mute", "route", "conflict", "--for", "30m", *config]) == 0
    capsys.readouterr()
    assert main(["mute", "list", *config]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["KIND", "ID", "UNTIL", "LEFT", "BY", "REASON"]
    assert lines[1].startswith("route   conflict") and lines[2].startswith("entity  islamic-state")
    assert "alice" in lines[2] and lines[2].endswith("anniversary coverage")
    assert main(["mute", "list", "--json", *config]) == 0
    listed = json.loads(capsys.readouterr().out)["mutes"]
    assert [(m["kind"], m["id"], m["by"], m["source"]) for m in listed][1] == (
        "entity", "islamic-state", "alice", "runtime")
    assert main(["unmute", "route", "conflict", *config]) == 0
    assert capsys.readouterr().out.startswith("unmuted route conflict")
    assert main(["unmute", "route", "conflict", *config]) == 1
    assert "no run-time mute on route 'conflict'" in capsys.readouterr().err
    assert main(["unmute", "entity", "islamic-state", *config]) == 0
    capsys.readouterr()
    assert main(["mute", "list", "--json", *config]) == 0
    assert json.loads(capsys.readouterr().out) == {"mutes": []}


def test_mute_refuses_what_it_cannot_mute(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = ["--config", str(folder)]
    assert main(["mute", "entity", "islamic-stat", "--for", "1h", *config]) == 2
    assert "no entity 'islamic-stat' in the config at" in capsys.readouterr().err
    assert main(["mute", "story", "0" * 32, "--for", "1h", *config]) == 2
    assert "no story or alert '" + "0" * 32 + "' in Redis" in capsys.readouterr().err
    assert main(["mute", "route", "conflict", "--for", "soon", *config]) == 2
    assert "--for: 'soon' is not a duration" in capsys.readouterr().err
