"""Articles in many languages and scripts, end to end: each name present, absent, only inside a longer
word (where a reader would say it is another word), and only inflected."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from babel import Locale

from tests.match.conftest import small_config
from worker.config.countries import country_names, known_codes
from worker.match.matcher import Matcher
from worker.records import Article

WATCHLIST: list[dict[str, Any]] = [
    {"id": "france", "name": "France", "aliases": ["Frankreich"]},
    {"id": "moscow", "name": "Moscow", "aliases": ["Москва"]},
    {"id": "damascus", "name": "Damascus", "aliases": ["دمشق"]},
    {"id": "jerusalem", "name": "Jerusalem", "aliases": ["ירושלים"]},
    {"id": "beijing", "name": "Beijing", "aliases": ["北京"]},
    {"id": "hamas", "name": "Hamas", "aliases": ["ハマス"]},
    {"id": "seoul", "name": "Seoul", "aliases": ["서울"]},
    {"id": "bangkok", "name": "Bangkok", "aliases": ["กรุงเทพ"]},
    {"id": "poland", "name": "Poland", "aliases": ["Polska"]},
    {"id": "sao-paulo", "name": "São Paulo"},
    {"id": "ankara", "name": "Ankara"},
]


# languages with letters of their own (accents, other scripts) and with inflecting names
COUNTRY_LANGUAGES = ("ar", "bg", "ca", "cs", "da", "de", "el", "es", "et", "fa", "fi", "fr", "he", "hi", "hr",
                     "hu", "id", "it", "ja", "ko", "lt", "lv", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sl",
                     "sr", "sv", "th", "tr", "uk", "vi", "zh")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(small_config(WATCHLIST))


def found(matcher: Matcher, text: str, language: str | None) -> dict[str, list[str]]:
    article = Article(id="a", feed_id="f", url="https://example.test/a", link="https://example.test/a",
                      title="", text=text, source="page", first_seen=datetime.now(UTC), language=language)
    return {e.id: [m.text for m in e.mentions] for e in matcher.match(article).entities}


# (language, entity, present, absent, inside a longer word, inflected or None)
CASES = [
    ("fr", "sao-paulo", "Des pluies torrentielles à São Paulo ont fait trois morts.",
     "Des pluies torrentielles à Rio ont fait trois morts.",
     "Le quartier Saopaulinho a été évacué.", None),
    ("ru", "moscow", "Москва объявила о новых мерах.", "Киев объявил о новых мерах.",
     "Москвабад — старое прозвище города.", "Переговоры прошли в Москве."),
    ("ar", "damascus", "وصل الوفد إلى دِمَشْقَ صباح اليوم.", "وصل الوفد إلى بيروت صباح اليوم.",
     "قال الدمشقيون إن الوضع هادئ.", None),
    ("ar", "damascus", "وصل الوفد إلى دمشق صباح اليوم.", "وصل الوفد إلى حلب صباح اليوم.",
     "تحدث مدمشقي عن الأمر.", None),
    ("he", "jerusalem", "הפגנה גדולה נערכה בירושלים אתמול.", "הפגנה גדולה נערכה בחיפה אתמול.",
     "הירושלמים יצאו לרחובות.", None),
    ("zh", "beijing", "新华社北京4月24日电 会议在此召开。", "新华社上海4月24日电 会议在此召开。",
     None, None),
    ("ja", "hamas", "イスラエルとハマスの戦闘が続いている。", "イスラエルとヒズボラの戦闘が続いている。",
     "新しいハマスターを買った。", None),
    ("ko", "seoul", "서울에서 열린 회의에 참석했다.", "부산에서 열린 회의에 참석했다.",
     "서울대 교수들이 성명을 냈다.", None),
    ("th", "bangkok", "ฝนตกหนักในกรุงเทพเมื่อวานนี้", "ฝนตกหนักในเชียงใหม่เมื่อวานนี้", None, None),
    ("pl", "poland", "Polska zapowiedziała nowe przepisy.", "Czechy zapowiedziały nowe przepisy.",
     "Polskapresse wydała oświadczenie.", "Wybory w Polsce odbędą się jesienią."),
    ("de", "france", "Frankreich kündigte neue Regeln an.", "Italien kündigte neue Regeln an.",
     "Frankreichkarten lagen aus.", "Die Regierung Frankreichs kündigte neue Regeln an."),
    ("tr", "ankara", "Ankara yeni kuralları açıkladı.", "İzmir yeni kuralları açıkladı.",
     "Ankaralılar sokaklara döküldü.", "Ankara'da yeni kurallar açıklandı."),
]


@pytest.mark.parametrize(("language", "entity", "present", "absent", "inside", "inflected"), CASES)
def test_names_in_every_script(matcher: Matcher, language: str, entity: str, present: str, absent: str,
                               inside: str | None, inflected: str | None) -> None:
    assert entity in found(matcher, present, language)
    assert entity not in found(matcher, absent, language)
    if inside is not None:
        assert entity not in found(matcher, inside, language)
    if inflected is not None:
        assert entity in found(matcher, inflected, language)


def test_every_country_is_found_by_its_own_name_in_its_languages_articles() -> None:
    """Each country configured by its code, named in English, is found by the name CLDR gives it in each
    of these languages, in an article of that language: the accents a language writes are letters of
    its own, and the name it writes them in must not be refused as another word (Sénégal, México)."""
    codes = sorted(code for code in known_codes() if len(code) == 2)
    english = Locale("en").territories
    matcher = Matcher.build(small_config([
        {"id": code.lower(), "name": english.get(code, code), "country": code} for code in codes]))
    missed = [f"{language}: {names[0]}" for language in COUNTRY_LANGUAGES for code in codes
              if (names := country_names(code).get(language))
              and code.lower() not in found(matcher, f"Stand 2024 {names[0]} 2025 stand.", language)]
    assert missed == []
