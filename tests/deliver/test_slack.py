"""Slack messages that Slack always accepts and shows as written, whatever the feed wrote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.deliver.conftest import alert, digest
from tests.deliver.slackcheck import LIMITS, problems, units
from tests.deliver.strategies import alerts
from worker.deliver.slack import render_alert, render_digest
from worker.links import LinkError, safe_link
from worker.records import Alert


def links_of(*items: Alert) -> set[str]:
    out = set()
    for a in items:
        try:
            out.add(safe_link(a.url))
        except LinkError:
            pass
    return out


def test_feed_text_is_escaped_everywhere_the_notification_line_included() -> None:
    a = alert("<!channel> <https://evil.example|click here> & more")
    message = render_alert(a)
    assert message["text"] == "[conflict] &lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more"
    assert message["blocks"][0]["text"]["text"] == (
        "*<https://news.example/a|&lt;!channel&gt; &lt;https://evil.example|click here&gt; &amp; more>*")
    assert problems(message, links_of(a)) == []


def test_only_safe_links_are_links() -> None:
    unsafe = render_alert(alert(url="javascript:alert(1)"))
    assert unsafe["blocks"][0]["text"]["text"] == "*Port workers end strike*"
    piped = render_alert(alert(url="https://news.example/a|<!channel>"))["blocks"][0]["text"]["text"]
    assert piped == "*<https://news.example/a%7C%3C!channel%3E|Port workers end strike>*"


def test_long_titles_are_cut_at_a_word_and_bidi_overrides_dropped() -> None:
    message = render_alert(alert("word " * 2000 + "\u202e"))
    head = message["blocks"][0]["text"]["text"]
    assert units(head) < 400 and head.endswith("word…>*") and "\u202e" not in str(message)
    assert problems(message, {"https://news.example/a"}) == []


def test_the_checker_refuses_what_slack_would_refuse_or_misread() -> None:
    """The checker itself: messages as the renderer wrote them before issue 11."""
    markup = {"text": "[r] <!channel> hi",
              "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]}
    assert any("mention" in p for p in problems(markup))
    forged = {"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn",
                                                                   "text": "*<https://evil.example|click>*"}}]}
    assert any("not a validated URL" in p for p in problems(forged, {"https://news.example/a"}))
    big = {"text": "x", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "w" * 3001}}]}
    assert any("over 3000" in p for p in problems(big))
    many = {"text": "x", "blocks": [{"type": "divider"}] * 51}
    assert problems(many) == ["blocks missing or more than 50"]
    raw = {"text": "a & b > c", "blocks": [{"type": "divider"}]}
    assert len(problems(raw)) == 2


@given(alerts())
def test_any_alert_renders_as_a_message_slack_accepts(a: Alert) -> None:
    message = render_alert(a)
    assert problems(message, links_of(a)) == []


@given(st.lists(alerts(), min_size=1, max_size=12))
def test_any_digest_renders_as_messages_slack_accepts_each_alert_once_in_order(items: list[Alert]) -> None:
    parts = render_digest(digest(items))
    for part in parts:
        assert problems(part.message, links_of(*items)) == []
    assert len({p.id for p in parts}) == len(parts)


def test_a_digest_of_200_long_titles_is_split_into_messages_slack_accepts() -> None:
    items = [alert((f"{n:03d} " + "Protesters gather outside the ministry as talks stall " * 6)[:300],
                   url=f"https://news.example/story/{n}", n=n) for n in range(200)]
    assert all(len(a.title) == 300 for a in items)
    parts = render_digest(digest(items))
    assert len(parts) > 1
    listed = []
    for part in parts:
        assert problems(part.message, links_of(*items)) == []
        listed += [line for block in part.message["blocks"] if block["type"] == "section"
                   for line in block["text"]["text"].split("\n")]
    urls = [line.split("|", 1)[0] for line in listed]
    assert urls == [f"• <https://news.example/story/{n}" for n in range(200)]
    assert render_digest(digest(items)) == parts  # the same parts, under the same ids, on a retry
    assert max(sum(units(t) for t in _texts(p.message)) for p in parts) <= LIMITS["total_text"]


def _texts(message: dict[str, object]) -> list[str]:
    blocks = message["blocks"]
    assert isinstance(blocks, list)
    return [str(message["text"])] + [b["text"]["text"] for b in blocks if "text" in b] + [
        e["text"] for b in blocks for e in b.get("elements", [])]


@pytest.mark.parametrize("count", [0, 1, 20])
def test_small_digests_are_one_message(count: int) -> None:
    parts = render_digest(digest([alert(n=n, url=f"https://news.example/{n}") for n in range(count)]))
    urls = {f"https://news.example/{n}" for n in range(count)}
    assert len(parts) == 1 and problems(parts[0].message, urls) == []


FORMATTING = "*bold* _italic_ ~struck~ `code` ```block```"


def test_feed_and_config_text_never_formats_and_the_evidence_is_exact() -> None:
    """Slack has no escape for *, _, ~ and `; data is shown as typed, in every text of the message."""
    a = alert(f"> {FORMATTING}").model_copy(update={
        "site": "*Wire* _desk_", "snippet": f"> {FORMATTING} & <!here>",
        "routes": ["ops_eu_west", "desk`x`"]})
    a = a.model_copy(update={"entities": [e.model_copy(update={"name": "E*Trade _x_"}) for e in a.entities]})
    message = render_alert(a)
    assert problems(message, links_of(a)) == []
    title = message["blocks"][0]["text"]["text"]
    assert title == ("*<https://news.example/a|\u00ad&gt; \u2217bold\u2217 \u02cditalic\u02cd "
                     "\u223cstruck\u223c \u02cbcode\u02cb \u02cb\u02cb\u02cbblock\u02cb\u02cb\u02cb>*")
    [evidence] = [b["text"] for b in message["blocks"] if b.get("text", {}).get("type") == "plain_text"]
    assert evidence["text"] == f"“> {FORMATTING} & <!here>”" and evidence["emoji"] is False
    assert message["text"].startswith("[conflict] &gt; \u2217bold\u2217")


@pytest.mark.parametrize("text", ["Site: *x* and _y_", "Site: a ~b~ c", "`rm -rf`", "&gt; quoted", "> quoted",
                                  "*Entities*\nA _x_ B"])
def test_the_checker_sees_formatting_in_data(text: str) -> None:
    raw = {"text": "n", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]}
    assert any("formats data" in p for p in problems(raw))
