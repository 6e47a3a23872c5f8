"""A country's names in every language, from the table shipped beside the module."""

from __future__ import annotations

import json

import pytest

from worker.config.countries import TABLE, build_table, country_names, known_codes, unknown_code
from worker.config.models import Entity
from worker.folding import phrase_key


def test_germany_in_many_languages_and_scripts() -> None:
    names = country_names("DE")
    for lang, name in [("en", "Germany"), ("de", "Deutschland"), ("fr", "Allemagne"), ("ru", "Германия"),
                       ("ja", "ドイツ"), ("zh", "德国"), ("ar", "ألمانيا"), ("he", "גרמניה"), ("ko", "독일")]:
        assert name in names[lang], (lang, names.get(lang))
    assert len(names) > 120


def test_regional_and_script_variants_fold_into_the_base_language() -> None:
    assert {"Irã", "Irão"} <= set(country_names("IR")["pt"])
    assert {"Немачка", "Nemačka"} <= set(country_names("DE")["sr"])
    assert "德国" in country_names("DE")["zh"]  # and 德國 (zh-Hant), which folds to it
    assert phrase_key("德國") in {phrase_key(name) for name in country_names("DE")["zh"]}


def test_names_are_cleaned_into_what_articles_write() -> None:
    assert country_names("MM")["en"] == ["Myanmar"]  # CLDR's "Myanmar (Burma)"
    assert "Republic of Korea" in country_names("KR")["en"]  # iso-codes' "Korea, Republic of"
    assert "Democratic Republic of the Congo" in country_names("CD")["en"]
    assert not any("," in n for by_lang in map(country_names, known_codes()) for ns in by_lang.values()
                   for n in ns)
    # a longer name that holds a shorter one as whole words adds nothing
    assert "Bundesrepublik Deutschland" not in country_names("DE")["de"]


def test_entity_gets_its_country_names_beside_its_own() -> None:
    entity = Entity(id="germany", name="Germany", country="DE",
                    aliases_by_language={"de": ["Bundesregierung"]})
    names = entity.language_aliases()
    assert names["de"] == ["Deutschland", "Bundesregierung"]
    assert "Allemagne" in names["fr"]


@pytest.mark.parametrize(("code", "hint"), [("UK", "'GB'"), ("de", "'DE'"), ("QQ", None)])
def test_unknown_code_is_refused_with_the_fix(code: str, hint: str | None) -> None:
    with pytest.raises(ValueError, match="not an ISO 3166-1 alpha-2 country code") as err:
        Entity(id="x", name="X", country=code)
    assert (hint in str(err.value)) if hint else "did you mean" not in str(err.value)
    assert unknown_code(code) in str(err.value)


def test_the_shipped_table_is_what_babel_and_pycountry_give() -> None:
    """Rebuild with `python -m worker.config.countries` after Babel or pycountry change."""
    assert json.loads(TABLE.read_text(encoding="utf-8")) == build_table()
