"""The backtest report as text: a summary, a line per route, each changed route's reasons and examples."""

from __future__ import annotations

from worker.backtest.report import AlertChange, Reasons, Report, RouteChanges
from worker.table import table

EXAMPLES = 3  # per route and direction; --json has every one


def render(report: Report) -> str:
    when = f"{report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC"
    scanned = report.seconds - report.compile_seconds
    rate = report.articles / scanned if scanned > 0 else 0.0
    lines = [f"backtest of {report.new} against {report.current}, {report.topic} from {when}",
             f"{report.articles:,} stored articles judged in {scanned:.1f} s ({rate:,.0f}/s; both configs "
             f"compiled in {report.compile_seconds:.1f} s); "
             f"{report.alerting:,} alert under either config"
             + (f"; {report.unreadable:,} records were not articles and are left out" if report.unreadable
                else "")]
    for gap in report.deleted:
        kept = f"what is left starts {gap.retained_from:%Y-%m-%d %H:%M} UTC" if gap.retained_from \
            else "nothing is left"
        lines.append(f"retention already deleted the start of this span in partition {gap.partition}: {kept}")
    lines.append("")
    rows = [[r.route, f"{r.before:,}", f"{r.after:,}", f"+{len(r.added):,}", f"-{len(r.removed):,}"]
            if r.before is not None and r.after is not None else [r.route, "unchanged", "", "", ""]
            for r in report.routes]
    lines.append(table(["route", "alerts now", "with change", "added", "removed"], rows))
    for route in report.routes:
        lines += _changes(route, "added", route.added, route.why_added)
        lines += _changes(route, "removed", route.removed, route.why_removed)
    if not report.added and not report.removed:
        lines.append("\nthe change adds and removes no alert over this span")
    return "\n".join(lines) + "\n"


def _changes(route: RouteChanges, direction: str, changes: list[AlertChange], why: Reasons) -> list[str]:
    if not changes:
        return []
    sign = "+" if direction == "added" else "-"
    lines = [f"\n{route.route}: {len(changes):,} alert(s) {direction}"]
    for label, counts in (("entities", why.entities), ("event types", why.events),
                          ("keywords", why.keywords), ("rules of the other config", why.rules)):
        if counts:
            top = list(counts.items())[:5]
            lines.append(f"  {label}: " + "; ".join(f"{name} ({n:,})" for name, n in top))
    for change in changes[:EXAMPLES]:
        lines.append(f"  {sign} {change.title or '(no title)'}  {change.url}")
        if change.mention:
            lines.append(f"      \u201c{change.mention}\u201d in: {change.snippet}" if change.snippet
                         else f"      \u201c{change.mention}\u201d")
    if len(changes) > EXAMPLES:
        lines.append(f"  ... and {len(changes) - EXAMPLES:,} more (--json FILE lists every one)")
    return lines
