"""`newswatch config check` on one broken config at a time: the exact file:line and message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.config.broken import BASE, CASES, ENV, Case
from worker.cli import main


def write_case(folder: Path, case: Case | None = None) -> Path:
    for name, text in BASE.items():
        text = textwrap.dedent(text).lstrip()
        if case is not None and case.file == name:
            assert case.old in text, f"{case.id}: {case.old!r} is not in {name}"
            text = text.replace(case.old, case.new, 1)
        (folder / name).write_text(text)
    return folder


def check(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          env: dict[str, str], *extra: str) -> tuple[int, list[str]]:
    for name in ("NEWSWATCH_LOG_LEVEL", "NEWSWATCH_METRICS_PORT", "NEWSWATCH_CONFIG", "NEWSWATCH_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {**ENV, **env}.items():
        monkeypatch.setenv(name, value)
    code = main(["config", "check", "--config", str(folder), *extra])
    return code, capsys.readouterr().err.splitlines()


def test_there_are_forty_cases_at_least() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)


def test_the_base_config_is_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert check(write_case(tmp_path), monkeypatch, capsys, {}, "--strict") == (0, [])


@pytest.mark.parametrize("case", [c for c in CASES if not c.warning], ids=lambda c: c.id)
def test_error(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = check(write_case(tmp_path, case), monkeypatch, capsys, case.env)
    assert code == 1
    problems = [line for line in lines if not line.startswith(("newswatch:", "note:"))]
    assert problems == [case.expected.replace("{dir}", str(tmp_path))]
    assert lines[-1].startswith("newswatch: the config has 1 problem;")


@pytest.mark.parametrize("case", [c for c in CASES if c.warning], ids=lambda c: c.id)
def test_warning(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_case(tmp_path, case)
    code, lines = check(folder, monkeypatch, capsys, case.env)
    assert code == 0
    expected = case.expected.replace("{dir}", str(tmp_path))
    assert [line for line in lines if line.startswith("warning:")] == [f"warning: {expected}"]
    strict, _ = check(folder, monkeypatch, capsys, case.env, "--strict")
    assert strict == 1
