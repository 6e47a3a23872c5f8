"""Whatever `run` or a hot reload refuses, `config check` refuses first, at the line that holds it.

`run` and a reload do `Matcher.build(load_config(folder))`; the matcher refuses a
phrase that folds to nothing, without a file or line. The loader checks phrases with
the matcher's own folding, so the refusal comes from the loader, with file:line, and
`config check` exits 1 on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.config.broken import CASES, ENV, Case
from tests.config.test_broken_configs import write_case
from worker.cli import main
from worker.config import load_config
from worker.errors import ConfigError
from worker.match.matcher import Matcher

# punctuation, symbols, marks, invisible and odd letters: what folding may leave empty, or not
TRICKY = ["--", "\u2026", "\u2022", "\u200b", "\U0001f642", "&", "$", "\u00b7", "\u00b0", "\u00a7", "_",
          "'", "\u2122", "\u0301", "\u210c", "\u2460", "'s", "x-", "-x", "\u00a0", "\u3002", "\ufe0f"]
SLOTS = [
    ("watch.yaml", "aliases: [Hizbollah]", "aliases: [Hizbollah, {p}]"),
    ("watch.yaml", "[IS, ISIS]", "[IS, {p}]"),
    ("watch.yaml", "aliases: [Hizbollah]", "aliases: [Hizbollah]\n        exclusions: [{p}]"),
    ("watch.yaml", "triggers: [capture, seize]", "triggers: [capture, {p}]"),
    ("watch.yaml", "triggers: [capture, seize]", "triggers: [capture]\n    exact_triggers: [{p}]"),
    ("routes.yaml", "none: [rumour, opinion]", "none: [rumour, {p}]"),
    ("routes.yaml", "keywords: {none: [rumour, opinion]}", "keywords: {any: [{p}]}"),
]


def doors(folder: Path) -> tuple[bool, bool]:
    """(the loader refuses, `run` refuses): `run` loads, then compiles the matcher."""
    try:
        config = load_config(folder, environ=ENV)
    except ConfigError:
        return True, True
    try:
        Matcher.build(config)
    except ConfigError:
        return False, True
    return False, False


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("phrase", TRICKY, ids=[f"U+{ord(p[0]):04X}" for p in TRICKY])
@pytest.mark.parametrize("slot", range(len(SLOTS)))
def test_a_phrase_run_refuses_is_refused_by_the_loader(phrase: str, slot: int, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    file, old, new = SLOTS[slot]
    edit = new.replace("{p}", json.dumps(phrase, ensure_ascii=False))
    folder = write_case(tmp_path, Case("tricky", file, old, edit, ""))
    loader_refuses, run_refuses = doors(folder)
    assert loader_refuses == run_refuses, "the matcher refused what the loader let through"
    code = main(["config", "check", "--config", str(folder)])
    assert code == (1 if run_refuses else 0)
    if run_refuses:
        assert f"{folder / file}:" in capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_every_case_run_refuses_fails_the_check(case: Case, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    folder = write_case(tmp_path, case)
    try:
        Matcher.build(load_config(folder))
        refused = False
    except ConfigError:
        refused = True
    assert refused == (not case.warning)
    assert (main(["config", "check", "--config", str(folder)]) == 1) == refused
