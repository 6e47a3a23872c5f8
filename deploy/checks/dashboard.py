"""Check a Grafana dashboard: its shape, and that every query names real metrics.

Grafana imports a dashboard whose query has a typo in a metric name and shows "No data"
forever. This fails instead: every `expr` must name metrics, labels and functions that exist
(worker/metrics.py, checked by promql.py). It also checks what provisioning needs: a uid,
a Prometheus datasource variable that every panel and query uses, unique panel ids and
refIds, and panels that do not overlap. Metrics that no panel shows are listed as a note.

Usage: python deploy/checks/dashboard.py DASHBOARD.json [...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from promql import problems, worker_catalogue


def main(paths: list[Path]) -> int:
    catalogue = worker_catalogue()
    found: list[str] = []
    shown: set[str] = set()
    for path in paths:
        try:
            dashboard = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            found.append(f"{path}: not JSON: {exc}")
            continue
        panels = list(_panels(dashboard.get("panels", [])))
        found += [f"{path}: {p}" for p in _shape(dashboard, panels)]
        for panel in panels:
            for target in panel.get("targets", []):
                expr = target.get("expr", "")
                found += [f"{path}: panel {panel.get('title')!r} {target.get('refId')}: {p}"
                          for p in problems(expr, catalogue)]
                shown |= {name for name in catalogue.series if name in expr}
        print(f"  {path}: {len(panels)} panels, "
              f"{sum(len(p.get('targets', [])) for p in panels)} queries")
    for problem in found:
        print(f"  {problem}", file=sys.stderr)
    unshown = sorted({name.removesuffix("_bucket").removesuffix("_total") for name in catalogue.series
                      if name.startswith("newswatch_") and not name.endswith(("_created", "_sum", "_count"))
                      and name not in shown})
    if unshown:
        print(f"  note: no panel shows {', '.join(unshown)}")
    return 1 if found else 0


def _panels(panels: list[dict[str, Any]]) -> Any:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def _shape(dashboard: dict[str, Any], panels: list[dict[str, Any]]) -> list[str]:
    found = [f"{key} is missing" for key in ("title", "uid", "schemaVersion", "panels")
             if not dashboard.get(key)]
    variables = dashboard.get("templating", {}).get("list", [])
    datasources = {f"${{{v['name']}}}" for v in variables
                   if v.get("type") == "datasource" and v.get("query") == "prometheus"}
    if not datasources:
        found.append("no datasource variable of type prometheus in templating.list")
    ids = [panel.get("id") for panel in panels]
    found += [f"panel id {i} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for panel in panels:
        found += [f"panel {panel.get('title')!r}: {p}" for p in _panel_shape(panel, datasources)]
    found += _overlaps(panels)
    return found


def _panel_shape(panel: dict[str, Any], datasources: set[str]) -> list[str]:
    found = [f"{key} is missing" for key in ("id", "type", "title", "gridPos") if key not in panel]
    if panel.get("type") == "row":
        return found
    targets = panel.get("targets", [])
    if not targets:
        found.append("has no queries")
    if (panel.get("datasource") or {}).get("uid") not in datasources:
        found.append(f"datasource must be one of {sorted(datasources)}")
    refs = [t.get("refId") for t in targets]
    if len(set(refs)) != len(refs):
        found.append("refIds repeat")
    for target in targets:
        if not target.get("expr"):
            found.append(f"query {target.get('refId')} has no expr")
        if (target.get("datasource") or panel.get("datasource") or {}).get("uid") not in datasources:
            found.append(f"query {target.get('refId')} uses another datasource")
    return found


def _overlaps(panels: list[dict[str, Any]]) -> list[str]:
    cells: dict[tuple[int, int], str] = {}
    found: list[str] = []
    for panel in panels:
        pos = panel.get("gridPos", {})
        x, y, w, h = (int(pos.get(k, 0)) for k in ("x", "y", "w", "h"))
        if x + w > 24:
            found.append(f"panel {panel.get('title')!r} is wider than the 24-column grid")
        for cell in ((cx, cy) for cx in range(x, x + w) for cy in range(y, y + h)):
            if cell in cells and cells[cell] != panel.get("title"):
                found.append(f"panels {cells[cell]!r} and {panel.get('title')!r} overlap")
                break
            cells[cell] = str(panel.get("title"))
    return found


if __name__ == "__main__":
    sys.exit(main([Path(arg) for arg in sys.argv[1:]]))
