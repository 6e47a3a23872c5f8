"""Captions trafilatura drops: put back inside the story, before the block they precede; credits marked."""

from __future__ import annotations

from worker.extract.extract import Extraction, extract_html

STORY = ("<p>In its {n}th report, the harbour authority in Northport said on Monday that the swing "
         "bridge would close for repairs from March, after inspectors found corrosion in {n} of its "
         "girders and warned of delays for the ferries that cross the inner harbour every day.</p>")


def page(article: str, after: str = "") -> str:
    return (f"<html><head><title>Northport bridge to close</title></head><body><nav><a href='/'>Home</a>"
            f"</nav><article><h1>Northport bridge to close</h1>{article}</article>{after}"
            f"<footer>Copyright Northport Post</footer></body></html>")


def captions(found: Extraction) -> list[tuple[str, str, int]]:
    """Each caption block's text, role and the index of the block it stands at."""
    return [(found.text[b.start:b.end], b.role, index) for index, b in enumerate(found.blocks)
            if b.kind == "caption"]


def extract(html: str) -> Extraction:
    return extract_html(html, "https://post.example/bridge")


def test_a_figcaption_between_paragraphs_is_a_caption_block_before_the_next_one() -> None:
    figure = ("<figure><img src='/b.jpg'><figcaption>The mayor of Northport inspects the corroded girders "
              "under the swing bridge on Monday.</figcaption></figure>")
    body = STORY.format(n=2) + STORY.format(n=3) + figure + STORY.format(n=4) + STORY.format(n=5)
    found = extract(page(body))
    assert captions(found) == [("The mayor of Northport inspects the corroded girders under the swing bridge "
                                "on Monday.", "body", 2)]
    assert "corrosion in 4 of" in found.text[found.blocks[3].start:found.blocks[3].end]


def test_an_aside_whose_class_says_caption_is_the_lead_pictures_caption() -> None:
    aside = ("<aside class='caption-left'><p>Ferries queue at the north quay, where the bridge opens.</p>"
             "</aside>")
    found = extract(page(aside + "".join(STORY.format(n=n) for n in range(2, 6))))
    assert [(text, index) for text, _, index in captions(found)] == [
        ("Ferries queue at the north quay, where the bridge opens.", 0)]


def test_a_credit_the_caption_marks_is_its_own_credit_block() -> None:
    figure = ("<figure><figcaption>Inspectors on the swing bridge in Northport. "
              "<span class='photo-Credit'>Harbour Wire</span></figcaption></figure>")
    found = extract(page(figure + "".join(STORY.format(n=n) for n in range(2, 6))))
    assert [(text, role) for text, role, _ in captions(found)] == [
        ("Inspectors on the swing bridge in Northport.", "body"), ("Harbour Wire", "credit")]


def test_an_unmarked_photo_credit_is_still_a_credit() -> None:
    figure = "<figure><figcaption>Photo: Getty Images</figcaption></figure>"
    found = extract(page(STORY.format(n=2) + figure + "".join(STORY.format(n=n) for n in range(3, 6))))
    assert [(text, role) for text, role, _ in captions(found)] == [("Photo: Getty Images", "credit")]


def test_captions_of_teasers_after_the_story_are_not_the_story() -> None:
    teasers = "".join(f"<div class='teaser'><figure><figcaption>Teaser picture {n} of the Northport ferry "
                      f"fleet in winter</figcaption></figure><a href='/t{n}'>More news {n}</a></div>"
                      for n in range(3))
    found = extract(page("".join(STORY.format(n=n) for n in range(2, 6)), after=teasers))
    assert captions(found) == []
    assert "Teaser picture" not in found.text


def test_a_caption_trafilatura_keeps_is_not_repeated() -> None:
    kept = "<p class='photo-text'>The swing bridge seen from the north quay at low tide on Monday.</p>"
    found = extract(page(STORY.format(n=2) + kept + "".join(STORY.format(n=n) for n in range(3, 6))))
    assert found.text.count("seen from the north quay") <= 1
