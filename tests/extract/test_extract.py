"""Extraction of news pages as the pipeline does it, on fixture pages written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.language_texts import FRENCH_LABELLED_ENGLISH
from worker.extract.extract import (
    ALL_BOILERPLATE,
    HEADLINE_ONLY,
    NOT_HTML,
    Extraction,
    better,
    decode_html,
    extract_html,
    headline_of,
)
from worker.records import LANGUAGE_CONFIDENT

PAGES = Path(__file__).parent / "pages"


def extract(name: str, url: str | None = "https://news.example/story") -> Extraction:
    return extract_html((PAGES / name).read_bytes(), url)


def test_scenario_article_body_and_metadata() -> None:
    page = extract("palmyra.html")
    assert page.text.startswith("IS fighters captured Palmyra on Sunday")
    for fact in ("ground troops", "Russian and Syrian forces withdrew", "battle for Aleppo", "ISIL"):
        assert fact in page.text
    assert "“It may fall to our own service members" in page.text  # typographic quotes survive
    assert page.title == "IS fighters retake Palmyra as Washington weighs ground troops"
    assert page.author == "Miriam Okafor"
    assert page.date == datetime(2016, 12, 16, 9, 40, tzinfo=UTC)
    assert (page.language, page.site, page.problem) == ("en", "The Levant Courier", None)


def test_boilerplate_around_the_story_is_left_out() -> None:
    page = extract("harbour.html")
    assert "Northport's swing bridge across the inner harbour" in page.text
    assert "unload on the far side of the water" in page.text
    assert "Girder replacement" in page.text  # a table inside the story is part of it
    for boilerplate in ("Most read", "Police appeal", "Sign up", "harbourwatcher", "Cookie settings",
                        "Subscribe", "Related stories"):
        assert boilerplate not in page.text
    assert page.author == "Daniel Whitcombe" and page.site == "Northport Evening Post"
    assert page.date == datetime(2024, 3, 5, tzinfo=UTC)


def test_related_headlines_do_not_become_the_story() -> None:
    """A related link naming Aleppo must not count as a mention in this article."""
    assert "Aid convoy reaches eastern Aleppo" not in extract("palmyra.html").text


def test_headline_is_not_repeated_as_the_first_line() -> None:
    page = extract("palmyra.html")
    assert page.title and page.title not in page.text.splitlines()[0]


def test_page_of_navigation_and_scripts_extracts_to_nothing_and_says_why() -> None:
    page = extract("empty.html")
    assert page.text == ""
    assert page.problem and "no article text found" in page.problem
    assert page.title == "Loading…"


def test_windows_1252_page_with_charset_meta() -> None:
    page = extract("greve-cp1252.html")
    assert "« Nous sommes désolés pour les voyageurs" in page.text
    assert page.title == "Grève des contrôleurs aériens : des centaines de vols annulés à Marseille"
    assert page.language == "fr"


def test_header_charset_wins_over_meta() -> None:
    raw = "<html><head><meta charset='utf-8'></head><body><p>Zürich – “quoted”</p></body></html>"
    assert decode_html(raw.encode("cp1252"), "windows-1252") == raw


def test_latin1_label_reads_as_windows_1252_like_browsers() -> None:
    raw = b"<meta charset=iso-8859-1><p>\x93quoted\x94</p>"
    assert decode_html(raw) == "<meta charset=iso-8859-1><p>“quoted”</p>"


def test_a_utf8_page_under_a_servers_default_charset_is_read_as_utf8() -> None:
    raw = "<meta charset=iso-8859-1><p>Zürich – “quoted”</p>"
    assert decode_html(raw.encode(), "ISO-8859-1") == raw


def test_bom_and_undeclared_pages() -> None:
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>") == "<p>café</p>"
    assert decode_html(b"<p>no declaration</p>") == b"<p>no declaration</p>"  # left to trafilatura
    assert decode_html(b"<meta charset='no-such-codec'><p>x</p>") == b"<meta charset='no-such-codec'><p>x</p>"


def test_huge_page() -> None:
    body = "".join(f"<p>Witness {i} told the committee about the flood defences on the river.</p>"
                   for i in range(15000))
    nav = "".join(f"<li><a href='/section/{i}'>Section {i}</a></li>" for i in range(3000))
    html = (f"<html><head><title>Flood inquiry</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><h1>Flood inquiry</h1>{body}</article></body></html>")
    assert len(html) > 1_200_000
    page = extract_html(html, "https://news.example/floods")
    assert "Witness 14999 told the committee" in page.text and "Section 17" not in page.text


def test_binary_junk_is_not_html() -> None:
    assert extract_html(bytes(range(256)) * 40).problem == NOT_HTML
    assert extract_html(b"").problem == NOT_HTML


def test_same_page_same_text_every_time() -> None:
    """Extraction depends on the page alone, not on what the process extracted before."""
    first = extract("harbour.html")
    assert all(extract("harbour.html") == first for _ in range(4))


def test_str_and_bytes_give_the_same_article() -> None:
    raw = (PAGES / "palmyra.html").read_bytes()
    assert extract_html(raw.decode("utf-8"), "https://x.example/") == extract_html(raw, "https://x.example/")


def test_recall_text_is_taken_only_when_it_outweighs_the_precise_body() -> None:
    fragment = Extraction("Pretty front doors for autumn", title="Fall decorating")
    story = Extraction("Ten ways to decorate a front door for autumn, with gourds and wreaths. " * 12)
    taken = better(fragment, story)
    assert taken.text == story.text
    assert taken.note and "kept 29 characters of body" in taken.note
    assert better(story, fragment) is story
    a_bit_more = Extraction(story.text + " And a closing line on doors and porches in the town.")
    assert better(story, a_bit_more) is story  # not twice as long: the precise text stands


def test_a_story_held_by_nested_wrappers_is_extracted_whole() -> None:
    """Each CMS wrapper around the story holds its whole text: no count of repeats may discard it."""
    page = extract("nested-wrappers.html", "https://circuit.example/reviews/fenwick-14")
    assert (page.problem, page.note) == (None, None)
    assert page.text.startswith("The new Fenwick 14 laptop arrives with a brighter screen")
    for fact in ("stopped noticing the difference", "compiled our test project", "The webcam is still",
                 "the one we would pick this spring"):
        assert fact in page.text
    assert [block.role for block in page.blocks] == ["body"] * 5


def test_a_page_of_boilerplate_alone_says_that_none_of_it_counts() -> None:
    html = ("<html><head><title>Stay in touch</title></head><body><article><h1>Stay in touch</h1>"
            "<p>Follow us on Twitter @wvtimes and on Facebook for the latest from the valley.</p>"
            "<p>Sign up for our newsletter to get the morning headlines in your inbox every day.</p>"
            "<p>Contact the newsroom at news@wvt.example with tips and corrections.</p>"
            "</article></body></html>")
    found = extract_html(html, "https://wvt.example/contact")
    assert found.text.startswith("Follow us on Twitter") and found.note == ALL_BOILERPLATE
    assert extract("palmyra.html").note is None


def test_a_page_whose_body_is_its_headline_says_so() -> None:
    html = ("<html><head><title>Bridge to close</title></head><body><article><h1>Bridge to close</h1>"
            "<p>Bridge to close</p></article></body></html>")
    found = extract_html(html, "https://post.example/bridge")
    assert found.text == "" and found.problem == HEADLINE_ONLY


def test_the_outlets_name_after_the_headline_is_left_out() -> None:
    story = "".join(f"<p>The harbour bridge will close for repairs in March, the council said ({n}).</p>"
                    for n in range(6))

    def title_of(title: str, site: str) -> str | None:
        html = (f'<html><head><title>{title}</title><meta property="og:site_name" content="{site}"></head>'
                f"<body><article>{story}</article></body></html>")
        return extract_html(html, "https://usnews.example/bridge").title

    assert title_of("Bridge to close for repairs - US News", "US News & World Report") == (
        "Bridge to close for repairs")
    assert title_of("Bridge to close for repairs | WIRED", "WIRED") == "Bridge to close for repairs"
    # a segment that is not the outlet stays (trafilatura's own title rules aside)
    assert headline_of("Harbour chief - the interview", "US News", "usnews.example") == (
        "Harbour chief - the interview")


def test_the_language_is_detected_from_the_text_beside_the_one_the_page_declares() -> None:
    html = ("<html lang='en'><head><title>Incendie dans le sud</title></head><body><article>"
            f"<h1>Incendie dans le sud</h1><p>{FRENCH_LABELLED_ENGLISH}</p><p>{FRENCH_LABELLED_ENGLISH}</p>"
            "</article></body></html>")
    page = extract_html(html, "https://news.example/incendie")
    assert page.language == "en"
    assert page.detected is not None and page.detected.language == "fr"
    assert page.detected.confidence >= LANGUAGE_CONFIDENT


def test_a_page_without_text_has_no_detected_language() -> None:
    assert extract("empty.html").detected is None


# Pages written for these tests in legacy encodings, each holding characters that only the browsers'
# superset of the labelled encoding has: GBK's 镕 and 喆 (a premier's and a footballer's given names),
# cp932's NEC and IBM characters (①, ㈱, 髙), cp949's 똠, cp874's and cp1254's curly quotes and €.
LEGACY = [
    ("gb2312", "gbk", "朱镕基和张喆在北京会见了代表团。"),
    ("GB2312", "gb18030", "记者张喆报道：朱镕基昨日抵达上海。"),
    ("shift_jis", "cp932", "①髙橋氏は㈱東京電力の会見で説明した。"),
    ("euc-kr", "cp949", "똠방각하 기사가 서울에서 화제가 됐다."),
    ("tis-620", "cp874", "“กรุงเทพฯ” ราคา 5 € วันนี้"),
    ("iso-8859-9", "cp1254", "“İstanbul’da” bilet fiyatı 5 € oldu."),
    ("iso-8859-1", "cp1252", "“Zürich” – the price is 5 €."),
]


@pytest.mark.parametrize(("label", "encoding", "sentence"), LEGACY)
def test_a_legacy_label_is_decoded_as_browsers_decode_it(label: str, encoding: str, sentence: str) -> None:
    body = f"<p>{sentence}</p>"
    in_meta = f"<html><head><meta charset='{label}'><title>t</title></head><body>{body}</body></html>"
    assert decode_html(in_meta.encode(encoding)) == in_meta
    in_header = f"<html><head><title>t</title></head><body>{body}</body></html>"
    assert decode_html(in_header.encode(encoding), label.upper()) == in_header


def test_a_gb2312_page_keeps_its_gbk_names_through_extraction() -> None:
    story = "".join(f"<p>{sentence}新华社记者张喆报道，国务院前总理朱镕基的讲话在会上被多次引用。</p>"
                    for sentence in ("第一段。", "第二段。", "第三段。", "第四段。"))
    page = (f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
            f"<title>朱镕基讲话被引用</title></head><body><article><h1>朱镕基讲话被引用</h1>{story}"
            "</article></body></html>").encode("gbk")
    found = extract_html(page, "https://news.example/zh")
    assert "张喆" in found.text and "朱镕基" in found.text and "\ufffd" not in found.text
    assert found.detected is not None and found.detected.language == "zh"
