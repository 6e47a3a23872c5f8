"""The extract stage against the real Kafka broker and a local web server of friendly and hostile pages."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from tests.kit.extract import Topics, entry, start_stage
from tests.kit.http import Answer, LocalServer, Recorded
from tests.kit.running import OnThread, running_stages
from tests.kit.waiting import wait_until
from worker.clients.connections import Clients
from worker.clients.kafka import Kafka, Message
from worker.config.models import Config, ExtractSettings, HttpSettings, KafkaSettings, Settings
from worker.extract.fallback import Failure, build_article
from worker.extract.stage import ExtractCore
from worker.records import Article
from worker.runtime import outgoing

PAGES = Path(__file__).parent / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}
FEED_CONTENT = "<p>The feed's own copy of the story, used when the page cannot be.</p>"


def settings(kafka_settings: KafkaSettings, **http: object) -> Settings:
    """Only "localhost" may be private: the server is reached by that name, never by its address."""
    http_settings = HttpSettings.model_validate({
        "allow_private_hosts": ["localhost"], "connect_timeout": 2, "read_timeout": 2, "total_timeout": 1.5,
        "max_page_bytes": 100_000, **http})
    return Settings(kafka=kafka_settings, http=http_settings,
                    extract=ExtractSettings(processes=2, fetch_threads=8, page_timeout=15))


@pytest.fixture
def site(http_server: LocalServer) -> LocalServer:
    for name in ("palmyra", "harbour", "empty"):
        http_server.set(f"/{name}", body=(PAGES / f"{name}.html").read_bytes(), headers=HTML)
    http_server.set("/greve", body=(PAGES / "greve-cp1252.html").read_bytes(),
                    headers={"Content-Type": "text/html"})
    slow = Answer(body=(PAGES / "harbour.html").read_bytes() * 4, trickle=0.2, headers=HTML)
    http_server.set("/slow", slow)  # 1 kB every 0.2 s: far past total_timeout
    http_server.set("/huge", body=b"<html><body>" + b"<p>padding</p>" * 20_000 + b"</body></html>",
                    headers=HTML)
    http_server.set("/hop", status=302, headers={"Location": f"http://127.0.0.1:{http_server.port}/admin"})
    http_server.set("/admin", body=b"<html><body><p>internal only</p></body></html>", headers=HTML)
    http_server.set("/report.pdf", body=b"%PDF-1.7\n" + bytes(range(256)) * 20,
                    headers={"Content-Type": "application/pdf"})
    http_server.set("/junk", body=bytes(range(256)) * 20, headers=HTML)
    return http_server


def local(server: LocalServer, path: str) -> str:
    return f"http://localhost:{server.port}{path}"


def extract_on_thread(config: Config) -> AbstractContextManager[OnThread]:
    """The extract stage on `config`, as `newswatch run --stage extract` runs it."""
    return running_stages(config, Clients.for_settings(config.settings), "extract")


@pytest.fixture
def topics(kafka: Kafka) -> Iterator[Topics]:
    opened = Topics(kafka)
    yield opened
    opened.close()


@pytest.fixture
def running(kafka: Kafka, site: LocalServer, topics: Topics) -> Iterator[Topics]:
    with extract_on_thread(Config(settings=settings(kafka.settings))):
        yield topics


def by_path(articles: list[Article], server: LocalServer) -> dict[str, Article]:
    return {a.url.removeprefix(f"http://localhost:{server.port}"): a for a in articles}


def test_every_entry_becomes_one_article_with_the_page_or_a_marked_fallback(
        running: Topics, site: LocalServer) -> None:
    entries = [entry(local(site, p), content=FEED_CONTENT)
               for p in ("/palmyra", "/harbour", "/greve", "/empty", "/gone", "/huge", "/slow", "/hop",
                         "/report.pdf", "/junk")]
    entries += [entry(local(site, "/untitled"), title="", summary="Summary from the feed."),
                entry("http://169.254.169.254/latest/meta-data/", content=FEED_CONTENT),
                entry("file:///etc/passwd", summary="Summary from the feed."),
                entry("http://[::1/broken", summary="Summary from the feed.")]
    with capture_logs() as logs:
        running.produce(entries)
        articles = running.collect({e.id for e in entries}, timeout=90, complete=True)

    assert sorted(a.id for a in articles) == sorted(e.id for e in entries)  # exactly one each
    got = by_path(articles, site)
    palmyra = got["/palmyra"]
    assert (palmyra.source, palmyra.fallback_reason) == ("page", None)
    assert palmyra.text.startswith("IS fighters captured Palmyra") and "ISIL" in palmyra.text
    assert (palmyra.author, palmyra.language, palmyra.site) == ("Miriam Okafor", "en", "The Levant Courier")
    assert palmyra.published is not None and palmyra.published.isoformat() == "2016-12-16T09:40:00+00:00"
    assert "Most read" not in got["/harbour"].text and got["/harbour"].source == "page"
    assert "« Nous sommes désolés" in got["/greve"].text
    # Detected in the extraction's processes for a page's text, in the stage for the feed's.
    assert (palmyra.detected_language, got["/greve"].detected_language, got["/gone"].detected_language) == (
        "en", "fr", "en")

    expected = {"/empty": "no_text", "/gone": "http_error", "/huge": "too_large", "/slow": "timeout",
                "/hop": "blocked", "/report.pdf": "not_html", "/junk": "not_html"}
    for path, reason in expected.items():
        article = got[path]
        assert (path, article.source, article.fallback_reason) == (path, "feed_content", reason)
        assert article.text == "The feed's own copy of the story, used when the page cannot be."
    untitled = got["/untitled"]
    assert (untitled.source, untitled.fallback_reason, untitled.title) == ("feed_summary", "http_error", "")
    assert got["http://169.254.169.254/latest/meta-data/"].fallback_reason == "blocked"
    assert got["file:///etc/passwd"].fallback_reason == "blocked"
    assert got["http://[::1/broken"].fallback_reason == "fetch_failed"  # a link httpx cannot even parse
    assert not site.received("/admin")

    refused = [e for e in logs if e.get("reason") == "blocked"]
    assert len(refused) == 3 and all(e["log_level"] == "warning" for e in refused)
    assert any("non-public address" in e["detail"] for e in refused)
    assert any("only http and https" in e["detail"] for e in refused)


def hold_until(release: threading.Event, page: bytes) -> Callable[[Recorded], Answer]:
    """A server that answers only when the test says so: the stage is caught mid-batch."""

    def answer(_: Recorded) -> Answer:
        release.wait(timeout=60)
        return Answer(body=page, headers=HTML)
    return answer


def test_a_killed_stage_loses_nothing(kafka: Kafka, site: LocalServer, topics: Topics,
                                      tmp_path: Path) -> None:
    release = threading.Event()
    site.set("/held", hold_until(release, (PAGES / "palmyra.html").read_bytes()))
    config = Config(settings=settings(kafka.settings, read_timeout=30, total_timeout=60))
    entries = [entry(local(site, p)) for p in ("/held", "/harbour", "/palmyra", "/greve")]
    topics.produce(entries)

    child = start_stage(config, tmp_path / "config")
    try:
        wait_until(lambda: site.received("/held"), "the stage to fetch /held")
    finally:
        child.kill()
        release.set()
    assert child.exit_code() == -9

    with extract_on_thread(config):
        articles = topics.collect({e.id for e in entries}, timeout=60)
    assert {a.id for a in articles} == {e.id for e in entries}
    assert len(site.received("/held")) == 2  # the batch was never committed: read and fetched again
    assert by_path(articles, site)["/held"].source == "page"


def test_an_entry_that_cannot_become_an_article_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    """The safety net for a bug on one entry: it goes to the rejected topic and its batch goes on."""
    def broken(*_: object) -> Article:
        raise ValueError("no article for you")

    monkeypatch.setattr("worker.extract.fallback.build_article", broken)
    kafka = Kafka(KafkaSettings(topic_prefix="unit."))
    core = ExtractCore(Settings(extract=ExtractSettings(processes=1)), kafka)
    try:
        message = Message("unit.entries", 0, 7, "http://localhost/x", b"{}", 0)
        [out] = outgoing(kafka, "extract", [core._outgoing(message, entry("http://localhost/x"),
                                                            Failure("timeout", "slow"))])
    finally:
        core.close()
    assert out.topic == "unit.rejected" and b"no article for you" in out.value


def test_an_entry_without_a_page_is_not_fetched_and_carries_the_feed_text(kafka: Kafka,
                                                                          http_server: LocalServer) -> None:
    site = http_server.set("/", body=b"<html><body><p>the site's home page</p></body></html>", headers=HTML)
    bulletin = entry(site, has_page=False, summary="Ferry services suspended until noon.")
    core = ExtractCore(Settings(extract=ExtractSettings(processes=1)), kafka)
    try:
        page = core._page(bulletin)
    finally:
        core.close()
    assert page == Failure("no_link", "the feed gave this item no link; its link is the feed's site")
    assert http_server.received("/") == []
    article = build_article(bulletin, page, 200)
    assert (article.source, article.fallback_reason) == ("feed_summary", "no_link")
    assert article.text == "Ferry services suspended until noon." and article.url == site
