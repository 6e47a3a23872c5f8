"""`muted_until` in the config: a date-time with a timezone; one that has passed is a warning at its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from worker.cli import main
from worker.config import load_config
from worker.errors import ConfigError

WATCH = """
    watchlists:
      - id: companies
        name: Companies
        entities:
          - id: acme
            name: Acme Corp
            muted_until: {until}
            mute_reason: earnings week
    routes:
      - id: acme-news
        when: {{entities: {{any: [acme]}}}}
        to: [console]
    destinations:
      - id: console
        type: console
    """


def _folder(tmp_path: Path, until: str) -> Path:
    (tmp_path / "watch.yaml").write_text(textwrap.dedent(WATCH.format(until=until)))
    return tmp_path


def test_an_expired_mute_is_a_warning_at_its_line_naming_the_fix(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, "2020-01-01T09:00:00+01:00")
    assert main(["config", "check", str(folder)]) == 0
    err = capsys.readouterr().err
    assert (f"warning: {folder}/watch.yaml:8: watchlists[0].entities[0].muted_until: entity 'acme': the mute "
            f"ended at 2020-01-01T09:00:00+01:00, so it holds nothing back any more; remove muted_until "
            f"and mute_reason") in err
    assert main(["config", "check", "--strict", str(folder)]) == 1


def test_a_mute_still_to_come_is_no_warning(tmp_path: Path) -> None:
    assert load_config(_folder(tmp_path, "2999-01-01T00:00:00Z")).warnings == ()


def test_a_mute_needs_a_timezone_and_a_reason_needs_a_mute(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        load_config(_folder(tmp_path, "2030-01-01T09:00:00"))
    assert "watch.yaml:8" in refused.value.problems[0] and "has no timezone" in refused.value.problems[0]
    (tmp_path / "watch.yaml").write_text(textwrap.dedent(WATCH.format(until="null")))
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path)
    assert "mute_reason without muted_until mutes nothing" in refused.value.problems[0]
