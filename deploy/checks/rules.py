"""Check the alert rules beyond what promtool does.

- every expression, and every series in the unit tests, names only metrics and labels that
  worker/metrics.py defines (or that a recording rule in the same files records);
- every alert carries a severity and the summary and description on-call reads;
- every alert has a unit test in which it fires and one in which it must stay quiet.

Usage: python deploy/checks/rules.py RULES_DIR TESTS_DIR
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml
from promql import Catalogue, problems, worker_catalogue

SEVERITIES = ("critical", "warning", "info")
_SERIES = re.compile(r"^\s*([a-zA-Z_:][\w:]*)\s*(?:\{(.*)\})?\s*$")


def main(rules_dir: Path, tests_dir: Path) -> int:
    rule_files = sorted(rules_dir.glob("*.yml")) + sorted(rules_dir.glob("*.yaml"))
    test_files = sorted(tests_dir.glob("*.yml")) + sorted(tests_dir.glob("*.yaml"))
    rules = [(path, rule) for path in rule_files for rule in _rules(path)]
    catalogue = worker_catalogue()
    for _, rule in rules:
        if "record" in rule:
            names = _names(rule["expr"], catalogue)
            catalogue.add(rule["record"], frozenset().union(*(catalogue.labels_of(n) for n in names)))
    found = [f"{path}: {rule.get('alert') or rule.get('record')}: {problem}"
             for path, rule in rules for problem in _rule_problems(rule, catalogue)]
    fired: dict[str, int] = {}
    quiet: dict[str, int] = {}
    for path in test_files:
        found += _test_problems(path, catalogue, fired, quiet)
    for _, rule in rules:
        alert = rule.get("alert")
        if alert and not fired.get(alert):
            found.append(f"{alert}: no unit test in {tests_dir} where it fires")
        if alert and not quiet.get(alert):
            found.append(f"{alert}: no unit test in {tests_dir} where it must stay quiet")
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    alerts = sum(1 for _, rule in rules if "alert" in rule)
    print(f"  {alerts} alerts and {len(rules) - alerts} recording rules: metric names known, "
          f"severity and annotations present, each alert tested firing and quiet"
          if not found else f"  {len(found)} problem(s)")
    return 1 if found else 0


def _rules(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text()) or {}
    return [rule for group in data.get("groups", []) for rule in group.get("rules", [])]


def _names(expr: str, catalogue: Catalogue) -> set[str]:
    return {name for name in catalogue.series if re.search(rf"(?<![\w:]){re.escape(name)}(?![\w:])", expr)}


def _rule_problems(rule: dict[str, Any], catalogue: Catalogue) -> list[str]:
    found = problems(str(rule.get("expr", "")), catalogue)
    if "alert" in rule:
        if rule.get("labels", {}).get("severity") not in SEVERITIES:
            found.append(f"labels.severity must be one of {', '.join(SEVERITIES)}")
        for key in ("summary", "description"):
            if not rule.get("annotations", {}).get(key):
                found.append(f"annotations.{key} is missing")
    return found


def _test_problems(path: Path, catalogue: Catalogue,
                   fired: dict[str, int], quiet: dict[str, int]) -> list[str]:
    found: list[str] = []
    for test in (yaml.safe_load(path.read_text()) or {}).get("tests", []):
        name = test.get("name", "?")
        for item in test.get("input_series", []):
            m = _SERIES.match(item.get("series", ""))
            if not m:
                found.append(f"{path}: {name}: cannot read series {item.get('series')!r}")
                continue
            found += [f"{path}: {name}: {p}" for p in problems(m.group(0), catalogue)]
        for case in test.get("promql_expr_test", []):
            found += [f"{path}: {name}: {p}" for p in problems(case.get("expr", ""), catalogue)]
        for case in test.get("alert_rule_test", []):
            tally = fired if case.get("exp_alerts") else quiet
            tally[case["alertname"]] = tally.get(case["alertname"], 0) + 1
    return found


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
