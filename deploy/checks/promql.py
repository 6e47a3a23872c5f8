"""The metric names and labels the worker exports, and a check of PromQL against them.

promtool and Grafana accept a query on a metric that does not exist: it just returns
nothing, and an alert on it never fires. So every expression in the rules, their tests and
the dashboard is checked here against worker/metrics.py, the one place metrics are defined.
The parsing is lexical, not a full PromQL parser: enough to find metric names, label
matchers, grouping labels and function names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from prometheus_client.metrics import MetricWrapperBase

# Labels that scraping adds to every series (compose, ServiceMonitor and kubelet relabelings).
TARGET_LABELS = frozenset({"job", "instance", "stage", "namespace", "pod", "container", "service",
                           "endpoint"})
# Series Prometheus writes itself for every target.
SCRAPE_SERIES = ("up", "scrape_duration_seconds", "scrape_samples_scraped")

FUNCTIONS = frozenset("""
abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes clamp
clamp_max clamp_min cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month
deg delta deriv exp floor histogram_avg histogram_count histogram_fraction histogram_quantile
histogram_stddev histogram_stdvar histogram_sum holt_winters hour idelta increase irate
label_join label_replace last_over_time ln log10 log2 mad_over_time max_over_time min_over_time
minute month pi predict_linear present_over_time quantile_over_time rad rate resets round scalar
sgn sin sinh sort sort_by_label sort_by_label_desc sort_desc sqrt stddev_over_time
stdvar_over_time sum_over_time tan tanh time timestamp vector year
sum min max avg group stddev stdvar count count_values bottomk topk quantile limitk limit_ratio
""".split())
KEYWORDS = frozenset("and or unless by without on ignoring group_left group_right bool offset "
                     "atan2 inf nan".split())

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"' r"|'(?:[^'\\]|\\.)*'|`[^`]*`")
_RANGE = re.compile(r"\[[^\]]*\]")
_GRAFANA_VAR = re.compile(r"\$\{[^}]*\}|\$\w+")
_GROUPING = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
_SELECTOR = re.compile(r"(?<![\w:])([a-zA-Z_:][\w:]*)?\s*\{([^}]*)\}")
_MATCHER = re.compile(r"([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")
_IDENT = re.compile(r"(?<![\w.:$])([a-zA-Z_:][\w:]*)(\s*\()?")


@dataclass
class Catalogue:
    """Exposed series names, each with the labels it may carry."""

    series: dict[str, frozenset[str]] = field(default_factory=dict)

    def add(self, name: str, labels: frozenset[str]) -> None:
        self.series[name] = self.series.get(name, frozenset()) | labels | TARGET_LABELS

    def labels_of(self, name: str) -> frozenset[str]:
        return self.series.get(name, TARGET_LABELS)


def worker_catalogue() -> Catalogue:
    """Every series worker/metrics.py exposes, with the suffixes prometheus_client adds."""
    from worker import metrics

    suffixes = {"counter": ("_total", "_created"), "gauge": ("",), "info": ("_info",),
                "histogram": ("_bucket", "_sum", "_count", "_created"),
                "summary": ("", "_sum", "_count", "_created")}
    catalogue = Catalogue()
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            labels = frozenset(value._labelnames)
            for suffix in suffixes[value._type]:
                extra = {"le"} if suffix == "_bucket" else {"quantile"} if value._type == "summary" else set()
                catalogue.add(value._name + suffix, labels | extra)
    for name in SCRAPE_SERIES:
        catalogue.add(name, frozenset())
    return catalogue


def problems(expr: str, catalogue: Catalogue) -> list[str]:
    """What in `expr` names a series, label or function that does not exist."""
    text = _GRAFANA_VAR.sub("", _RANGE.sub("", _STRING.sub('""', expr)))
    grouping: list[str] = []

    def take_grouping(m: re.Match[str]) -> str:
        grouping.extend(label.strip() for label in m.group(2).split(",") if label.strip())
        return " "

    text = _GROUPING.sub(take_grouping, text)
    found, used, text = _selectors(text, catalogue)
    found += _identifiers(text, used)
    found += [f"unknown metric {name}" for name in sorted(used) if name not in catalogue.series]
    known = set().union(*(catalogue.labels_of(n) for n in used)) if used else set(TARGET_LABELS)
    found += [f"no series here has the label {label} it groups by"
              for label in grouping if label not in known]
    return found


def _selectors(text: str, catalogue: Catalogue) -> tuple[list[str], set[str], str]:
    """Metric names and label matchers of every `name{...}`; the text without them."""
    found: list[str] = []
    used: set[str] = set()

    def take(m: re.Match[str]) -> str:
        name, labels = m.group(1), _MATCHER.findall(m.group(2))
        if name and name not in KEYWORDS:
            used.add(name)
            unknown = sorted(set(labels) - catalogue.labels_of(name))
            if name in catalogue.series and unknown:
                found.append(f"{name} has no label {', '.join(unknown)}")
        return " "

    return found, used, _SELECTOR.sub(take, text)


def _identifiers(text: str, used: set[str]) -> list[str]:
    """Bare metric names go into `used`; calls must be PromQL functions or aggregations."""
    found: list[str] = []
    for m in _IDENT.finditer(text):
        word, call = m.group(1), m.group(2)
        if word in KEYWORDS:
            continue
        if not call:
            used.add(word)
        elif word not in FUNCTIONS:
            found.append(f"unknown function {word}()")
    return found
