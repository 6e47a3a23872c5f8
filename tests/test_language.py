"""The language detector: every language of the written texts, short and long, and what it will not guess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.language_texts import FRENCH_LABELLED_ENGLISH, TEXTS
from worker.language import (
    MIN_LETTERS,
    canonical,
    detect,
    detect_article,
    iso_639_1,
    language_name,
)
from worker.records import LANGUAGE_CONFIDENT

# Languages whose long paragraph the model is not sure of, each beside a close neighbour it weighs
# (bench/langid.py measures these): the answer is right, the confidence under LANGUAGE_CONFIDENT.
CLOSE_NEIGHBOURS = {"hr", "ms"}


def _opening(text: str, chars: int) -> str:
    """The text's first `chars` characters, cut at a space when it has spaces."""
    head = text[:chars]
    return head.rsplit(" ", 1)[0] if " " in head else head


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_a_paragraph_is_detected_in_its_language(language: str) -> None:
    found = detect(TEXTS[language])
    assert found is not None and found.language == language
    if language not in CLOSE_NEIGHBOURS:
        assert found.confidence >= LANGUAGE_CONFIDENT


@pytest.mark.parametrize("chars", [60, 100, 150])
@pytest.mark.parametrize("language", sorted(TEXTS))
def test_a_short_opening_is_detected_in_its_language(language: str, chars: int) -> None:
    found = detect(_opening(TEXTS[language], chars))
    assert found is not None and found.language == language


def test_too_few_letters_tell_nothing() -> None:
    assert detect("") is None
    assert detect("2024-05-01 12:30 | 4 : 2 | AP") is None
    assert detect("Berlin, Paris") is None  # fewer than MIN_LETTERS letters
    assert len("BerlinParis") < MIN_LETTERS


def test_text_the_model_cannot_read_as_utf8_is_still_detected() -> None:
    found = detect("The council approved the budget \ud800 after a long debate about the buses.")
    assert found is not None and found.language == "en"


def test_indic_vowel_signs_count_as_letters() -> None:
    """Devanagari's vowel signs are combining marks, not `isalpha`: a short Hindi line is still enough."""
    found = detect("नगर परिषद ने नया बजट मंजूर कर दिया")
    assert found is not None and found.language == "hi"


def test_a_french_story_labelled_english_is_french() -> None:
    found = detect_article("Incendie dans le sud : trois cents habitants évacués", FRENCH_LABELLED_ENGLISH)
    assert found is not None and found.language == "fr" and found.confidence >= LANGUAGE_CONFIDENT


def test_the_body_decides_over_a_title_in_another_language() -> None:
    found = detect_article("Breaking news", TEXTS["de"])
    assert found is not None and found.language == "de"


def test_chinese_varieties_count_as_chinese() -> None:
    """The model splits some Chinese between zh and Wu (wuu); both are ISO 639-1 zh."""
    found = detect("亚太“一带一路”共策会会长表示，上海话和普通话都是中文。")
    assert found is not None and found.language == "zh"


def test_codes() -> None:
    assert {"de", "fr", "zh", "he", "no", "nb"} <= iso_639_1()
    assert "xx" not in iso_639_1() and "deu" not in iso_639_1()
    assert canonical(" NB ") == "no" and canonical("iw") == "he" and canonical("de") == "de"
    assert language_name("de") == "German" and language_name("qq") == "qq"


def test_the_model_ships_in_the_package_and_nothing_is_downloaded(tmp_path: Path) -> None:
    """In a fresh process with every socket refused and an empty model cache, detection works and
    leaves the cache empty: the bundled lite model is what is read."""
    cache = tmp_path / "cache"
    cache.mkdir()
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('no network in this test')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = refuse\n"
        "socket.getaddrinfo = refuse\n"
        "from worker.language import detect\n"
        "print(detect('Der Stadtrat hat am Dienstag einen neuen Haushalt beschlossen.').language)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False,
                          env={**os.environ, "FTLANG_CACHE": str(cache)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "de"
    assert list(cache.iterdir()) == []
