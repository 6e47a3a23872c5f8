"""`newswatch match FILE|URL`: run the pipeline's matcher on one article and say why it matches, or not.

The article is read the way the pipeline reads it: an HTML file or page goes
through the extract stage's own `extract_html` and `build_article` (so the
text is the text an alert would have seen), a URL is fetched with the
pipeline's guarded HTTP client, and a plain-text file is its first non-empty
line as the title and the rest as the body. The exit status follows grep:
0 when at least one route fires, 1 when none does (2 for an unreadable
source, from the CLI).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from worker.clients.http import HttpClient
from worker.config.models import Config, Feed, Settings
from worker.errors import FetchError, NewswatchError
from worker.extract.extract import extract_html
from worker.extract.fallback import build_article
from worker.extract.page import NotHtml, Page, fetch_page, not_html
from worker.language import article_fields, detect_article
from worker.match.matcher import Matcher
from worker.match.mutes import Muting, config_mutes, decisions, held_back
from worker.match.render import render
from worker.match.result import MatchResult
from worker.records import Article, Entry, Match, Mute, stable_id
from worker.text import BODY, TITLE, clean


def explain_source(config: Config, source: str, as_json: bool = False, out: TextIO | None = None,
                   matcher: Matcher | None = None, feed: Feed | None = None) -> int:
    """Print why the article at `source` matches or not (`as_json`: its match record); see the module.

    Pass `matcher` to explain many sources with one compiled config, and `feed` to read the article as
    that feed's (its id and tags), which routes' `feeds` and `feed_tags` clauses look at.
    """
    out = out or sys.stdout
    matcher = matcher or Matcher.build(config)
    article = _from_feed(load_article(source, config.settings), feed)
    result = matcher.match(article, explain=True)
    held = _held(config, matcher, result)
    if as_json:
        record = _record(config, matcher, article, result, held)
        out.write(record.model_dump_json(indent=2, exclude_none=True) + "\n")
    else:
        out.write(render(article, result, matcher, color=out.isatty(), held=held))
    return 0 if result.routes else 1


def match_record(config: Config, source: str, matcher: Matcher, feed: Feed | None = None) -> Match:
    """The match record of the article at `source`, as the match stage would write it."""
    article = _from_feed(load_article(source, config.settings), feed)
    result = matcher.match(article, explain=True)
    return _record(config, matcher, article, result, _held(config, matcher, result))


def _held(config: Config, matcher: Matcher, result: MatchResult) -> dict[str, Mute]:
    """The routes the config's mutes hold back, as the match stage judges them now (run-time mutes live
    in Redis, read by `run`)."""
    return held_back(result.routes, result.found, matcher.routes,
                     Muting.at(datetime.now(UTC), config_mutes(config)))


def _record(config: Config, matcher: Matcher, article: Article, result: MatchResult,
            held: dict[str, Mute]) -> Match:
    routes = {route.id: route for route in config.routes}
    alerts = [d for d in matcher.alerts(result, article.id) if d.route not in held]
    return matcher.record(article, result, decisions(result.routes, alerts, held, routes, article.id))


def _from_feed(article: Article, feed: Feed | None) -> Article:
    """The article as that feed's (its id and tags): routes' `feeds` and `feed_tags` look at them."""
    if feed is None:
        return article
    return article.model_copy(update={"feed_id": feed.id, "tags": list(feed.tags)})


def load_article(source: str, settings: Settings) -> Article:
    """The article at a URL, in a file, or on standard input (`-`), as the pipeline would build it."""
    if source.startswith(("http://", "https://")):
        fetched = _fetch(source, settings)
        return article_from_html(fetched.content, fetched.url, fetched.charset, settings)
    if source == "-":
        body, url = sys.stdin.buffer.read(), "stdin:"
    else:
        path = Path(source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise NewswatchError(f"{source}: cannot read it: {exc.strerror}; give a text or HTML file, "
                                 f"or an http(s) URL") from None
        url = path.resolve().as_uri()
    if not_html("", body) is None:
        return article_from_html(body, url, None, settings)
    if b"\x00" in body[:1024]:
        raise NewswatchError(f"{source}: {not_html('', body)}; give a text or HTML file")
    return article_from_text(body.decode("utf-8", errors="replace"), url)


def _fetch(url: str, settings: Settings) -> Page:
    """The page at `url`, fetched as the extract stage fetches it."""
    client = HttpClient(settings.http)
    try:
        return fetch_page(client, url, settings.http.max_page_bytes)
    except FetchError as exc:
        raise NewswatchError(f"cannot fetch the article: {exc}") from None
    except NotHtml as exc:
        raise NewswatchError(f"{exc}; the pipeline would not extract it either") from None
    finally:
        client.close()


def article_from_html(body: bytes, url: str, charset: str | None, settings: Settings) -> Article:
    """The extract stage's article for a page, its fallback rules included.

    Offline there is no feed text to fall back on, so a page too short to use
    leaves the title alone; the explanation's header says so.
    """
    extraction = extract_html(body, url, charset=charset)
    entry = Entry(id=stable_id(url), feed_id="offline", feed_url=url, url=url, link=url, title="",
                  first_seen=datetime.now(UTC))
    return build_article(entry, extraction, settings.extract.min_text_chars)


def article_from_text(text: str, url: str) -> Article:
    """An article from plain text: the first non-empty line is the title, the others the body."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title, body = (lines[0], lines[1:]) if lines else ("", [])
    text = clean("\n".join(body), BODY)
    return Article(id=stable_id(url), feed_id="offline", url=url, link=url, title=clean(title, TITLE),
                   text=text, source="page", first_seen=datetime.now(UTC),
                   **article_fields(detect_article(title, text)))
