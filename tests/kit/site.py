"""A news site of generated pages behind RSS feeds that list what was published: the fault suite's
and the pipeline benchmark's source.

Each page published goes into the next feed in turn; a feed lists its newest
`shown` items, newest first, and a page's first listing is remembered, so a
measure can start when an entry could first be seen. `config` is the
matching worker config: a watchlist of the pages' port cities, so every page
is one alert, routed to one webhook.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from tests.kit.http import Answer, Handler, LocalServer, Recorded
from tests.kit.pages import PLACES, Page


class NewsSite:
    def __init__(self, server: LocalServer, feeds: int, shown: int) -> None:
        self.server = server
        self.shown = shown
        self.items: list[list[tuple[Page, float]]] = [[] for _ in range(feeds)]
        self.published: list[str] = []  # page paths, in order
        self.appeared: dict[str, float] = {}  # page path -> time.monotonic() of its first listing
        self.lock = threading.Lock()
        self.feed_urls = [server.set(f"/feed/{feed}.xml", self._feed(feed)) for feed in range(feeds)]

    def publish(self, pages: Sequence[Page]) -> float:
        """List `pages` in the feeds (and serve them); the time.monotonic() they were published at."""
        now = time.time()
        for page in pages:
            self.server.set(page.path, body=page.html, headers={"Content-Type": "text/html; charset=utf-8"})
        with self.lock:
            for page in pages:
                self.items[len(self.published) % len(self.items)].append((page, now))
                self.published.append(page.path)
            if max(map(len, self.items)) > self.shown:
                raise ValueError(f"a feed holds more than the {self.shown} items it shows: "
                                 "publish fewer pages")
        return time.monotonic()

    def _feed(self, feed: int) -> Handler:
        def answer(request: Recorded) -> Answer:
            with self.lock:
                items = list(self.items[feed][-self.shown:])
                now = time.monotonic()
                for page, _ in items:
                    self.appeared.setdefault(page.path, now)
            base = self.server.url("")
            body = "".join(
                f"<item><title>{escape(p.title)}</title><link>{base}{p.path}</link><guid>{p.path}</guid>"
                f"<pubDate>{format_datetime(datetime.fromtimestamp(at, UTC))}</pubDate></item>"
                for p, at in reversed(items))
            return Answer(200, f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
                               f"<link>{base}/</link><description>news</description>{body}</channel></rss>"
                          .encode(), {"Content-Type": "application/rss+xml"})
        return answer

    def config(self, receiver_url: str, secret_env: str, interval: float,
               settings: dict[str, Any]) -> dict[str, Any]:
        """Config sections (for `write_config`) that poll every feed and alert each page at the receiver."""
        return {
            "settings": settings,
            "feeds": [{"id": f"feed-{i}", "url": url, "interval": interval}
                      for i, url in enumerate(self.feed_urls)],
            "watchlists": [{"id": "ports", "name": "Port cities",
                            "entities": [{"id": f"place-{i}", "name": p} for i, p in enumerate(PLACES)]}],
            "routes": [{"id": "ports", "when": {"watchlists": {"any": ["ports"]}}, "to": ["receiver"]}],
            "destinations": [{"id": "receiver", "type": "webhook", "url": receiver_url,
                              "secret": f"${{{secret_env}}}"}],
        }
