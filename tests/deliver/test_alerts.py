"""An alert says what it stands on: the page's text, or the feed's when the page could not be used."""

from __future__ import annotations

import json

import pytest

from tests.deliver.conftest import FAST, alert, config, match
from tests.deliver.test_delivery import Harness
from tests.kit.http import LocalServer
from worker.clients.redis import Redis
from worker.config.models import AppriseDestination, Config, KafkaSettings, Route, Settings, Terms, When
from worker.deliver.alerts import also_seen, build_alert, text_source_line
from worker.deliver.console import render
from worker.extract.fallback import FALLBACK_REASONS
from worker.records import Alert, DeadLetter, Digest, Match, MatchHead, Outlet, StoryRef

LINE = "from the feed's summary: the page could not be extracted (paywall, teaser or gallery)"


def fallback_match(destinations: tuple[str, ...] = ("hook",)) -> Match:
    m = match(title="Harbor Bank halts withdrawals", destinations=destinations)
    article = m.article.model_copy(update={"source": "feed_summary", "fallback_reason": "headline_only"})
    return m.model_copy(update={"article": article})


def test_an_alert_carries_its_text_source_and_why() -> None:
    m = fallback_match()
    built = build_alert(m, m.routes[0])
    assert (built.version, built.text_source, built.fallback_reason) == (2, "feed_summary", "headline_only")
    assert text_source_line(built) == LINE
    on_page = build_alert(match(), match().routes[0])
    assert on_page.text_source == "page" and text_source_line(on_page) is None


def test_the_match_as_deliver_reads_it_builds_the_same_alert() -> None:
    """Deliver decodes a `MatchHead` (no body structure): every alert field comes out as from the Match."""
    for m in (fallback_match(), match(routes=("conflict", "watch"))):
        head = MatchHead.model_validate_json(m.to_json())
        for decision in m.routes:
            assert build_alert(head, decision, "hook") == build_alert(m, decision, "hook")
    bare = match().model_copy(update={"entities": [], "events": []})  # the snippet of last resort: the text
    head = MatchHead.model_validate_json(bare.to_json())
    assert build_alert(head, bare.routes[0]).snippet == bare.article.text


@pytest.mark.parametrize("reason", FALLBACK_REASONS)
def test_every_fallback_reason_has_words(reason: str) -> None:
    line = text_source_line(alert(text_source="title", fallback_reason=reason))
    assert line is not None and line.startswith("from the title alone: ") and "_" not in line


def test_a_version_1_alert_is_read_and_claims_no_source() -> None:
    v1 = {"type": "alert", "version": 1, "id": "a1", "route": "conflict", "article_id": "x",
          "url": "https://news.example/a", "title": "Port strike ends", "feed_id": "wire",
          "first_seen": "2026-12-01T09:30:00Z", "score": 1.0, "entities": [], "events": [], "keywords": [],
          "snippet": "Dockers accepted.", "config_version": "old"}
    read = Alert.model_validate_json(json.dumps(v1))
    assert read.version == 1 and read.text_source is None and text_source_line(read) is None
    letter = DeadLetter.model_validate({"alert": v1, "destination": "hook", "reason": "410", "attempts": 1})
    assert letter.alert == read
    digest = Digest.model_validate({"id": "d", "route": "conflict", "period_start": v1["first_seen"],
                                    "period_end": v1["first_seen"], "alerts": [v1, alert().model_dump()]})
    assert [a.version for a in digest.alerts] == [1, 2]


DAILY = Outlet(url="https://daily.example/quake", site="daily.example")


@pytest.mark.parametrize(("seen", "outlets", "line"), [
    (1, [], None),
    (2, [DAILY], "also seen at 1 other outlet"),
    (3, [DAILY, DAILY.model_copy(update={"url": "https://herald.example/q", "site": "herald.example"})],
     "also seen at 2 other outlets"),
    (3, [DAILY], "also seen in 2 other articles; 1 outlet listed"),  # two copies at one outlet
    (3, [], "also seen in 2 other articles"),
])
def test_the_also_seen_count_is_what_it_lists(seen: int, outlets: list[Outlet], line: str | None) -> None:
    story = StoryRef(id="s", url="https://wire.example/s", seen_count=seen, outlets=outlets)
    assert also_seen(story) == line
    text = render(alert(story=story))
    if line is None:
        assert "also seen" not in text
    else:
        listed = [f"    {o.site} <{o.url}>" for o in outlets]
        assert text.endswith("\n".join([f"  {line}", *listed, "  alert: alert-0"]))


@pytest.mark.integration
def test_a_fallback_alert_shows_its_source_in_every_channel(
        http_server: LocalServer, redis_store: Redis, capsys: pytest.CaptureFixture[str]) -> None:
    channels = ("console", "hook", "slack", "apprise")
    settings = Settings(redis=redis_store.settings, deliver=FAST,
                        kafka=KafkaSettings(topic_prefix=f"{redis_store.settings.key_prefix}."))
    base = config(settings, hook_url=http_server.set("/hook", status=200),
                  slack_url=http_server.set("/slack", status=200, body=b"ok"))
    apprise_url = http_server.set("/apprise", status=200).replace("http://", "json://", 1)
    apprise = AppriseDestination(id="apprise", type="apprise", format="markdown", url=apprise_url)
    cfg = Config(settings=settings, destinations=[*base.destinations, apprise],
                 routes=[Route(id="conflict", when=When(keywords=Terms(any=["x"])), to=list(channels))])
    h = Harness(cfg, redis_store)
    try:
        assert h.handle(fallback_match(channels)) == []
    finally:
        h.deliverer.close()
    assert f"\n  {LINE}\n" in capsys.readouterr().out
    [hook] = http_server.received("/hook", "POST")
    body = json.loads(hook.body)
    assert (body["version"], body["text_source"], body["fallback_reason"]) == (2, "feed_summary",
                                                                               "headline_only")
    [slack] = http_server.received("/slack", "POST")
    contexts = [e["text"] for b in json.loads(slack.body)["blocks"] if b["type"] == "context"
                for e in b["elements"]]
    assert LINE in contexts
    [posted] = http_server.received("/apprise", "POST")
    assert "from the feed's summary: the page could not be extracted \\(paywall, teaser or gallery\\)" \
        in json.loads(posted.body)["message"]
