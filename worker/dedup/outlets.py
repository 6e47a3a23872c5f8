"""The other outlets of a story, for the alert's "also seen at": their URLs and sites.

The story keeps the URLs of its copies in Redis (`Stories.also_seen`); an
alert names up to `OUTLETS` of them besides its own article, newest first,
with the story's first article last, so a receiver can open the other
versions of a story without asking Newswatch.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from worker.records import Outlet, StoryRef

OUTLETS = 5


def with_outlets(story: StoryRef, article_url: str, also_seen: list[str]) -> StoryRef:
    """`story` naming up to `OUTLETS` outlets other than `article_url`."""
    urls = [url for url in dict.fromkeys([*also_seen, story.url]) if url != article_url]
    outlets = [Outlet(url=url, site=_site(url)) for url in urls[:OUTLETS]]
    return story.model_copy(update={"outlets": outlets}) if outlets else story


def _site(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:  # a URL too broken to have a host still names the outlet by its URL
        return None
    return host.removeprefix("www.") if host else None
