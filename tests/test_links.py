"""Links made safe to fetch and to put inside Slack's `<url|text>`, or refused with a reason."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.deliver.conftest import alert
from tests.strategies import TOKENS, hostile_text
from worker.deliver.slack import render_alert
from worker.fetch.canonical import canonical_url
from worker.fetch.items import Raw, make_item
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


@pytest.mark.parametrize(("raw", "safe"), [
    ("https://files.example/safe\u202egpj.exe", "https://files.example/safe%E2%80%AEgpj.exe"),
    ("https://files.example/a\u2066b\u2069/c?q=\u202d1#\u200fx", "https://files.example/a%E2%81%A6b%E2%81%A9/c"
     "?q=%E2%80%AD1#%E2%80%8Fx"),
    ("https://files.example/a\x00b\x1b", "https://files.example/a%00b"),  # inside: encoded; at the end: cut
    ("https://files.example/\ufeffx\ud800", "https://files.example/%EF%BB%BFx%EF%BF%BD"),
    ("https://0x7f.1:8080/x", "https://127.0.0.1:8080/x"),  # the host as browsers and the fetcher read it
    ("https://files.example./x", "https://files.example/x"),
])
def test_nothing_in_a_link_is_removed_only_encoded_so_it_opens_the_page_named(raw: str, safe: str) -> None:
    """Stripping the U+202E of `/safe\u202egpj.exe` would send the reader to `/safegpj.exe`."""
    assert safe_link(raw) == safe and is_safe_link(safe)


@pytest.mark.parametrize("raw", ["https://files\u202e.example/", "https://files.42/", "https://1.2.3.09/"])
def test_a_host_no_browser_reads_is_refused(raw: str) -> None:
    with pytest.raises(LinkError) as err:
        safe_link(raw)
    assert err.value.problem == "invalid_link"


def test_the_link_an_alert_and_a_slack_message_carry_is_the_encoded_one() -> None:
    item = make_item(Raw(link="https://files.example/safe\u202egpj.exe", title="Report"), "https://files.example/",
                     None)
    assert item.link == "https://files.example/safe%E2%80%AEgpj.exe"
    assert canonical_url(item.link) == item.link
    head = render_alert(alert("Report", url=item.link))["blocks"][0]["text"]["text"]
    assert head == "*<https://files.example/safe%E2%80%AEgpj.exe|Report>*"
