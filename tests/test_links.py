"""Links made safe to fetch and to put inside Slack's `<url|text>`, or refused with a reason."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import TOKENS, hostile_text
from worker.links import MAX_LINK, LinkError, is_safe_link, safe_link

RFC3986 = re.compile(r"^https?://[A-Za-z0-9._~!$&'()*+,;=:@/?#\[\]%-]+$")


@pytest.mark.parametrize(("raw", "safe"), [
    ("https://news.example/a<!channel>|x", "https://news.example/a%3C!channel%3E%7Cx"),
    ("HTTPS://Bücher.Example:8080/a b/[x]?q=a|b#f#g", "https://xn--bcher-kva.example:8080/a%20b/%5Bx%5D?q=a%7Cb#f%23g"),
    ("https://bank.example@evil.example/login", "https://evil.example/login"),
    ("  https://news.example/x\n?id=7\t ", "https://news.example/x?id=7"),
    ("https://news.example/100%/%41", "https://news.example/100%25/%41"),
    ("/relative/path", "https://desk.example/relative/path"),
    ("https://[::1]:8080/", "https://[::1]:8080/"),
    ("https://sub_domain.news.example/", "https://sub_domain.news.example/"),
])
def test_safe_link(raw: str, safe: str) -> None:
    assert safe_link(raw, "https://desk.example/feed") == safe


@pytest.mark.parametrize(("raw", "problem"), [
    ("javascript:alert(1)", "unsafe_link"),
    ("data:text/html,<script>", "unsafe_link"),
    ("mailto:desk@news.example", "unsafe_link"),
    ("ftp://files.example/x", "unsafe_link"),
    ("//news.example/x", "unsafe_link"),  # no base to resolve against
    ("http://[oops/", "invalid_link"),
    ("http:///no-host", "invalid_link"),
    ("https://news.example:99999/", "invalid_link"),
    ("https://ne ws.example/", "invalid_link"),
    ("https://<!channel>/", "invalid_link"),
    ("https://news.example/" + "a" * MAX_LINK, "invalid_link"),
    ("", "invalid_link"),
])
def test_refused(raw: str, problem: str) -> None:
    with pytest.raises(LinkError) as err:
        safe_link(raw)
    assert err.value.problem == problem


HOSTS = ["news.example", "Bücher.example", "[::1]", "a_b.example", "x.example:80"]
url_text = st.one_of(
    hostile_text,
    st.builds(lambda scheme, host, rest: f"{scheme}://{host}/{rest}",
              st.sampled_from(["http", "https", "HTTPS", "javascript", "data"]),
              st.one_of(st.sampled_from(HOSTS), hostile_text),
              st.lists(st.one_of(st.sampled_from(TOKENS), hostile_text), max_size=6).map("/".join)),
)


@given(url_text)
def test_a_safe_link_holds_nothing_slack_or_a_browser_would_misread(raw: str) -> None:
    try:
        link = safe_link(raw)
    except LinkError as exc:
        assert exc.problem in ("unsafe_link", "invalid_link")
        return
    assert RFC3986.match(link) and len(link) <= MAX_LINK
    assert not set(link) & set(" |<>\"\\^`{}")
    assert safe_link(link) == link and is_safe_link(link)
