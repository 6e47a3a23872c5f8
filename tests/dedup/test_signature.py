from __future__ import annotations

from tests.dedup.stories import BUDGET, QUAKE, rewrite
from worker.dedup.signature import (
    band_keys,
    bands_for,
    decode,
    encode,
    fingerprint,
    fingerprint_of,
    similarity,
)
from worker.folding import fold


def test_the_words_of_the_folded_title_and_text_are_those_of_both_folded_as_one() -> None:
    """Folding is character by character: the match stage folds the two fields apart (for the matcher),
    and their fingerprint is the one of the article folded whole, as stories were fingerprinted before."""
    texts = [("Caf\u00e9 owners\u2019 strike", "Stra\u00dfe \ufb01les: the \u201cU.S.\u201d\nmayor's vote"),
             ("Story", "one two\u00ad three four five six"), ("", "a b"),
             ("\u6771\u4eac", "\u5927\u962a\u3067")]
    for title, text in texts:
        whole = fold(f"{title}\n{text}").text.split()
        assert [w for f in (fold(title), fold(text)) for w in f.text.split()] == whole
        assert fingerprint_of(title, text).content == fingerprint((fold(f"{title}\n{text}"),)).content


def test_identical_text_gives_identical_fingerprints_whatever_the_typography() -> None:
    a = fingerprint_of("Quake hits coast", QUAKE)
    b = fingerprint_of("QUAKE HITS COAST", QUAKE.replace("'", "\u2019").replace("  ", " "))
    assert a.content == b.content
    assert similarity(a.signature, b.signature) == 1.0


def test_a_light_rewrite_is_near_and_shares_bands() -> None:
    a = fingerprint_of("Strong quake hits coastal province", QUAKE)
    b = fingerprint_of("Strong Quake Hits Coastal Province, Dozens Hurt", rewrite(QUAKE))
    assert a.content != b.content
    assert similarity(a.signature, b.signature) >= 0.6
    assert set(band_keys(a.signature, 0.6)) & set(band_keys(b.signature, 0.6))


def test_a_different_story_is_far() -> None:
    a = fingerprint_of("Strong quake hits coastal province", QUAKE)
    b = fingerprint_of("Council approves budget", BUDGET)
    assert similarity(a.signature, b.signature) < 0.2


def test_bands_put_the_lsh_midpoint_below_the_threshold() -> None:
    for threshold in (0.5, 0.6, 0.8, 0.9):
        bands, rows = bands_for(threshold)
        assert bands * rows == 128
        assert (1 / bands) ** (1 / rows) <= threshold


def test_signatures_round_trip() -> None:
    signature = fingerprint_of("t", QUAKE).signature
    assert (decode(encode(signature)) == signature).all()
