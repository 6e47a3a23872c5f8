"""Passages the precise extraction lost beside the story: found in the page, put back from recall's body."""

from __future__ import annotations

import lxml.html
from lxml import etree

from worker.extract.passages import lost, restore

STORY = ("In its {n}th report, the harbour authority in Northport said on Monday that the swing bridge would "
         "close for repairs from March, after inspectors found corrosion in {n} of its girders and warned of "
         "delays for the ferries that cross the inner harbour every day.")
LEAD = ("It is a familiar scene at the north quay: commuters on the ferry ramp checking their phones for the "
        "timetable, a deckhand waving cars on, and the old swing bridge above them, closed again this week "
        "for the third time since the spring.")
FOOTER = ("Northport Post is published by Harbour Media, which also owns the Northport Ferry Gazette, the "
          "Quayside Weekly and a dozen other titles across the region; our journalism is independent.")


def page(teaser: str) -> etree._Element:
    story = "".join(f"<p>{STORY.format(n=n)}</p>" for n in range(2, 6))
    return lxml.html.fromstring(
        f"<html><body><h1>Northport bridge to close</h1><div class='story-teaser'><p>{teaser}</p></div>"
        f"<div class='story-body'><div class='ad'></div>{story}</div><footer><p>{FOOTER}</p></footer>"
        "</body></html>")


def body(*texts: str) -> etree._Element:
    """A trafilatura body element holding these paragraphs."""
    root = etree.Element("body")
    for text in texts:
        etree.SubElement(root, "p").text = text
    return root


PRECISE = [STORY.format(n=n) for n in range(2, 6)]


def test_a_long_paragraph_before_the_story_and_not_in_its_body_is_lost() -> None:
    assert len(lost(body(*PRECISE), page(LEAD))) == 1


def test_nothing_is_lost_when_the_body_holds_every_long_paragraph() -> None:
    assert lost(body(LEAD, *PRECISE), page(LEAD)) == set()


def test_a_short_line_or_a_footer_is_no_lost_passage() -> None:
    """A byline or a share bar is short, and the footer's text (after the story, too) is not the story's."""
    assert lost(body(*PRECISE), page("By Jane Doe, harbour reporter")) == set()


def test_recall_paragraphs_with_lost_keys_go_before_the_block_they_precede_in_recall() -> None:
    precise = body(*PRECISE)
    recall = body("Home | News | Sport", LEAD, *PRECISE, FOOTER)
    assert restore(precise, recall, lost(precise, page(LEAD))) == 1
    assert [p.text for p in precise] == [LEAD, *PRECISE]  # the menu and the footer stay out
    assert len(recall) == 7  # recall's own body is left whole, for the rescue rule


def test_no_passage_goes_after_the_last_block_of_the_body() -> None:
    """Beyond the story's end, long paragraphs are author bios and comments more often than story."""
    precise = body(*PRECISE)
    recall = body(*PRECISE, LEAD)
    assert restore(precise, recall, lost(precise, page(LEAD))) == 0
    assert [p.text for p in precise] == PRECISE
