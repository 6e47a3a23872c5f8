"""Photo and image credits, whole blocks or the end of one, are credit blocks: their names never count."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.match.conftest import small_config
from worker.config import Config
from worker.explain import explain_source
from worker.extract.blocks import Piece, with_credit
from worker.extract.credits import credits
from worker.extract.extract import Extraction, extract_html
from worker.match.matcher import Matcher
from worker.records import Article

PAGE = Path(__file__).parent / "pages" / "credits.html"


def credited(text: str, caption: bool = False) -> list[str]:
    return [text[start:end] for start, end in credits(text, caption)]


@pytest.mark.parametrize(("text", "credit"), [
    ("Marta Kovacs / Reuters file", "Marta Kovacs / Reuters file"),
    ("Police outside the court on Tuesday. Marta Kovacs / Reuters file", "Marta Kovacs / Reuters file"),
    ("Guests arrive in Grassington. (Photo by Lena Park/Getty Images for Wharfe Drones)",
     "(Photo by Lena Park/Getty Images for Wharfe Drones)"),
    ("Lena Park/Getty Images for The Wharfe Trust", "Lena Park/Getty Images for The Wharfe Trust"),
    ("The senator speaks on Tuesday. (Daniel Obi/Reuters)", "(Daniel Obi/Reuters)"),
    ("The president waves. AP Photo/Evan Marsh", "AP Photo/Evan Marsh"),
    ("REUTERS/Kim Lund", "REUTERS/Kim Lund"),
    ("© Amazon", "© Amazon"),
    ("A drone above the river at Burnsall. © Amazon", "© Amazon"),
    ("Copyright 2024 Wharfe Valley Times", "Copyright 2024 Wharfe Valley Times"),
    ("Photo by Tom Reyes", "Photo by Tom Reyes"),
    ("Photo: Tom Reyes/Getty Images", "Photo: Tom Reyes/Getty Images"),
    ("Image: Wharfe Drones", "Image: Wharfe Drones"),
    ("Image credit: Wharfe Drones", "Image credit: Wharfe Drones"),
    ("Credit: Amazon", "Credit: Amazon"),
    ("Photograph: Priya Shah for the Wharfe Times", "Photograph: Priya Shah for the Wharfe Times"),
    ("Photo courtesy of the Grassington Society", "Photo courtesy of the Grassington Society"),
    ("The green at dusk. (AFP)", "(AFP)"),
    ("REUTERS", "REUTERS"),
])
def test_each_form_of_credit_is_found_to_the_end_of_its_line(text: str, credit: str) -> None:
    assert credited(text) == [credit]


def test_a_captions_trailing_parenthesis_of_names_is_its_credit_and_a_paragraphs_is_not() -> None:
    caption = "Staff load parcels at the depot near Skipton. (Wharfe Valley Times)"
    assert credited(caption, caption=True) == ["(Wharfe Valley Times)"]
    assert credited("He spoke for the North Atlantic Treaty Organization. (NATO)") == []


def test_a_credit_line_inside_a_block_is_found() -> None:
    text = "The mayor at the opening.\nREUTERS/Kim Lund\nThe ribbon was cut at noon."
    assert credited(text) == ["REUTERS/Kim Lund"]


@pytest.mark.parametrize("sentence", [
    "Reuters reported that Amazon would cut jobs at its depot near Leeds.",
    "The figures come from Getty Images' annual report, according to Getty Images.",
    "Shares of both makers rose in the first quarter (Apple/Samsung).",
    "Sales rose in the first two months (Jan/Feb).",
    "A Reuters/Ipsos poll found that most voters agree.",
    "Photos of the crash spread online, police said.",
    "The photo was taken by a tourist. Image rights belong to the family.",
    "(c) Amazon shall pay the fee within thirty days.",
    "Copyright law protects the work for seventy years.",
])
def test_sentences_that_mention_an_agency_are_not_credits(sentence: str) -> None:
    assert credited(sentence) == []


def test_a_credit_is_cut_off_its_block_and_the_text_is_unchanged() -> None:
    text = "The mayor at the opening.\nREUTERS/Kim Lund\nThe ribbon was cut at noon. (Daniel Obi/Reuters)"
    parts = with_credit(Piece("caption", text, 0))
    assert [(part.text, part.credit) for part in parts] == [
        ("The mayor at the opening.", False), ("REUTERS/Kim Lund", True),
        ("The ribbon was cut at noon.", False), ("(Daniel Obi/Reuters)", True)]
    assert parts[0].text + "".join(part.gap + part.text for part in parts[1:]) == text
    assert with_credit(Piece("quote", text, 0)) == [Piece("quote", text, 0)]


def extract() -> Extraction:
    return extract_html(PAGE.read_bytes(), "https://wvt.example/drones")


def test_every_credit_on_the_page_is_a_credit_block_with_exact_offsets() -> None:
    found = extract()
    credit_texts = [found.text[b.start:b.end] for b in found.blocks if b.role == "credit"]
    assert credit_texts == ["Marta Kovacs / Reuters file", "(Daniel Obi/Reuters)",
                            "(Photo by Lena Park/Getty Images for Wharfe Drones)", "© Amazon",
                            "Photo by Tom Reyes", "Image: Wharfe Drones", "Credit: Amazon",
                            "Photograph: Priya Shah for the Wharfe Valley Times"]
    body = [found.text[b.start:b.end] for b in found.blocks if b.role == "body"]
    assert "A delivery drone lands in a field outside Grassington on Tuesday." in body
    assert "A drone above the river at Burnsall." in body
    assert any(text.startswith("Reuters reported that the trial") for text in body)
    assert all(b.end <= nxt.start for b, nxt in zip(found.blocks, found.blocks[1:], strict=False))


def config() -> Config:
    route = {"id": "agencies", "when": {"watchlists": {"any": ["test"]}}, "to": ["console"]}
    return small_config([{"id": "reuters", "name": "Reuters"}, {"id": "amazon", "name": "Amazon"},
                         {"id": "getty", "name": "Getty Images"}], routes=[route])


def test_names_in_credits_do_not_count_and_the_same_names_in_the_story_do() -> None:
    found = extract()
    article = Article(id="a", feed_id="f", url="https://wvt.example/drones", link="https://wvt.example/drones",
                      title="Drone deliveries reach the Dales", text=found.text, source="page",
                      blocks=list(found.blocks), first_seen="2024-03-05T10:00:00Z")
    result = Matcher.build(config()).match(article)
    counted = {entity.id: [m.text for m in entity.mentions] for entity in result.entities}
    assert counted == {"reuters": ["Reuters"], "amazon": ["Amazon"], "getty": ["Getty Images"]}
    assert sorted((u.entity, u.role) for u in result.uncounted) == [
        ("amazon", "credit"), ("amazon", "credit"), ("getty", "credit"), ("reuters", "credit"),
        ("reuters", "credit")]


def test_newswatch_match_says_a_name_in_a_credit_is_not_counted() -> None:
    out = io.StringIO()
    explain_source(config(), str(PAGE), out=out)
    text = out.getvalue()
    assert "(reuters): not counted: in a photo or reporting credit (caption: " in text
    assert "(amazon): not counted: in a photo or reporting credit (paragraph: " in text
