"""Regex rules: aliases, exclusions and route keywords written as {regex: ...}, matched by RE2."""

from __future__ import annotations

from typing import Any

import pytest
import re2
from pydantic import ValidationError

from tests.match.conftest import article, mentions, small_config
from worker.config.models import Entity, Pattern
from worker.match.matcher import Matcher
from worker.match.render import render

CVE = {"regex": r"CVE-\d{4}-\d{4,}"}


def cve_config(**route: Any) -> Matcher:
    return Matcher.build(small_config(
        [{"id": "cve", "name": "Vulnerability", "aliases": ["zero-day", CVE]},
         {"id": "acme", "name": "Acme Corporation",
          "aliases": [{"regex": r"\bACME-?\d+\b", "case_sensitive": True}],
          "exclusions": [{"regex": r"acme-?0+\b"}]}],
        routes=[{"id": "vulns", "to": ["console"], "when": route or {"keywords": {"any": [CVE]}}}]))


def test_it_is_google_re2_with_no_fallback_to_python_re() -> None:
    assert hasattr(re2, "Set") and hasattr(re2, "Options")  # pyre2, the other 're2', has neither
    assert isinstance(Pattern(regex="a+").compile(), re2._Regexp)


def test_a_regex_alias_finds_what_it_describes_in_any_case() -> None:
    matcher = cve_config()
    text = "Patch for cve-2024-123456 and CVE-2023-0001 is out; CVE-99 is no identifier."
    assert mentions(matcher, text=text) == {"cve": ["cve-2024-123456", "CVE-2023-0001"]}


def test_spans_map_back_to_the_original_through_folded_characters() -> None:
    matcher = cve_config()
    text = "Straße, ﬁx, Ǆ and l\u0301 before CVE-2024-12345 here."
    result = matcher.match(article(text=text))
    found = result.entities[0].mentions[0]
    assert text[found.start:found.end] == "CVE-2024-12345" == found.text


def test_a_case_sensitive_regex_matches_only_as_written() -> None:
    matcher = cve_config()
    assert mentions(matcher, text="Models ACME-42 and acme-43.") == {"acme": ["ACME-42"]}


def test_a_regex_exclusion_vetoes_the_mentions_it_covers() -> None:
    matcher = cve_config()
    assert mentions(matcher, text="Not ACME-000 but ACME-7.") == {"acme": ["ACME-7"]}


def test_a_phrase_exclusion_vetoes_a_regex_mention_and_a_regex_exclusion_a_phrase_mention() -> None:
    matcher = Matcher.build(small_config([
        {"id": "paris", "name": "Paris", "exclusions": [{"regex": r"Paris\s+Hilton\w*"}]},
        {"id": "ticket", "name": "Ticket", "aliases": [{"regex": r"T-\d+"}],
         "exclusions": ["T-1000 robot"]}]))
    assert mentions(matcher, text="Paris Hiltons in Paris; a T-1000 robot and T-2.") == {
        "paris": ["Paris"], "ticket": ["T-2"]}


def test_a_regex_keyword_fires_its_route_and_says_why() -> None:
    matcher = cve_config()
    assert matcher.match(article(text="Exploited: CVE-2024-3094 in xz.")).routes == ["vulns"]
    assert matcher.match(article(text="No identifier here.")).routes == []
    result = matcher.match(article(text="Exploited: CVE-2024-3094 in xz."))
    assert [(k.keyword, k.start, k.end) for k in result.keywords] == [(r"/CVE-\d{4}-\d{4,}/i", 11, 24)]
    assert r"keywords.any: /CVE-\d{4}-\d{4,}/i matched" in result.outcomes[0].held


def test_a_regex_in_keywords_none_holds_a_route_back() -> None:
    matcher = cve_config(entities={"any": ["acme"]}, keywords={"none": [{"regex": "recall(ed)?"}]})
    assert matcher.match(article(text="ACME-5 launched.")).routes == ["vulns"]
    assert matcher.match(article(text="ACME-5 RECALLED.")).routes == []


def test_newswatch_match_shows_the_pattern_that_found_a_mention() -> None:
    matcher = cve_config()
    exploited = article(text="Exploited: CVE-2024-3094 in xz.")
    result = matcher.match(exploited, explain=True)
    assert result.entities[0].mentions[0].rule == r"regex /CVE-\d{4}-\d{4,}/i"
    assert r"[CVE-2024-3094 ← regex /CVE-\d{4}-\d{4,}/i]" in render(exploited, result, matcher)


def test_a_pattern_that_backtracking_engines_take_exponential_time_on_finishes() -> None:
    matcher = Matcher.build(small_config([
        {"id": "a", "name": "Alpha", "aliases": [{"regex": "(a+)+$"}]},
        {"id": "b", "name": "Beta", "aliases": [{"regex": r"(\w+\s?)*!$"}]}]))
    text = "a" * 10_000 + "b"  # Python's re would take longer than the universe's age on this
    assert mentions(matcher, text=text) == {}
    assert mentions(matcher, text="word " * 2000 + "x") == {}
    assert mentions(matcher, text="a" * 10_000) == {"a": ["a" * 10_000]}


@pytest.mark.parametrize(("regex", "reason"), [
    ("(a", "missing ): (a"), (r"(\w)\1", r"invalid escape sequence: \1"),
    ("(?<=x)y", "invalid perl operator"), ("x*", "matches an empty text")])
def test_a_pattern_re2_refuses_is_an_error_that_says_why(regex: str, reason: str) -> None:
    with pytest.raises(ValidationError) as refused:
        Entity(id="x", name="X", aliases=[{"regex": regex}])
    assert reason in str(refused.value)
    assert refused.value.errors()[0]["loc"] == ("aliases", 0, "pattern", "regex")


def test_a_regex_rule_has_no_other_keys() -> None:
    with pytest.raises(ValidationError, match="extra"):
        Entity(id="x", name="X", aliases=[{"regex": "x+", "flags": "i"}])
