"""The config loader: every bad input gets a `file:line: key: problem; fix` line."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from worker.cli import main
from worker.config import load_config
from worker.config.models import parse_duration
from worker.config.schema import config_schema
from worker.errors import ConfigError

GOOD = {
    "feeds.yaml": """
        feeds:
          - id: wire
            url: https://example.org/feed.xml
            interval: 5m
        """,
    "watch.yaml": """
        watchlists:
          - id: groups
            name: Groups
            entities:
              - id: islamic-state
                name: Islamic State
                case_sensitive_aliases: [IS, ISIS]
        event_types:
          - id: capture
            name: Capture
            triggers: [capture]
        """,
    "routes.yaml": """
        routes:
          - id: r1
            when:
              entities: {any: [islamic-state]}
            to: [console]
        destinations:
          - id: console
            type: console
        """,
}


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return folder


def problems(folder: Path, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_config(folder, environ=env or {})
    return err.value.problems


def test_example_config_is_valid(example_config_dir: Path) -> None:
    config = load_config(example_config_dir, environ={})
    assert len(config.feeds) >= 12
    ids = {e.id for w in config.watchlists for e in w.entities}
    assert {"islamic-state", "palmyra", "syria", "united-states"} <= ids
    assert len(config.event_types) >= 14
    assert config.version and len(config.version) == 12


def test_good_config_merges_files(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), environ={})
    assert [f.id for f in config.feeds] == ["wire"]
    assert config.feeds[0].interval == 300
    assert config.route("r1").to == ["console"]


def test_unknown_key_names_file_line_and_allowed_keys(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["feeds.yaml"] = """
        feeds:
          - id: wire
            url: https://example.org/feed.xml
            intervall: 5m
        """
    [problem] = problems(write(tmp_path, files))
    assert problem.startswith(f"{tmp_path / 'feeds.yaml'}:4: feeds[0].intervall: ")
    assert "remove it or correct its spelling" in problem and "interval" in problem


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["more/feeds.yaml"] = """
        feeds:
          - id: other
            url: https://example.org/other.xml
          - id: wire
            url: https://example.org/feed2.xml
        """
    [problem] = problems(write(tmp_path, files))
    assert problem.startswith(f"{tmp_path / 'more/feeds.yaml'}:4: feeds[2].id: duplicate id 'wire'")


def test_route_to_undefined_destination(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["routes.yaml"] = GOOD["routes.yaml"].replace("to: [console]", "to: [console, pager]")
    [problem] = problems(write(tmp_path, files))
    assert f"{tmp_path / 'routes.yaml'}:5: routes[0].to[1]: route 'r1': no destination 'pager'" in problem
    assert "known: console" in problem


def test_route_to_undefined_entity_and_route_without_condition(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["routes.yaml"] = """
        routes:
          - id: r1
            when:
              entities: {any: [isis]}
            to: [console]
          - id: r2
            when: {keywords: {none: [opinion]}}
            to: [console]
        destinations:
          - id: console
            type: console
        """
    found = problems(write(tmp_path, files))
    assert any("routes.yaml:4: routes[0].when.entities.any[0]: route 'r1': no entity 'isis'" in p
               for p in found)
    assert any("routes.yaml:7: routes[1].when: route 'r2': no all/any condition" in p for p in found)


@pytest.mark.parametrize("alias", ["''", "'   '", "'--'"])
def test_empty_alias(tmp_path: Path, alias: str) -> None:
    files = dict(GOOD)
    files["watch.yaml"] = GOOD["watch.yaml"].replace("[IS, ISIS]", f"[IS, {alias}]")
    [problem] = problems(write(tmp_path, files))
    assert f"{tmp_path / 'watch.yaml'}:" in problem
    assert "watchlists[0].entities[0].case_sensitive_aliases" in problem


def test_unreadable_yaml_names_the_line(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["feeds.yaml"] = """
        feeds:
          - id: wire
            url: "https://example.org/feed.xml
        """
    found = problems(write(tmp_path, files))
    assert any(p.startswith(f"{tmp_path / 'feeds.yaml'}:") and "invalid YAML" in p for p in found)


def test_key_written_twice(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["feeds.yaml"] = GOOD["feeds.yaml"] + "    interval: 10m\n"
    found = problems(write(tmp_path, files))
    assert found == [f"{tmp_path / 'feeds.yaml'}:5: feeds[0].interval: key written twice; keep one"]


def test_unknown_section_and_settings_twice(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["a.yaml"] = "settings: {}\nfeedz: []\n"
    files["b.yaml"] = "settings: {}\n"
    found = problems(write(tmp_path, files))
    assert any("a.yaml:2: feedz: unknown section" in p for p in found)
    assert any("b.yaml:1: settings: already given in" in p for p in found)


def test_missing_secret_is_named(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["dest.yaml"] = """
        destinations:
          - id: hook
            type: webhook
            url: ${HOOK_URL}
            secret: ${HOOK_SECRET:-}
        """
    [problem] = problems(write(tmp_path, files))
    assert problem.startswith(f"{tmp_path / 'dest.yaml'}:4: destinations[0].url: ")
    assert "HOOK_URL is not set" in problem


def test_secret_resolved_and_optional_destination_disabled(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["dest.yaml"] = """
        destinations:
          - id: hook
            type: webhook
            url: ${HOOK_URL}
          - id: slack
            type: slack
            url: ${SLACK_URL}
            optional: true
        """
    config = load_config(write(tmp_path, files), environ={"HOOK_URL": "https://hooks.example/x"})
    hook = config.destination("hook")
    assert hook.type == "webhook" and hook.url.get_secret_value() == "https://hooks.example/x"
    assert "hooks.example" not in repr(hook)
    assert config.destination("slack").enabled is False
    assert any("${SLACK_URL} is not set" in w for w in config.notes)
    assert config.disabled_reason("slack") == "SLACK_URL unset"


def test_environment_overrides_services(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), environ={
        "NEWSWATCH_KAFKA_BOOTSTRAP": "kafka-0:9092", "NEWSWATCH_REDIS_URL": "redis://r:6379/1"})
    assert config.settings.kafka.bootstrap == "kafka-0:9092"
    assert config.settings.redis.url == "redis://r:6379/1"


def test_bad_duration_and_bad_type(tmp_path: Path) -> None:
    files = dict(GOOD)
    files["destinations.yaml"] = """
        destinations:
          - id: hook
            type: pager
        """
    files["feeds.yaml"] = GOOD["feeds.yaml"].replace("interval: 5m", "interval: soon")
    found = problems(write(tmp_path, files))
    assert any("feeds.yaml:4: feeds[0].interval: " in p and "'soon' is not a duration" in p for p in found)
    assert any("destinations.yaml:3: destinations[0].type: destination 'hook': type 'pager' is not a "
               "destination type; use console, slack, webhook or apprise" in p for p in found)


@pytest.mark.parametrize(("text", "seconds"), [(90, 90.0), ("90s", 90.0), ("5m", 300.0),
                                               ("1h30m", 5400.0), ("2d", 172800.0)])
def test_parse_duration(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "-5", "5 parsecs", True, 0])
def test_parse_duration_refuses(text: object) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_cli_check_exit_codes(tmp_path: Path, example_config_dir: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["config", "check", str(example_config_dir)]) == 0  # the older positional form
    assert "ok (version" in capsys.readouterr().out
    assert main(["config", "check", "--strict", "--config", str(example_config_dir)]) == 0
    assert "ok (version" in capsys.readouterr().out
    files = dict(GOOD)
    files["routes.yaml"] = GOOD["routes.yaml"].replace("to: [console]", "to: [nowhere]")
    assert main(["config", "check", str(write(tmp_path, files))]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'routes.yaml'}:5: routes[0].to[0]: route 'r1': no destination 'nowhere'" in err


def test_schema_is_current_and_accepts_the_example(example_config_dir: Path) -> None:
    import jsonschema
    import yaml

    schema = config_schema()
    committed = json.loads((example_config_dir / "schema.json").read_text())
    assert committed == schema, "stale: run `newswatch config schema -o config/schema.json`"
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(example_config_dir.rglob("*.yaml")):
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text())))
        assert not errors, f"{path}: {errors[0].message}"


def test_configmap_mount_is_read_once(tmp_path: Path) -> None:
    """The kubelet's layout: files in a hidden dated folder, `..data` and the names linking to it."""
    dated = write(tmp_path / "..2026_11_24_10_00_00.1", GOOD)
    (tmp_path / "..data").symlink_to(dated.name)
    for name in GOOD:
        (tmp_path / name).symlink_to(Path("..data") / name)
    config = load_config(tmp_path, environ={})
    assert [f.id for f in config.feeds] == ["wire"]
