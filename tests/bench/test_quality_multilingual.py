"""The multilingual bench's pure parts: pair classes, the anchor's search, the systems' configs, the goal."""

from __future__ import annotations

import pytest

from bench.multilingual_labels import NOT_MENTIONS, PAGES, WATCHLIST, Labels
from bench.quality import Finder, Page, Tally
from bench.quality_multilingual import (
    ANCHOR,
    INFLECTED,
    UNSPACED,
    WRITTEN,
    Report,
    entity_config,
    goal_met,
    label,
    matchers,
    pair_class,
    systems,
)


def test_a_name_standing_as_a_word_is_as_written() -> None:
    assert pair_class("Die Bahn fährt nach Köln, sagt Köln.", ["Köln"], ["Köln"]) == WRITTEN
    assert pair_class("Seit gestern «Oslo» ruft", ["Oslo"], ["oslo"]) == WRITTEN


def test_a_name_glued_to_han_kana_or_thai_is_unspaced_even_beside_digits() -> None:
    assert pair_class("记者在北京3日报道", ["北京"], ["北京"]) == UNSPACED
    assert pair_class("大統領のトランプと会った", ["トランプ"], ["トランプ"]) == UNSPACED
    assert pair_class("ผู้ลี้ภัยจากประเทศไทยแล้ว", ["ประเทศไทย"], ["ประเทศไทย"]) == UNSPACED


def test_a_form_that_is_no_alias_or_a_latin_compound_is_inflected() -> None:
    assert pair_class("Die Zukunft Deutschlands", ["Deutschlands"], ["Deutschland"]) == INFLECTED
    assert pair_class("Der Deutschlandtakt kommt", ["Deutschland"], ["Deutschland"]) == INFLECTED


def test_a_letter_typed_decomposed_is_the_pages_precomposed_one() -> None:
    typed, page = "\u09af\u09bc", "\u09df"  # Bengali YA + NUKTA, and YYA
    assert pair_class(f"নাম {page} এখানে", [page], [typed]) == WRITTEN


def test_the_best_form_decides() -> None:
    text = "ナイジェリア北部のボルノ（Borno）州"
    assert pair_class(text, ["ボルノ", "Borno"], ["ボルノ", "Borno"]) == WRITTEN


def test_the_anchor_finds_substrings_where_the_labels_find_words() -> None:
    specs = [("niger", ("Niger",), (), ()), ("un", (), ("UN",), ("UN-Sicherheitsrat",))]
    text = "Es kamen weniger Gäste zur UN-Sicherheitsrat Sitzung und zur UN-Konferenz"
    assert set(Finder(specs).find(text)) == {"un"}
    assert set(Finder(specs, bounded=False).find(text)) == {"niger", "un"}
    assert Finder(specs).find(text)["un"] == [(text.index("UN-Konferenz"), text.index("UN-Konferenz") + 2)]


def test_each_system_places_the_names_its_way() -> None:
    germany = next(e for e in WATCHLIST if e.id == "germany")
    plain = entity_config(germany, "newswatch")
    assert {"Deutschland", "德国"} <= set(plain["aliases"]) and "Germany" not in plain["aliases"]
    tagged = entity_config(germany, "newswatch by language")
    assert tagged["aliases"] == [] and tagged["aliases_by_language"]["de"] == ["Deutschland"]
    coded = entity_config(germany, "newswatch by country")
    assert coded["country"] == "DE" and "aliases_by_language" not in coded


def test_every_system_compiles_the_whole_watchlist() -> None:
    built = matchers()
    assert set(built) == set(systems())
    assert all(len(m.entities) == len(WATCHLIST) for m in built.values())


def test_labels_name_watched_entities_on_labelled_pages() -> None:
    ids = {e.id for e in WATCHLIST}
    assert len(ids) == len(WATCHLIST)
    assert all(entity in ids for page in PAGES for entity in page.expected)
    labelled = {page.page: page for page in PAGES}
    for not_mention in NOT_MENTIONS:
        assert not_mention.entity in ids
        assert not_mention.entity not in labelled[not_mention.page].expected


def _report(ours: dict[str, tuple[int, int, int]], anchor: dict[str, tuple[int, int, int]]) -> Report:
    report = Report()
    for system, figures in (("newswatch", ours), (ANCHOR, anchor)):
        for language, (tp, fp, fn) in figures.items():
            report.tallies[(system, language)] = Tally(tp, fp, fn)
    return report


def test_the_goal_needs_every_language_and_more_than_the_anchor() -> None:
    anchor = {"de": (19, 1, 1), "zh": (10, 0, 0), "all": (29, 1, 1)}
    assert goal_met(_report({"de": (20, 0, 0), "zh": (10, 0, 0), "all": (30, 0, 0)}, anchor), "newswatch",
                    ["de", "zh"])
    assert not goal_met(_report({"de": (20, 0, 0), "zh": (9, 0, 1), "all": (29, 0, 1)}, anchor), "newswatch",
                        ["de", "zh"])
    assert not goal_met(_report(anchor, anchor), "newswatch", ["de", "zh"])


def test_labels_hold_only_when_every_form_is_there_and_every_watched_word_is_labelled() -> None:
    page = Page("p", b"", "Der Zug fuhr von Berlin nach Hamburg und zurück nach Berlin.")
    ready = label(page, Labels("p", "de", {"berlin": ("Berlin",), "hamburg": ("Hamburg",)}), ("", ""))
    assert ready.classes == {"berlin": WRITTEN, "hamburg": WRITTEN}
    with pytest.raises(SystemExit, match="'Berlins' is not in"):
        label(page, Labels("p", "de", {"berlin": ("Berlins",), "hamburg": ("Hamburg",)}), ("", ""))
    with pytest.raises(SystemExit, match="p hamburg: the reference body names it as a word"):
        label(page, Labels("p", "de", {"berlin": ("Berlin",)}), ("", ""))
