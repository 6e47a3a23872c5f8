"""The extract stage: each entry becomes exactly one article, with the page's text or the feed's.

Pages are fetched on a pool of threads (waiting on the network costs no
CPU) through the hostile-input HTTP client, and extracted in worker
processes (trafilatura is CPU-bound). A thread hands its page to the
process pool and waits for it, so at most `fetch_threads` pages are held
in memory at once and the processes never starve while pages arrive.

Nothing a page does can fail the batch: a refused, slow, oversize, broken
or non-HTML page becomes an article with the feed's text and the reason,
and an entry that cannot become an article at all is rejected, alone. Only
an outage of the stage itself (no worker processes can be started) raises,
as `ServiceUnavailable`, and the runtime then reads the batch again.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from worker import metrics
from worker.clients.connections import Clients
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.config.models import Config, Settings
from worker.errors import FetchError, ServiceUnavailable
from worker.extract.extract import Extraction
from worker.extract.fallback import Failure, build_article, fetch_failure
from worker.extract.page import NotHtml, fetch_page
from worker.extract.pool import ExtractPool, default_processes
from worker.health import Health
from worker.logs import get_logger
from worker.records import Article, Entry
from worker.runtime import ConsumerStage, Rejection, StageCore

log = get_logger(__name__)


class ExtractCore(StageCore[Entry]):
    """The stage's work on one batch: fetch, extract, choose the text, build the articles."""

    def __init__(self, settings: Settings, kafka: Kafka) -> None:
        self.settings = settings
        self.topic = kafka.topic("articles")
        self._opened: tuple[HttpClient, ThreadPoolExecutor, ExtractPool] | None = None

    def start(self) -> None:
        """The HTTP client, the fetching threads and the worker processes, opened with the stage."""
        extract = self.settings.extract
        self._opened = (HttpClient(self.settings.http),
                        ThreadPoolExecutor(extract.fetch_threads, thread_name_prefix="extract-fetch"),
                        ExtractPool(default_processes(extract.processes), extract.page_timeout))

    def _parts(self) -> tuple[HttpClient, ThreadPoolExecutor, ExtractPool]:
        if self._opened is None:
            raise RuntimeError("extract stage: handle() before start()")
        return self._opened

    def handle(self, items: list[tuple[Message, Entry]]) -> list[Outgoing | Rejection]:
        pages = self._parts()[1].map(self._page, [entry for _, entry in items])
        return [self._outgoing(message, entry, page)
                for (message, entry), page in zip(items, pages, strict=True)]

    def _page(self, entry: Entry) -> Extraction | Failure:
        """The entry's page, extracted; or why it could not be."""
        if not entry.has_page:
            return Failure("no_link", "the feed gave this item no link; its link is the feed's site")
        http, _, pool = self._parts()
        try:
            page = fetch_page(http, entry.link, self.settings.http.max_page_bytes)
        except FetchError as exc:
            return fetch_failure(exc.kind, str(exc))
        except NotHtml as exc:
            return Failure("not_html", str(exc))
        except Exception as exc:  # noqa: BLE001 - e.g. a link httpx cannot parse: this entry falls back
            return Failure("fetch_failed", f"{entry.link}: {type(exc).__name__}: {exc}")
        try:
            return pool.extract(page.content, page.url, page.charset)
        except Exception as exc:  # it never raises for a page's sake: the processes cannot be had
            raise ServiceUnavailable(f"the extract stage's worker processes cannot be started: "
                                     f"{type(exc).__name__}: {exc}; check the host's memory and "
                                     "process limits") from exc

    def close(self) -> None:
        if self._opened is None:
            return
        http, fetchers, pool = self._opened
        self._opened = None
        fetchers.shutdown(wait=True, cancel_futures=True)
        pool.close()
        http.close()

    def _outgoing(self, message: Message, entry: Entry, page: Extraction | Failure) -> Outgoing | Rejection:
        """The entry's article; an entry that cannot become one is rejected, without fetching the
        other pages of its batch again."""
        try:
            article = build_article(entry, page, self.settings.extract.min_text_chars)
        except Exception as exc:  # noqa: BLE001 - one entry's problem must not stall the others
            why = f"cannot build the article: {type(exc).__name__}: {exc}"
            log.error("entry rejected", article=entry.id, feed=entry.feed_id, url=entry.url, error=why,
                      exc_info=True)
            return Rejection(message, why)
        _account(article, page)
        return Outgoing(self.topic, key=article.url, value=article.to_json())


def _account(article: Article, page: Extraction | Failure) -> None:
    """Metrics, and a log line that says why whenever the page's text was not used."""
    metrics.ARTICLES.labels(article.source).inc()
    if article.fallback_reason is None:
        return
    metrics.FALLBACKS.labels(article.fallback_reason).inc()
    detail = page.detail if isinstance(page, Failure) else page.problem or f"{len(page.text)} characters"
    level = log.warning if article.fallback_reason == "blocked" else log.info
    level("page not used; the article carries the feed's text", article=article.id, feed=article.feed_id,
          url=article.url, reason=article.fallback_reason, source=article.source, detail=detail)


def extract_stage(config: Config, clients: Clients, health: Health) -> ConsumerStage[Entry]:
    """The extract stage of `newswatch run`: group newswatch-extract, reading entries, writing articles."""
    core = ExtractCore(config.settings, clients.kafka)
    return ConsumerStage("extract", clients.kafka, core, Entry, "entries", health=health)
