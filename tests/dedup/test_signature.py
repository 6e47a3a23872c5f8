from __future__ import annotations

from tests.dedup.stories import BUDGET, QUAKE, rewrite
from worker.dedup.signature import band_keys, bands_for, decode, encode, fingerprint, similarity


def test_identical_text_gives_identical_fingerprints_whatever_the_typography() -> None:
    a = fingerprint("Quake hits coast", QUAKE)
    b = fingerprint("QUAKE HITS COAST", QUAKE.replace("'", "\u2019").replace("  ", " "))
    assert a.content == b.content
    assert similarity(a.signature, b.signature) == 1.0


def test_a_light_rewrite_is_near_and_shares_bands() -> None:
    a = fingerprint("Strong quake hits coastal province", QUAKE)
    b = fingerprint("Strong Quake Hits Coastal Province, Dozens Hurt", rewrite(QUAKE))
    assert a.content != b.content
    assert similarity(a.signature, b.signature) >= 0.6
    assert set(band_keys(a.signature, 0.6)) & set(band_keys(b.signature, 0.6))


def test_a_different_story_is_far() -> None:
    a = fingerprint("Strong quake hits coastal province", QUAKE)
    b = fingerprint("Council approves budget", BUDGET)
    assert similarity(a.signature, b.signature) < 0.2


def test_bands_put_the_lsh_midpoint_below_the_threshold() -> None:
    for threshold in (0.5, 0.6, 0.8, 0.9):
        bands, rows = bands_for(threshold)
        assert bands * rows == 128
        assert (1 / bands) ** (1 / rows) <= threshold


def test_signatures_round_trip() -> None:
    signature = fingerprint("t", QUAKE).signature
    assert (decode(encode(signature)) == signature).all()
