"""A tiny news site on 127.0.0.1 serving the bundled demo feeds and articles.

The demo, the end-to-end tests and the pipeline benchmark all read the same
site, so what a new user sees in a minute is what the tests assert.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

import yaml

PACKAGE = "worker.demo"


@dataclass(frozen=True)
class Story:
    slug: str
    feed: str
    title: str
    summary: str
    published: datetime


@dataclass(frozen=True)
class FeedSpec:
    id: str
    title: str
    format: str


def load_site() -> tuple[list[FeedSpec], list[Story]]:
    manifest: dict[str, Any] = yaml.safe_load(resources.files(PACKAGE).joinpath("site.yaml").read_text())
    now = datetime.now(UTC).replace(microsecond=0)
    feeds = [FeedSpec(**f) for f in manifest["feeds"]]
    stories = [Story(published=now - timedelta(minutes=5 * i), **a)
               for i, a in enumerate(manifest["articles"])]
    return feeds, stories


def article_html(slug: str) -> bytes:
    return resources.files(PACKAGE).joinpath("articles", f"{slug}.html").read_bytes()


def render_feed(feed: FeedSpec, stories: list[Story], base: str) -> bytes:
    mine = [s for s in stories if s.feed == feed.id]
    if feed.format == "atom":
        entries = "".join(
            f"<entry><title>{escape(s.title)}</title><link href=\"{base}/{feed.id}/{s.slug}\"/>"
            f"<id>{base}/{feed.id}/{s.slug}</id><updated>{s.published.isoformat()}</updated>"
            f"<summary>{escape(s.summary)}</summary></entry>" for s in mine)
        return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>{escape(feed.title)}</title><id>{base}/{feed.id}.xml</id>"
                f"<updated>{mine[0].published.isoformat() if mine else ''}</updated>"
                f"{entries}</feed>").encode()
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{base}/{feed.id}/{s.slug}</link>"
        f"<guid isPermaLink=\"true\">{base}/{feed.id}/{s.slug}</guid>"
        f"<pubDate>{format_datetime(s.published)}</pubDate>"
        f"<description>{escape(s.summary)}</description></item>" for s in mine)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(feed.title)}</title><link>{base}/</link>"
            f"<description>{escape(feed.title)}</description>{items}</channel></rss>").encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """The demo's own log lines are the pipeline's; request lines would drown them."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        body, kind = self.server.site.page(self.path.split("?")[0])
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: DemoSite


class DemoSite:
    """Serve the demo feeds at /<feed>.xml and their articles at /<feed>/<slug>."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.feeds, self.stories = load_site()
        self._server = _Server((host, port), _Handler)
        self._server.site = self
        self.base = f"http://{host}:{self._server.server_address[1]}"
        threading.Thread(target=partial(self._server.serve_forever, 0.2), daemon=True,
                         name="demo-site").start()

    def feed_url(self, feed_id: str) -> str:
        return f"{self.base}/{feed_id}.xml"

    def page(self, path: str) -> tuple[bytes | None, str]:
        for feed in self.feeds:
            if path == f"/{feed.id}.xml":
                kind = "application/atom+xml" if feed.format == "atom" else "application/rss+xml"
                return render_feed(feed, self.stories, self.base), kind
        for story in self.stories:
            if path == f"/{story.feed}/{story.slug}":
                return article_html(story.slug), "text/html; charset=utf-8"
        return None, "text/plain"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
