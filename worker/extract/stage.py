"""The extract stage: each entry becomes exactly one article, with the page's text or the feed's.

Pages are fetched on a pool of threads (waiting on the network costs no
CPU) through the hostile-input HTTP client, and extracted in worker
processes (trafilatura is CPU-bound), which also build the article and its
record's JSON, so only bytes come back to this process (the extraction's
unpickling, the article's validation and serialisation cost it 0.3 to 0.4 ms
a page, a tenth of its CPU). A thread hands its page to the
process pool and waits for it, so at most `fetch_threads` pages are held
in memory at once and the processes never starve while pages arrive.

Nothing a page does can fail the batch: a refused, slow, oversize, broken
or non-HTML page becomes an article with the feed's text and the reason,
and an entry that cannot become an article at all is rejected, alone. Only
an outage of the stage itself (no worker processes can be started) raises,
as `ServiceUnavailable`, and the runtime then reads the batch again.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

from worker import metrics
from worker.clients.connections import Clients
from worker.clients.http import HttpClient
from worker.clients.kafka import Kafka, Message, Outgoing
from worker.config.models import Config, Settings
from worker.errors import FetchError, ServiceUnavailable
from worker.extract.fallback import Built, Failure, build_record, fetch_failure
from worker.extract.page import NotHtml, fetch_page
from worker.extract.pool import ExtractPool, default_processes
from worker.health import Health
from worker.logs import get_logger
from worker.records import Entry
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

    def _page(self, entry: Entry) -> Built | Failure:
        """The entry's article, made from its page in the extraction's process; or why there is no page."""
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
            finish = functools.partial(build_record, entry, self.settings.extract.min_text_chars)
            return pool.extract(page.content, page.url, page.charset, finish)
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

    def _outgoing(self, message: Message, entry: Entry, page: Built | Failure) -> Outgoing | Rejection:
        """The entry's article; an entry that cannot become one is rejected, without fetching the
        other pages of its batch again."""
        if isinstance(page, Failure):  # no page to take the text from: the feed's, built here
            page = build_record(entry, self.settings.extract.min_text_chars, page)
        if page.value is None:
            log.error("entry rejected", article=entry.id, feed=entry.feed_id, url=entry.url,
                      error=page.detail)
            return Rejection(message, page.detail)
        _account(entry, page)
        return Outgoing(self.topic, key=entry.url, value=page.value)


def _account(entry: Entry, built: Built) -> None:
    """Metrics, and a log line that says why whenever the page's text was not used."""
    metrics.ARTICLES.labels(built.source).inc()
    if built.reason is None:
        return
    metrics.FALLBACKS.labels(built.reason).inc()
    level = log.warning if built.reason == "blocked" else log.info
    level("page not used; the article carries the feed's text", article=entry.id, feed=entry.feed_id,
          url=entry.url, reason=built.reason, source=built.source, detail=built.detail)


def extract_stage(config: Config, clients: Clients, health: Health) -> ConsumerStage[Entry]:
    """The extract stage of `newswatch run`: group newswatch-extract, reading entries, writing articles."""
    core = ExtractCore(config.settings, clients.kafka)
    return ConsumerStage("extract", clients.kafka, core, Entry, "entries", health=health)
