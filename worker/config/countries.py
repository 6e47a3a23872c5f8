"""A country's names in every language, for entities that name a country by its ISO code.

The names come from CLDR (through Babel: the name each locale gives the
territory) and from the iso-codes translations (through pycountry: the short,
common and official names), merged by ISO 639-1 language: a regional or
script variant's name (pt_PT "Irão" beside pt "Irã", sr_Latn "Nemačka" beside
sr "Немачка", zh_Hant "德國" beside zh "德国") is one more name of the base
language. Reading every locale takes seconds, too slow for a worker's start or
a reload, so the merged table is built once and shipped beside this module
(`countries.json`); `python -m worker.config.countries` rebuilds it after
Babel or pycountry change, and a test checks that it matches them.

Names are cleaned into what an article writes (see `_as_written`); a name too
short to match safely in its script (see `alias_length`) is left out, and so is
one that names two countries in one language (see `_unambiguous`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from worker.config.alias_length import short_alias
from worker.folding import phrase_key

TABLE = Path(__file__).with_name("countries.json")
# Not ISO 3166-1, but named in CLDR and watched like countries.
EXTRA_CODES = ("EU", "UN", "XK")
# Codes people write for a country whose ISO code differs.
COMMON_MISTAKES = {"UK": "GB", "EL": "GR", "SP": "ES", "KO": "KR", "SW": "SE", "DA": "DK", "JA": "JP"}
# Script variants of a language that news is written in; the others (Deseret, Adlam, Latin Hindi...)
# would add names no article uses.
_SCRIPTS = {"sr": ("Latn", "Cyrl"), "zh": ("Hant", "Hans"), "bs": ("Cyrl", "Latn"), "uz": ("Cyrl", "Latn"),
            "az": ("Cyrl", "Latn"), "kk": ("Cyrl",), "pa": ("Arab", "Guru"), "ks": ("Arab",),
            "sd": ("Arab",), "ms": ("Latn",), "ku": ("Latn",), "su": ("Latn",)}
_PARENTHESIS = re.compile(r"^(.*?)\s*\([^)]*\)\s*$")
# A catalogue form "Korea, Republic of" is read back as "Republic of Korea" when what follows the
# comma is one word ("Virgin Islands, British") or ends in a word that joins it to the name.
_INVERTED = re.compile(r"^([^,]+), (?:The )?(\S+|.* (?:of|of the|de|del|de la|du|des|da|do|di))$")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, list[str]]]:
    data: dict[str, dict[str, list[str]]] = json.loads(TABLE.read_text(encoding="utf-8"))
    return data


def known_codes() -> frozenset[str]:
    return frozenset(_table())


def country_names(code: str) -> dict[str, list[str]]:
    """The country's names by ISO 639-1 language code; {} for a code the table does not hold."""
    return _table().get(code, {})


def unknown_code(code: str) -> str:
    """The error for a code that is no country: what it may have meant, and where codes are listed."""
    hint = COMMON_MISTAKES.get(code.upper()) or (code.upper() if code.upper() in known_codes() else None)
    guess = f"did you mean {hint!r}? " if hint else ""
    return (f"{code!r} is not an ISO 3166-1 alpha-2 country code; {guess}write the two-letter code "
            f"(DE, US, GB, CN; also EU, UN, XK), as listed at https://www.iso.org/obp/ui/#search")


# --- building the table (at release time, not at run time) ---------------------------------------


def build_table() -> dict[str, dict[str, list[str]]]:
    """Every code's cleaned names by language, from the installed Babel and pycountry."""
    import pycountry

    codes = sorted({c.alpha_2 for c in pycountry.countries} | set(EXTRA_CODES))
    raw: dict[str, dict[str, list[str]]] = {code: {} for code in codes}
    for lang, names in _cldr_names():
        for code in codes:
            if name := names.get(code):
                raw[code].setdefault(lang, []).append(name)
    for lang, code, name in _iso_names(codes):
        raw[code].setdefault(lang, []).append(name)
    table = {code: {lang: _clean(names, lang) for lang, names in sorted(by_lang.items())}
             for code, by_lang in raw.items()}
    return _unambiguous(table)


def _unambiguous(table: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """A name two countries share in one language stays only where it is the first name: es "Congo"
    names the Republic of the Congo, not also the Democratic Republic."""
    owners: dict[tuple[str, str], set[str]] = {}
    for code, by_lang in table.items():
        for lang, names in by_lang.items():
            for name in names:
                owners.setdefault((lang, phrase_key(name)), set()).add(code)
    out: dict[str, dict[str, list[str]]] = {}
    for code, by_lang in table.items():
        for lang, names in by_lang.items():
            kept = [name for i, name in enumerate(names)
                    if i == 0 or len(owners[(lang, phrase_key(name))]) == 1]
            if kept:
                out.setdefault(code, {})[lang] = kept
    return out


def _base_language(locale: str) -> str | None:
    """The ISO 639-1 language of a Babel or gettext locale id, or None for a variant left out."""
    parts = re.split(r"[_@]", locale)
    lang = parts[0]
    if len(lang) != 2:
        return None
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if locale.endswith("@latin"):
        script = "Latn"
    if script and script not in _SCRIPTS.get(lang, ()):
        return None
    return lang


def _cldr_names() -> Iterable[tuple[str, dict[str, str]]]:
    """(language, {code: name}) for each Babel locale, base first: a variant only adds what differs."""
    from babel import localedata

    for locale in sorted(localedata.locale_identifiers(), key=lambda i: (i.count("_"), i)):
        lang = _base_language(locale)
        if lang is None:
            continue
        own: dict[str, Any] = localedata.load(locale, merge_inherited=False)
        yield lang, {code: str(name) for code, name in own.get("territories", {}).items()}


def _iso_names(codes: list[str]) -> Iterable[tuple[str, str, str]]:
    """(language, code, name) from the iso-codes translations of each country's names."""
    import gettext

    import pycountry

    countries = [c for c in pycountry.countries if c.alpha_2 in codes]
    folder = Path(pycountry.LOCALES_DIR)
    for locale in sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES" / "iso3166-1.mo").exists()):
        lang = _base_language(locale)
        if lang is None:
            continue
        translation = gettext.translation("iso3166-1", str(folder), languages=[locale])
        for country in countries:
            for field in ("common_name", "name", "official_name"):
                english = getattr(country, field, None)
                translated = translation.gettext(english) if english else None
                if translated and translated != english:
                    yield lang, country.alpha_2, translated
    for country in countries:  # the English names are the untranslated ones
        for field in ("common_name", "name", "official_name"):
            if english := getattr(country, field, None):
                yield "en", country.alpha_2, english


def _clean(names: list[str], lang: str) -> list[str]:
    """Names as articles write them, each once, too-short ones dropped, and none that holds another
    as whole words ("Bundesrepublik Deutschland" goes, since "Deutschland" matches inside it)."""
    found: dict[str, str] = {}
    for written in names:
        if name := _as_written(unicodedata.normalize("NFC", written).strip(), lang):
            key = phrase_key(name)
            if key and short_alias(name) is None:
                found.setdefault(key, name)
    kept: list[str] = []
    for key in sorted(found, key=len):
        if not any(f" {shorter} " in f" {key} " for shorter in kept):
            kept.append(key)
    return [name for key, name in found.items() if key in kept]


def _as_written(name: str, lang: str) -> str | None:
    """The name as running text has it: CLDR's qualifier in parentheses goes ("Hong Kong (China)",
    "コンゴ民主共和国(キンシャサ)"), "Congo - Kinshasa" is written "Congo-Kinshasa", a catalogue form
    "Korea, Republic of" is read back as "Republic of Korea" (in English also "Virgin Islands,
    British"); other forms with a comma are no name an article writes."""
    name = _PARENTHESIS.sub(r"\1", name).replace(" - ", "-")
    if (m := _INVERTED.match(name)) and (lang == "en" or " " in m.group(2)):
        return f"{m.group(2)} {m.group(1)}"
    return None if "," in name or not name else name


def write_table() -> None:
    TABLE.write_text(json.dumps(build_table(), ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                     encoding="utf-8")


if __name__ == "__main__":
    write_table()
