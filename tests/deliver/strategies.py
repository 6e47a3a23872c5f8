"""Alerts whose every text field a stranger wrote (through the feed and page they came from)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from tests.strategies import hostile_text, short_text, token_text
from worker.records import Alert, EntityHit, EventHit, Mention, StoryRef

names = st.one_of(short_text, token_text)  # the many small fields: hostile, but not 100 kB each
urls = st.one_of(st.just("https://news.example/story?id=1&utm=x"), hostile_text,
                 st.builds(lambda rest: f"https://news.example/{rest}", hostile_text))
entities = st.builds(
    EntityHit, id=st.just("e"), name=names, kind=names, watchlist=st.just("w"), score=st.just(1.0),
    mentions=st.lists(st.builds(Mention, text=names, alias=names, field=st.just("body"),
                                start=st.just(0), end=st.just(1), snippet=names), max_size=1))
events = st.builds(EventHit, id=st.just("ev"), name=names, trigger=names, field=st.just("body"),
                   start=st.just(0), end=st.just(1), evidence=names)
stories = st.builds(StoryRef, id=st.just("s"), url=urls, seen_count=st.integers(1, 10**6))
dates = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC))


@st.composite
def alerts(draw: st.DrawFn, n: int = 0) -> Alert:
    return Alert(
        id=f"alert-{n}-{draw(st.integers(0, 10**6))}", route=draw(hostile_text), article_id="a",
        url=draw(urls),
        title=draw(hostile_text), site=draw(st.none() | hostile_text), feed_id=draw(hostile_text),
        published=draw(st.none() | dates), first_seen=draw(dates),
        score=draw(st.floats(allow_nan=True, allow_infinity=True)),
        entities=draw(st.lists(entities, max_size=40)), events=draw(st.lists(events, max_size=8)),
        keywords=[], story=draw(st.none() | stories),
        snippet=draw(hostile_text), config_version="test")
