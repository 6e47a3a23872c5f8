"""Synthetic news pages for the extract benchmark: generated text in the markup of a real news site.

Each page is 30-80 kB of HTML around 4-6 kB of story: a navigation menu, a
cookie banner, ads, a "most read" list, related stories with teasers,
readers' comments, a newsletter box, a footer of links, inline state and
styles, and the metadata (Open Graph, JSON-LD) a news site carries. The
text is made up from word lists with a seeded random generator, so every
run gets the same pages and no paragraph repeats.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

PEOPLE = ["Amara Castell", "Jonas Lindqvist", "Priya Raman", "Tomasz Wolski", "Grace Mbeki", "Luis Ortega",
          "Hannah Keller", "Samir Haddad", "Ingrid Solberg", "Kofi Asante", "Mei Tanaka", "Oliver Brandt"]
ROLES = ["the finance minister", "a spokesperson for the port authority", "the regional governor",
         "an analyst at a Zurich bank", "the union's general secretary", "the company's chief executive",
         "a senior diplomat", "the city's mayor", "a researcher at the national institute"]
PLACES = ["Rotterdam", "Lagos", "Valparaíso", "Gdańsk", "Mombasa", "Busan", "Marseille", "Halifax", "Izmir",
          "Antwerp", "Chennai", "Tangier"]
ORGS = ["the central bank", "the shipping consortium", "the transport ministry", "the energy regulator",
        "the dockworkers' union", "the European Commission", "the development bank", "the state railway"]
TOPICS = ["fuel prices", "the harbour expansion", "a cyberattack on the customs system", "the drought",
          "grain exports", "the new rail link", "wage negotiations", "a flood warning", "bond yields",
          "the airport strike", "a merger of two insurers", "the election count"]
VERBS = ["warned", "said", "told reporters", "insisted", "confirmed", "acknowledged", "argued", "announced"]
CLAUSES = ["the measures would take effect before the end of the quarter",
           "talks had stalled over the cost of compensation",
           "inspectors found problems in {n} of the sites they visited",
           "the figures were the worst since records began in {year}",
           "investors had already priced in a cut of {n} basis points",
           "contingency plans were in place for at least {n} days",
           "the decision followed weeks of pressure from local businesses",
           "a final agreement could be signed as early as next week",
           "about {n},000 households were affected in and around {place}",
           "the cost had risen by {n} per cent since the project was approved"]
SECTIONS = ["World", "Business", "Markets", "Politics", "Technology", "Climate", "Sport", "Culture",
            "Opinion", "Science", "Health", "Travel", "Video", "Podcasts", "Newsletters", "Puzzles"]


@dataclass(frozen=True)
class Page:
    path: str
    html: bytes
    title: str


def sentence(rng: random.Random) -> str:
    clause = rng.choice(CLAUSES).format(n=rng.randint(2, 95), year=rng.randint(1950, 2015),
                                        place=rng.choice(PLACES))
    who = rng.choice([rng.choice(PEOPLE) + ", " + rng.choice(ROLES) + ",", rng.choice(ROLES).capitalize()])
    return f"{who} {rng.choice(VERBS)} that {clause}, as {rng.choice(ORGS)} weighed {rng.choice(TOPICS)}."


def paragraph(rng: random.Random) -> str:
    first = f"In {rng.choice(PLACES)}, {rng.choice(ORGS)} said {rng.choice(TOPICS)} would dominate the week."
    return " ".join([first] + [sentence(rng) for _ in range(rng.randint(2, 4))])


ICON = ('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2l3 7h7l-5.5 4 2 7-6.5-4.5'
        '-6.5 4.5 2-7L2 9h7z"/></svg>')


def _links(rng: random.Random, count: int, prefix: str) -> str:
    return "".join(f'<li class="menu-item"><a class="menu-link" href="/{prefix}/{rng.randint(1000, 99999)}">'
                   f"{ICON}<span>{rng.choice(SECTIONS)} {rng.choice(TOPICS)}</span></a></li>"
                   for _ in range(count))


def _menu(rng: random.Random) -> str:
    """A mega-menu: a list of sections, each with its own list, as most news sites have."""
    return "".join(f'<li class="menu-section"><div class="menu-wrap"><button>{section}</button>'
                   f'<ul class="submenu">{_links(rng, rng.randint(4, 9), section.lower())}</ul></div></li>'
                   for section in SECTIONS)


def _teasers(rng: random.Random, count: int) -> str:
    return "".join(f'<div class="card"><div class="card-inner"><a href="/story/{rng.randint(10**5, 10**6)}">'
                   f'<picture><source srcset="/img/{rng.randint(1, 999)}.webp">'
                   '<img src="/img/t.jpg" alt=""></picture>'
                   f'<h3 class="card-title">{rng.choice(PLACES)}: {rng.choice(TOPICS)}</h3></a>'
                   f'<p class="card-teaser">{sentence(rng)}</p><div class="card-meta">{ICON}<span>'
                   f"{rng.randint(2, 59)} min ago</span></div></div></div>" for _ in range(count))


def _comments(rng: random.Random, count: int) -> str:
    return "".join(f'<div class="comment"><span class="user">reader{rng.randint(1, 9999)}</span>'
                   f"<p>{sentence(rng)}</p></div>" for _ in range(count))


def _state(rng: random.Random) -> str:
    items = [{"id": rng.randint(1, 10**9), "slot": f"ad-{i}", "targeting": rng.sample(SECTIONS, 4)}
             for i in range(rng.randint(40, 140))]
    return json.dumps({"ads": items, "experiments": {"paywall": rng.random() > 0.5}})


def _head(title: str, author: str, date: str, path: str, rng: random.Random) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": date, "author": {"@type": "Person", "name": author}})
    style = "".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px}}" for i in range(rng.randint(100, 400)))
    return (f'<head><meta charset="utf-8"><title>{title} | The Harbour Herald</title>'
            f'<meta property="og:title" content="{title}">'
            '<meta property="og:site_name" content="The Harbour Herald">'
            f'<meta name="author" content="{author}">'
            f'<meta property="article:published_time" content="{date}">'
            f'<link rel="canonical" href="https://harbour-herald.example{path}">'
            f'<script type="application/ld+json">{ld}</script><style>{style}</style></head>')


def _article(title: str, author: str, date: str, rng: random.Random) -> str:
    body, size, target = [], 0, rng.randint(4000, 6000)
    while size < target:
        body.append(paragraph(rng))
        size += len(body[-1])
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f'<article class="story"><h1>{title}</h1><div class="byline">By <a href="/authors/x">{author}</a>'
            f' <time datetime="{date}">{date[:10]}</time></div>'
            f'<figure><img src="/img/{rng.randint(1, 999)}.jpg">'
            f"<figcaption>{sentence(rng)}</figcaption></figure>"
            f'<div class="story-body">{paragraphs}</div>'
            '<aside class="share"><a href="#">Share</a> <a href="#">Email</a> <a href="#">Save</a></aside>'
            "</article>")


def page(index: int) -> Page:
    rng = random.Random(index)
    title = f"{rng.choice(PLACES)} braces for {rng.choice(TOPICS)} as {rng.choice(ORGS)} acts"
    author = rng.choice(PEOPLE)
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:15:00+00:00"
    path = f"/news/{index:05d}-{rng.randint(1000, 9999)}"
    html = (f'<!DOCTYPE html><html lang="en">{_head(title, author, date, path, rng)}<body>'
            '<div class="cookie-banner">We and our partners use cookies. <button>Accept</button></div>'
            f'<header><a class="logo" href="/">The Harbour Herald</a><nav><ul>{_menu(rng)}</ul></nav>'
            f'<div class="trending"><ul>{_links(rng, 12, "trending")}</ul></div></header>'
            '<div class="ad">Advertisement</div><main>'
            f"{_article(title, author, date, rng)}"
            '<div class="newsletter"><h3>The morning briefing</h3><p>Sign up for our newsletter.</p></div>'
            f'<section class="related"><h2>Related stories</h2>{_teasers(rng, rng.randint(6, 16))}</section>'
            f'<section class="comments"><h2>Comments</h2>{_comments(rng, rng.randint(2, 12))}</section>'
            "</main>"
            f'<aside class="most-read"><h2>Most read</h2><ol>{_links(rng, 10, "story")}</ol>'
            f'<h2>More from the Herald</h2>{_teasers(rng, rng.randint(4, 10))}</aside>'
            f'<footer><ul>{_links(rng, 40, "about")}</ul><p>© The Harbour Herald</p></footer>'
            f"<script>window.__STATE__ = {_state(rng)};</script></body></html>")
    return Page(path, html.encode(), title)


def pages(count: int) -> list[Page]:
    return [page(i) for i in range(count)]
