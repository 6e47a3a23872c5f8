"""`newswatch match`: the article read as the pipeline reads it, and why it matches or not."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.language_texts import FRENCH_LABELLED_ENGLISH, TEXTS
from tests.match.conftest import DATA, ROOT
from worker.config import Config
from worker.errors import NewswatchError
from worker.explain import explain_source, load_article
from worker.records import Match, stable_id

PAGE = """<!doctype html><html><head><title>Russia's rout in Palmyra</title></head><body>
<nav><a href="/">Home</a> <a href="/paris">Paris</a></nav>
<article><h1>Russia's rout in Palmyra</h1>
<p>IS fighters captured Palmyra from Syrian and Russian forces over the weekend, after the garrison had
been moved north to Aleppo. The defences were thin and the attack came at dawn.</p>
<p>At the White House, a spokesman said the US was weighing whether to send ground troops to retake the
city, and that the loss of the town's arms depot was a serious setback for everyone involved.</p>
</article><footer>Related: Paris fashion week</footer></body></html>"""


def explain(config: Config, source: str, as_json: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    status = explain_source(config, source, as_json, out=out)
    return status, out.getvalue()


def test_it_says_why_an_article_fires(example_config: Config) -> None:
    status, text = explain(example_config, str(DATA / "palmyra.txt"))
    assert status == 0
    assert text.startswith("Pentagon weighs a return to Palmyra as IS tightens its grip\n")
    assert "    title  Pentagon weighs a return to Palmyra as \u00bbIS\u00ab tightens its grip" in text
    assert "trigger 'captured' in the body" in text
    assert "IS fighters \u00bbcaptured\u00ab Palmyra" in text
    assert "  FIRED    conflict-desk     to console" in text
    assert "held: entities.any: islamic-state matched\n" in text
    assert "held: event_types.any: armed-conflict matched\n" in text
    assert "  not      leaders           entities.any: none of erdogan, assad, putin matched" in text
    assert "'IS' (islamic-state): written 'is'; it matches only as 'IS' (2 times)" in text


def test_a_disabled_destination_is_not_named_as_a_target(tmp_path: Path) -> None:
    from worker.config import load_config

    config = load_config(ROOT / "config", environ={"SLACK_WEBHOOK_URL": "https://hooks.slack.com/x"})
    _, text = explain(config, str(DATA / "palmyra.txt"))
    assert ("  FIRED    conflict-desk     to console, slack-ops; disabled, so dead-lettered: "
            "siem (ALERT_WEBHOOK_URL unset), teams-ops (TEAMS_APPRISE_URL unset)\n") in text


def test_it_says_why_an_article_does_not_fire(example_config: Config, tmp_path: Path) -> None:
    source = tmp_path / "gossip.txt"
    source.write_text("Paris Hilton in town\n\nThe heiress arrived on Friday, it is said.\n")
    status, text = explain(example_config, str(source))
    assert status == 1
    assert "Entities: none of the" in text
    assert "'Paris' in the title at 0 (paris): vetoed by the exclusion 'Paris Hilton'" in text
    assert "FIRED" not in text


def test_json_prints_the_match_record(example_config: Config) -> None:
    source = DATA / "palmyra.txt"
    status, text = explain(example_config, str(source), as_json=True)
    record = Match.model_validate_json(text)
    assert status == 0
    assert record.id == stable_id(source.resolve().as_uri())
    assert [(r.route, r.status, r.alert_id) for r in record.routes][0] == (
        "conflict-desk", "alert", stable_id("conflict-desk", record.id))
    assert json.loads(text)["type"] == "match"


def test_an_html_file_is_extracted_as_the_pipeline_does(example_config: Config, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE)
    article = load_article(str(page), example_config.settings)
    assert article.title == "Russia's rout in Palmyra"
    assert "Home" not in article.text and "fashion" not in article.text
    status, text = explain(example_config, str(page))
    assert status == 0
    assert "paris" not in text.split("Routes")[0]


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/story"
    httpd.shutdown()


def test_a_url_is_fetched_with_the_pipeline_s_client(example_config: Config, server: str) -> None:
    with pytest.raises(NewswatchError, match="cannot fetch"):  # loopback is refused by default
        load_article(server, example_config.settings)
    settings = example_config.settings.model_copy(update={"http": example_config.settings.http.model_copy(
        update={"allow_private_hosts": ["127.0.0.1"]})})
    article = load_article(server, settings)
    assert (article.url, article.title) == (server, "Russia's rout in Palmyra")


def test_unreadable_sources_say_why(example_config: Config, tmp_path: Path) -> None:
    with pytest.raises(NewswatchError, match="cannot read it"):
        load_article(str(tmp_path / "missing.txt"), example_config.settings)
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\x00\x01")
    with pytest.raises(NewswatchError, match="a PDF document"):
        load_article(str(binary), example_config.settings)


def test_it_shows_the_declared_and_the_detected_language(example_config: Config, tmp_path: Path) -> None:
    """A French story on a page labelled English is matched as French, and the explanation says so."""
    page = tmp_path / "incendie.html"
    story = f"<p>{FRENCH_LABELLED_ENGLISH}</p>" * 2
    page.write_text(f"<html lang='en'><head><title>Incendie dans le sud</title></head><body><article>"
                    f"<h1>Incendie dans le sud</h1>{story}</article></body></html>", encoding="utf-8")
    _, text = explain(example_config, str(page))
    assert "\n  language: French (fr); declared en, detected fr with confidence 0.9" in text
    assert "(the detected one counts from 0.5)\n" in text
    _, record = explain(example_config, str(page), as_json=True)
    assert json.loads(record)["article"]["detected_language"] == "fr"


def test_a_plain_text_article_is_detected_too(example_config: Config, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(f"Der Stadtrat tagt\n{TEXTS['de']}\n", encoding="utf-8")
    _, text = explain(example_config, str(story))
    assert "\n  language: German (de); declared none, detected de with confidence" in text


def test_too_little_text_tells_no_language(example_config: Config, tmp_path: Path) -> None:
    story = tmp_path / "short.txt"
    story.write_text("Palmyra\nFalls.\n", encoding="utf-8")
    _, text = explain(example_config, str(story))
    assert "\n  language: unknown; declared none, detected none (too little text)" in text


def test_each_mention_says_which_rule_found_it() -> None:
    from datetime import UTC, datetime

    from tests.match.conftest import small_config
    from worker.match.matcher import Matcher
    from worker.match.render import render
    from worker.records import Article

    matcher = Matcher.build(small_config([
        {"id": "moscow", "name": "Moscow", "aliases": ["Москва"]}, {"id": "beijing", "name": "北京"},
        {"id": "damascus", "name": "دمشق"}]))

    def shown(text: str, language: str | None) -> str:
        article = Article(id="a", feed_id="f", url="https://example.test/a", link="https://example.test/a",
                          title="", text=text, source="page", first_seen=datetime.now(UTC), language=language)
        return render(article, matcher.match(article, explain=True), matcher)

    assert "[Москве \u2190 Москва, Russian inflection]" in shown("Переговоры в Москве.", "ru")
    assert "[北京, Han sequence]" in shown("我在北京工作。", "zh")
    assert "[دِمَشْقَ \u2190 دمشق, Arabic folding]" in shown("وصل إلى دِمَشْقَ أمس.", "ar")
    assert "[دمشق, Arabic prefix]" in shown("وصل وفد بدمشق أمس.", "ar")


SOURCED = Config.model_validate({
    "feeds": [{"id": "wire", "url": "https://wire.example/rss", "tags": ["world", "markets"]},
              {"id": "energy-news", "url": "https://energy.example/rss", "tags": ["energy"]},
              {"id": "grid-watch", "url": "https://grid.example/rss", "tags": ["energy"]}],
    "watchlists": [{"id": "grid", "name": "Grid", "entities": [{"id": "nordgrid", "name": "Nordgrid"}]}],
    "routes": [
        {"id": "energy-desk", "to": ["console"], "when": {"feeds": {"any": ["energy-news", "grid-watch"]}}},
        {"id": "wire-grid", "to": ["console"], "when": {
            "entities": {"any": ["nordgrid"]}, "feed_tags": {"all": ["world"], "none": ["opinion"]},
            "domains": {"any": ["reuters.com"]}, "authors": {"none": ["Jane Doe"]}}},
    ],
    "destinations": [{"id": "console", "type": "console"}],
})


def test_source_clauses_are_explained(tmp_path: Path) -> None:
    page = tmp_path / "outage.html"
    paragraph = ("<p>Nordgrid said on Monday that a transformer fault in the north could cut power to two "
                 "towns for a day, and that crews were on the way.</p>")
    page.write_text("<html><head><title>Nordgrid warns of an outage</title><meta name='author' "
                    "content='Jane Doe'></head><body><article><h1>Nordgrid warns of an outage</h1>"
                    + paragraph * 3 + "</article></body></html>")
    out = io.StringIO()
    assert explain_source(SOURCED, str(page), out=out, feed=SOURCED.feeds[0]) == 1
    text = out.getvalue()
    assert "  from feed 'wire', tags world, markets; by Jane Doe\n" in text
    assert ("  not      energy-desk  feeds.any: the article's feed 'wire' is not one of energy-news, "
            "grid-watch\n") in text
    assert "  not      wire-grid    domains.any: the article's URL has no host\n" in text
    assert "           authors.none: the article's byline 'Jane Doe' names Jane Doe, excluded\n" in text


def test_source_clauses_that_hold_are_shown_held() -> None:
    from tests.match.conftest import article
    from worker.match.matcher import Matcher
    from worker.match.render import render

    matcher = Matcher.build(SOURCED)
    story = article("Nordgrid warns of an outage", "Nordgrid said a fault could cut power.")
    story = story.model_copy(update={
        "feed_id": "wire", "tags": ["world"], "url": "https://www.reuters.com/business/energy/x",
        "author": "John Roe and Ann Lee"})
    text = render(story, matcher.match(story, explain=True), matcher)
    assert "  FIRED    wire-grid    to console\n" in text
    for held in ("entities.any: nordgrid matched",
                 "feed_tags.all: the article's feed 'wire' is tagged world",
                 "feed_tags.none: the article's feed 'wire' has none of the tags opinion",
                 "domains.any: the article's domain 'www.reuters.com' is within reuters.com",
                 "authors.none: the article's byline 'John Roe and Ann Lee' names none of Jane Doe"):
        assert f"held: {held}\n" in text
