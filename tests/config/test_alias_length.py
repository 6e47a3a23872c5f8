"""Alias length judged by script: letters for alphabets, characters for syllabic scripts."""

from __future__ import annotations

import pytest

from worker.config.alias_length import short_alias


@pytest.mark.parametrize("alias", ["a", "us", "EU", "به", "יד", "ок", "京", "미", "タ", "ไท"])
def test_too_short(alias: str) -> None:
    assert short_alias(alias) is not None


@pytest.mark.parametrize("alias", ["U.S.", "USA", "مصر", "צה״ל", "Рим", "北京", "中国", "서울", "독일",
                                   "タイ", "ドイツ", "ไทย", "ລາວ", "မြန်မာ", "ខ្មែរ", "Ἀθῆναι"])
def test_long_enough(alias: str) -> None:
    assert short_alias(alias) is None


def test_han_message_says_to_use_the_full_name() -> None:
    assert "one Han character" in (short_alias("京") or "")
    assert "one or two letters" in (short_alias("us") or "")
