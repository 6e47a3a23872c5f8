"""Names and triggers in their inflected forms, in articles of a language that inflects them.

"Москва" is "в Москве", "München" is "Münchens", "Polska" is "w Polsce", the
German trigger "Angriff" is "Angriffe". The folded-exact match stays the first
rule (the main automaton); `worker.match.inflection_index` looks for the forms
these rules allow, in articles of an inflecting language only, so English pays
nothing for them. Whether a token (as written) is a form of an alias's word is
decided by the article language's rule:

- Russian and Ukrainian: pymorphy3, with its dictionaries and its guesses for
  names it does not know (Зеленского): the alias, as configured, must be a
  lemma of the token. "Иран" is not a form of "Ира", which the Snowball
  stemmer would accept (both stem to "ира"). A word of an alias that is not
  its own lemma, one written in the plural (Соединённые Штаты) or a woman's
  surname (Набиуллина, whose lemma is the man's), matches the forms of its
  lemma in its number and gender: Соединённых Штатов and Набиуллиной, not the
  singular "штата" nor the man's "Набиуллин";
- Icelandic, Latvian, Bulgarian, Slovenian: simplemma's lemmas the same way
  (small dictionaries; the Polish or Finnish ones hold 400 MB, so not those).
  The alias is not lemmatised itself: Latvian "Mali" would become "mala"
  (an edge), and every "malas" would be Mali. Latvian declines every name,
  foreign ones too, which no dictionary holds: a name also takes the case
  endings of the declension its nominative ending gives (Aska: Askas, Askā;
  Jerdruma: Jerdrumas; Trumps: Trumpa, Trumpam), and one ending in a
  consonant those of the first (Trump: Trumpa);
- German, Swedish, Danish, Norwegian names keep their letters and take an
  ending (Deutschlands, Münchens, der Europäischen Union, Sveriges): the token
  is the alias and one of those endings. The German stemmer would also make
  "links" of "Linke" and "Paket" of a name "Pakes"; triggers there, common
  nouns with umlaut plurals (Anschläge), go by the stemmer;
- the rest: PyStemmer's Snowball stemmers, the token's stem equal to the
  alias's, or, for stems of five letters or more, differing in their last
  letter in the languages whose endings change it (Polsce, Helsingissä) when
  the stemmer took an ending off the alias, or the token's stem is the alias itself
  (Budapesten), no more: "beliebig" is not "Belize", "Service" not "Servië".
  In Polish, Czech, Slovak, Hungarian, Romanian, Finnish and Lithuanian a
  name's form must also keep the name's letters up to its ending, as those
  languages change them (`_KEPT_BASE`): "danych" (of data) stems like Dania;
  Polish and Romanian case endings on that base, and Finnish weak grades,
  stand without the stemmer (Syrii, Rusiei, Itävallan);
- Greek names: by the ending of their nominative alone (Κύπρος: Κύπρου); the
  stemmer made "μάλιστα" of Mali. Turkish names do not inflect: their
  suffixes follow an apostrophe (Ankara'da).

An alias of three letters or fewer inflects only by lemma (Russian, Ukrainian
and the simplemma languages): a stem of "Ira" or "Rom" is a prefix of too many
words ("Iran", "Roman"). Names inflect in the languages of `NAME_RULES`;
triggers also in those where only common nouns and verbs inflect (French
"attaques", Spanish "ataques"), since a stemmer there would make "France" of
"français". An article of unknown language gets no inflection: a stemmer of
the wrong language only adds false matches.

The rules also say where to look (`token_keys`): a token can only be a form
of one of the words it names (its lemmas, its stem, itself less an ending),
or of a word whose stem key (`stem_keys`) it names, so the aliases can be
indexed by those, and a token looks its candidates up instead of testing
every alias that shares its first letters.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import simplemma
import Stemmer

LANGUAGE_NAMES = {
    "bg": "Bulgarian", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "es": "Spanish", "et": "Estonian", "fi": "Finnish", "fr": "French", "hr": "Croatian",
    "hu": "Hungarian", "is": "Icelandic", "it": "Italian", "lt": "Lithuanian", "lv": "Latvian",
    "nb": "Norwegian", "nl": "Dutch", "nn": "Norwegian", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian",
}
_SNOWBALL = {
    "cs": "czech", "sk": "czech", "da": "danish", "de": "german", "el": "greek", "et": "estonian",
    "fi": "finnish", "hu": "hungarian", "lt": "lithuanian", "nb": "norwegian", "nn": "norwegian",
    "no": "norwegian", "pl": "polish", "ro": "romanian", "sr": "serbian", "hr": "serbian", "bs": "serbian",
    "sv": "swedish", "tr": "turkish", "fr": "french", "es": "spanish", "pt": "portuguese", "it": "italian",
    "nl": "dutch", "ca": "catalan",
}
_MORPHOLOGY = frozenset({"ru", "uk"})
_LEMMAS = frozenset({"is", "lv", "bg", "sl"})
# Names do not inflect in the Romance languages and Dutch, nor in Turkish, which writes a name's suffixes
# after an apostrophe (Ankara'da: a word of its own); its stems made "benim" (mine) of Benin.
NAME_RULES = frozenset(_MORPHOLOGY | _LEMMAS | (set(_SNOWBALL) - {"fr", "es", "pt", "it", "nl", "ca", "tr"}))
TRIGGER_RULES = frozenset(NAME_RULES | set(_SNOWBALL))
_SHORT = 3  # letters; an alias this short inflects by lemma only
# Languages where a name keeps its letters and takes an ending: the genitive, an adjective's case.
_GERMANIC = frozenset({"s", "es", "ns", "n", "en", "ens", "e", "er", "em"})
_ENDINGS = {"de": _GERMANIC, "sv": frozenset({"s"}), "da": frozenset({"s"}), "no": frozenset({"s"}),
            "nb": frozenset({"s"}), "nn": frozenset({"s"})}
# Where a case ending changes the stem's last consonant: Polsce, Praze, Helsingissä, Tartus.
_ALTERNATING = frozenset({"pl", "cs", "sk", "fi", "et", "hr", "bs", "sr"})
_MIN_STEM = 4  # letters; stems this short must be equal
# A stem's last consonant that a case ending softens, in stems of any length (Praha: v Praze, Praga:
# w Pradze; Czech's stemmer itself turns Olomouci into "olomouk").
_SOFTENED: dict[str, dict[str, tuple[str, ...]]] = {
    "cs": {"h": ("z",), "g": ("z",), "k": ("c",), "c": ("k",), "r": ("ř",)},
    "pl": {"g": ("dz", "z"), "k": ("c",), "r": ("rz",)},
}
# Finnish names in -i of the language's own take -e- before an ending (Suomi: Suomen); foreign ones keep
# their letters and take the ending (Malissa, Trumpin), which the stemmer cuts unevenly ("malin": "mal",
# as "kemia", chemistry, is "kem"). Estonian names in a consonant take a vowel before an ending
# (Tallinn: Tallinna, Tallinnas; Putin: Putini).
_E_STEMS = frozenset({"fi"})
_FINNISH_VOWELS = frozenset("aeiouyäö")
_PARTITIVE = frozenset({"a", "ä"})
_PLURAL_VOWELS = frozenset("aäioe")  # what follows a plural name's stem: Yhdysvaltain, -oissa, Alankomaiden
_APPENDED = {"fi": frozenset({"n", "in", "iin", "hin", "ssa", "ssä", "sta", "stä", "lla", "llä", "lta",
                              "ltä", "lle", "ksi", "na", "nä", "ta", "tä"})}
# A Finnish word in -nen (Virtanen, Valtonen, Mäkinen) has -se- before an ending, -s- before the partitive's
_NEN_ENDINGS = frozenset({"e" + ending for ending in _APPENDED["fi"]} | {"een", "ta", "tä"})
# Greek names decline by the ending of their nominative, and only so (accents aside: Αίγυπτος,
# Αιγύπτου; Ουκρανία, Ουκρανίας); Snowball's stems made "μάλιστα" (indeed) of Mali, "περί" (about) of
# Peru, ΣΥΡΙΖΑ of Syria, "γεωργίου" (George's) of Georgia.
_GREEK_ENDINGS = {"el": (("ος", ("ου", "ο", "ε")), ("ης", ("η",)), ("ας", ("α",)), ("ο", ("ου",)),
                         ("αδα", ("αδας", "αδος")), ("α", ("ας",)), ("η", ("ης",)),  # Ελλάδος, learned
                         ("ες", ("ων",)))}  # plurals: Ηνωμένες Πολιτείες, των Ηνωμένων Πολιτειών
# In these languages a name's inflected form keeps its letters up to a final vowel, whose place the
# ending takes, but for the consonant before it, which some endings change (Polska: Polsce, Praha:
# Praze, Egipt: Egipcie, Keňa: Keni; a Hungarian final a or e lengthens: Ukrajnában). A word that
# Snowball stems alike but does not keep them is another word: Dania (Denmark) and "danych" (of data),
# Kanada and "kanału" (of a channel), Panama and the Czech "pana" (sir), Irak and the Hungarian
# "iránt" (towards), Liberia and the Romanian "liberă" (free).
_KEPT_BASE = frozenset({"pl", "cs", "sk", "hu", "ro", "fi", "lt", "hr", "sr", "bs"})
# A foreign name in -i or -u does not decline there (v Mali, z Peru, Peru in every Lithuanian case), and
# a short one's base is the stem of common words: the Czech and Slovak "malý" (small) and "mal" (had).
_INDECLINABLE = frozenset({"pl", "cs", "sk", "lt", "hr", "sr", "bs"})
_FLEETING_A = frozenset({"hr", "sr", "bs"})  # see _fleeting
_PREFIX = 3  # letters of a name's or a trigger's first word that its forms keep, there: its index key
_LONG_KEY = 7  # letters of a word whose forms keep one letter more
# Finnish keeps the whole name before an ending but for consonant gradation before its last vowel
# (Kreikka: Kreikan, Itävalta: Itävallan, Irlanti: Irlannin) and a final i that turns e (Suomi:
# Suomen): Malli (a model) and "oma" (own) are no forms of Malta and Oman.
_GRADATION = (("kk", "k"), ("pp", "p"), ("tt", "t"), ("nt", "nn"), ("lt", "ll"), ("rt", "rr"), ("nk", "ng"),
              ("mp", "mm"), ("ht", "hd"), ("t", "d"), ("p", "v"))
# Polish case endings on a name's base, and on its base changed before -e, -ie or the old locative
# plural's -ech (Polsce, Kanadzie, Egipcie, w Niemczech, we Włoszech), for the forms Snowball does not
# stem to the name's stem (Syrii: syri, Syria: syr; niemczech is left whole).
_CASE_ENDINGS = {"pl": (frozenset({"y", "i", "ę", "ą", "u", "em", "owi", "ach", "ami", "om", "ów"}),
                        frozenset({"e", "ie", "i", "ech"})),
                 "ro": (frozenset({"ei", "ul", "ului", "uri", "urilor"}), frozenset()),  # Rusiei, Irakului
                 # a Czech or Slovak soft consonant loses its caron before i, e or ě (Keňa: v Keni);
                 # Czech's stemmer also stems Slovak, but for its instrumental: s Putinom
                 "cs": (frozenset(), frozenset({"i", "e", "ě"})),
                 "sk": (frozenset({"om"}), frozenset({"i", "e"})),
                 # Croatian, Serbian and Bosnian, in either alphabet: Rusije, Rusiji, Japanu, Hrvatskoj;
                 # k, g and h turn c, z and s before the dative's i (Amerika: u Americi)
                 **dict.fromkeys(("hr", "sr", "bs"), (
                     frozenset({"a", "e", "i", "u", "o", "om", "em", "oj", "ama", "ima",
                                "а", "е", "и", "у", "о", "ом", "ем", "ој", "ама", "има"}),
                     frozenset({"i", "и"})))}
# Polish soft consonants, spelt with an i before a vowel (Poznań: Poznania), which the ending -i merges with
_SPELT_SOFT = {"pl": "ńśźć"}
# Endings a word of a name takes where it ends so: a Czech name in -ea (Korea: v Koreji), a Slovak
# feminine adjective (Južná Kórea: v Južnej Kórei)
_ENDINGS_OF = {"cs": (("ea", frozenset({"je", "ji"})),), "sk": (("á", frozenset({"ej", "ú", "ou"})),)}
_FINAL_VOWELS = {"pl": "aeiouyąę", "cs": "aeiouyáéíóúůýě", "sk": "aeiouyáéíóúýäô", "hu": "ae", "ro": "aăe",
                 **dict.fromkeys(("hr", "sr", "bs"), "aeiouаеиоу")}
# Lithuanian nominative endings, longest first (Kaunas: Kauno, Vilnius: Vilniaus, Nyderlandai: Nyderlandų)
_NOMINATIVE = {"lt": ("iai", "ai", "ės", "os", "as", "is", "ys", "us", "a", "ė", "e", "i", "o", "u")}
_LENGTHENED = {"hu": {"a": "á", "e": "é"}}
_COMMA_BELOW = str.maketrans("şţ", "șț")  # Romanian's letters, often written with a cedilla instead
_BASE_CHANGES: dict[str, tuple[tuple[str, str], ...]] = {
    "pl": (("k", "c"), ("g", "dz"), ("g", "z"), ("h", "z"), ("ch", "sz"), ("r", "rz"), ("t", "c"),
           ("d", "dz"), ("st", "ść"), ("szt", "szc"), ("sł", "śl"), ("zd", "źdz"), ("ń", "ni"), ("ś", "si"),
           ("ź", "zi"), ("ć", "ci"), ("c", "cz")),
    "cs": (("h", "z"), ("g", "z"), ("k", "c"), ("ch", "š"), ("r", "ř"), ("ň", "n"), ("ť", "t"), ("ď", "d"),
           ("ec", "c"), ("ek", "k"), ("eň", "n")),
    "sk": (("h", "z"), ("k", "c"), ("ch", "š"), ("ň", "n"), ("ť", "t"), ("ď", "d"), ("ec", "c"), ("ok", "k")),
    **dict.fromkeys(("hr", "sr", "bs"),
                    (("k", "c"), ("g", "z"), ("h", "s"), ("к", "ц"), ("г", "з"), ("х", "с"))),
}
# the changes of one letter for another, which can change a form's index key (see `token_keys`)
_LETTER_CHANGES = {language: tuple((hard, soft) for hard, soft in changes if len(hard) == len(soft) == 1)
                   for language, changes in _BASE_CHANGES.items()}
_VOWEL_GENITIVE = frozenset({"et"})
# German place names in -en make their adjective without it (München: Münchner, Bremen: Bremer).
_DEMONYMS = {"de": ("ner", "er")}
# Polish ó opens to o before an ending (Kraków: Krakowa, w Krakowie), which Snowball's stems keep apart.
_OPENED = frozenset({"pl"})
# Polish names in the plural (Niemcy, Węgry, Włochy): the genitive puts e before the stem's last
# consonant (Niemiec, Węgier); their old locative in -ech is a case ending on the softened base.
_PLURAL_NAMES = frozenset({"pl"})
_PLURAL_ENDINGS = ("y", "i")
# Latvian declensions by the nominative's ending, longest first: the singular and plural case endings
# (nominative, genitive, dative, accusative, locative) on the stem. A name ending in another vowel
# (Oslo, Tokio) does not decline.
# Slovenian case endings by a name's last letter ("": a consonant), for the names the dictionary lacks
_SLOVENIAN = {"": frozenset({"a", "u", "om", "em"}), "a": frozenset({"e", "i", "o"}),
              "o": frozenset({"a", "u", "om"}), "i": frozenset({"ja", "ju", "jem"}),
              "u": frozenset({"ja", "ju", "jem"}), "e": frozenset()}
_SLOVENIAN_ENDINGS = frozenset().union(*_SLOVENIAN.values())
# the Bulgarian definite article after a word's last letter (a consonant's: ът, а; й's: ят, я)
_BULGARIAN_ARTICLES = {"а": ("та",), "я": ("та",), "о": ("то",), "е": ("то",), "и": ("те",), "у": ("то",),
                       "ю": ("то",)}
_LATVIAN = (
    # a definite adjective of a name: Amerikas Savienotās Valstis, Apvienotā Karaliste, Apvienotie Emirāti
    ("ās", frozenset({"ās", "o", "ajām", "ajās"})), ("ā", frozenset({"ā", "ās", "ajai", "o", "ajā"})),
    ("ie", frozenset({"ie", "o", "ajiem", "os", "ajos"})),
    ("is", frozenset({"is", "a", "im", "i", "ī", "iem", "us", "os",  # Kārlis (the 2nd declension)
                      "īm", "īs"})),  # a plural of the 6th: Valstis, Valstīs
    ("us", frozenset({"us", "um", "u", "ū", "i", "iem", "os"})),  # the 3rd
    ("s", frozenset({"s", "a", "am", "u", "ā", "i", "iem", "us", "os"})),  # Trumps, Makrons (the 1st)
    ("š", frozenset({"š", "a", "am", "u", "ā", "i", "iem", "us", "os"})),
    ("a", frozenset({"a", "as", "ai", "u", "ā", "ām", "ās"})),  # Rīga, Aska (the 4th)
    ("e", frozenset({"e", "es", "ei", "i", "ē", "ēm", "ēs"})),  # Berne (the 5th)
)
_FOREIGN = frozenset({"s", "a", "am", "u", "ā"})  # a foreign name ending in a consonant, in the 1st
_VOWELS = frozenset("aeiouyāēīūăâîαεηιουω")
_CYRILLIC = re.compile("[\u0400-\u04ff]")

_lock = threading.Lock()  # PyStemmer's stemmers and pymorphy3's analysers are not thread-safe


@cache
def _stemmer(language: str) -> Any:
    return Stemmer.Stemmer(_SNOWBALL[language])


@cache
def _morphology(language: str) -> Any:
    import pymorphy3  # noqa: PLC0415 - its dictionaries load only for the articles that need them

    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    with _lock:
        return str(_stemmer(language).stemWord(word))


@lru_cache(maxsize=200_000)
def _lemmas(language: str, token: str) -> frozenset[str]:
    if language in _MORPHOLOGY:
        with _lock:
            return frozenset(p.normal_form for p in _morphology(language).parse(token))
    return frozenset({simplemma.lemmatize(token, lang=language).lower()})


Form = tuple[str, str | None, str | None]  # a Russian or Ukrainian word's lemma, number and gender


@lru_cache(maxsize=200_000)
def _forms(language: str, token: str, nominative: bool = False) -> frozenset[Form]:
    """What `token` may be (in Russian or Ukrainian): each lemma with the number and gender the token has
    as a form of it; only as a nominative with `nominative`, which is what an alias's word is (штаты: штат
    in the plural, Набиуллина: набиуллин in the feminine)."""
    with _lock:
        parses = _morphology(language).parse(token)
    return frozenset((p.normal_form, p.tag.number, p.tag.gender) for p in parses
                     if not nominative or "nomn" in p.tag)


@lru_cache(maxsize=200_000)
def inflects(language: str, token: str, word: str, name: bool = True) -> bool:
    """Whether `token` (lower-cased, as written) is an inflected form of `word` in `language`; `name`
    for an entity's alias, which in German and the Nordic languages only takes endings."""
    if name and language in _ENDINGS:
        return len(word) > _SHORT and (token.startswith(word) and token[len(word):] in _ENDINGS[language]
                                       or _demonym(language, token, word))
    if language in _MORPHOLOGY:
        return word in _lemmas(language, token) or not _forms(language, word, True).isdisjoint(
            _forms(language, token))
    if language in _LEMMAS:
        lemmas = _lemmas(language, token)
        if language == "lv":  # a Latvian name goes by its declension (_LATVIAN), not the dictionary's words
            return word in lemmas or name and _declined(token, word)
        # a name's adjective is no lemma: Južna, Združene (južen, združen); a short word's, or one unlike
        # it, is another word's (Mali, the country, and mali, small: majhen)
        own = {lemma for lemma in _lemmas(language, word)
               if len(word) > _MIN_STEM and lemma.startswith(word[:-2])}
        return word in lemmas or not lemmas.isdisjoint(own) or name and (
            language == "bg" and _with_article(token, word) or language == "sl" and _slovenian(token, word))
    if len(word) <= _SHORT:
        return False
    if name and language in _E_STEMS and (decided := _finnish_name(token, word)) is not None:
        return decided
    if token.startswith(word) and (token[len(word):] in _APPENDED.get(language, ()) or (
            language in _E_STEMS and word[-1] in _FINNISH_VOWELS and token[len(word):] in (
                word[-1] + "n", "a", "ä"))):
        return True  # Finnish: Italiaan, the illative, lengthens the last vowel; Ruotsia, the partitive
    if name and language in _GREEK_ENDINGS:
        return _greek(token, word)
    if name and language in _E_STEMS and any(token.startswith(b) and token[len(b):] in _APPENDED[language]
                                              for b in _bases(language, word) if b != word):
        return True  # Itävallan, Irlannissa, Suomen: a weak grade, or an e, before the ending
    return _stemmed(language, token, word, name)


def _finnish_name(token: str, word: str) -> bool | None:
    """Whether `token` is a form of the Finnish name `word`, by the rules that decide it alone: a foreign
    name in a consonant, a word in -nen (Valtonen: Valtosen, Valtosta, Valtoselle), a plural; None where
    the general rules decide."""
    if _foreign_consonant(word):
        return token.startswith(word + "i") and token[len(word) + 1:] in _APPENDED["fi"] | _PARTITIVE
    if word.endswith("nen"):
        return token.startswith(word[:-3] + "s") and token[len(word) - 2:] in _NEN_ENDINGS
    return True if _finnish_plural(token, word) else None


def _foreign_consonant(word: str) -> bool:
    """Whether the Finnish name `word` ends in a consonant that takes an i before every ending (Oman:
    Omanin, Omanissa, Omania; Trump: Trumpin), unlike Finnish words in -s, -t or -nen (Kypros:
    Kyproksen, Alankomaat: Alankomaiden, Virtanen: Virtasen): the stems missed Iranissa and Jemenissä,
    and took "omana" (as one's own) for a form of Oman."""
    return word[-1] not in _FINNISH_VOWELS and word[-1] not in "st" and not word.endswith("nen")


def _finnish_plural(token: str, word: str) -> bool:
    """Whether `token` is a case of the Finnish plural name `word` (Yhdysvallat: Yhdysvaltain,
    Yhdysvalloissa; Alankomaat: Alankomaiden; Filippiinit: Filippiineillä), which the stems missed: the
    plural's vowel takes the place of the one before the final t, on the stem in either grade. Not its
    demonym (yhdysvaltalainen, American)."""
    stem = word[:-2]
    if not (word.endswith("t") and word[-2] in _FINNISH_VOWELS and len(stem) >= _LONG_KEY - 1):
        return False
    stems = {stem} | {stem[:-len(weak)] + strong for strong, weak in _GRADATION if stem.endswith(weak)}
    return any(token.startswith(s) and token[len(s):len(s) + 1] in _PLURAL_VOWELS
               and not token[len(s) + 1:].startswith(("lai", "läi")) for s in stems)


def _stemmed(language: str, token: str, word: str, name: bool) -> bool:
    """`inflects` by the language's Snowball stemmer: the token's stem is the alias's, or is it as the
    language changes it, and keeps what a name's form keeps (`_KEPT_BASE`)."""
    alias, found = _stem(language, word), _stem(language, token)
    changed = _stem_change(language, word, alias, found)
    if name and language in _KEPT_BASE and not _keeps_base(language, token, word) and not (
            language in _PLURAL_NAMES and changed):
        return False  # see _KEPT_BASE; Niemiec, the genitive of Niemcy, puts an e into it
    if name and language in _CASE_ENDINGS and _case_form(language, token, word):
        return True
    if alias == found or changed or found == word:  # or the stemmer took a suffix off the name as written
        return True  # (budapesten: budapest; macrono: macron, whose own stem it cut to macr)
    if len(alias) <= _MIN_STEM:
        return False
    if len(found) == len(alias) and language in _ALTERNATING and alias != word:
        return found[:-1] == alias[:-1]  # the last letter alternates: polsk/polsc, helsink/helsing
    # the stemmer cut one vowel less off the token: albani(i), ucraine(i), kreika(n)
    return name and len(found) == len(alias) + 1 and found.startswith(alias) and found[-1] in _VOWELS and (
        word[-1] in _VOWELS and len(token) >= len(word))


def _keeps_base(language: str, token: str, word: str) -> bool:
    """Whether `token` keeps what a form of the name `word` keeps (`_KEPT_BASE`) and adds an ending to it:
    the base bare of the nominative's ending is no form ("asi", perhaps, is not Asie; "per" not Peru;
    "gan", enough, not Gana; "liberi", free, not Liberia), and a short name in -i or -u keeps it whole
    (`_INDECLINABLE`)."""
    token, word = token.translate(_COMMA_BELOW), word.translate(_COMMA_BELOW)
    if not token.startswith(_bases(language, word)) or token == _base(language, word) != word and not (
            language in _PLURAL_NAMES and word.endswith(_PLURAL_ENDINGS)):
        return False  # but a plural name's genitive is its bare base: z Chin, z Włoch
    return not (language in _INDECLINABLE and word[-1] in "iuиу" and len(word) <= _SHORT + 1
                and not token.startswith(word))


@lru_cache(maxsize=20_000)
def _bases(language: str, word: str) -> tuple[str, ...]:
    """What an inflected form of the name `word` starts with in `language` (see `_KEPT_BASE`): the name
    but for a final vowel, its last consonants as some endings change them, a Hungarian vowel lengthened,
    a Polish ó opened, a Croatian fleeting a left out."""
    if language in _E_STEMS:
        stem, vowel = (word[:-1], word[-1]) if word[-1] in _FINNISH_VOWELS else (word, "")
        finnish = {word} | {stem[:-len(strong)] + weak + vowel for strong, weak in _GRADATION
                            if vowel and stem.endswith(strong)}
        return tuple(sorted(finnish | ({stem + "e"} if vowel == "i" else set())))
    base = _base(language, word)
    bases = {base}
    if (lengthened := _LENGTHENED.get(language, {}).get(word[-1])) is not None:
        bases = {word[:-1] + lengthened}
    bases.update(base[:-len(hard)] + soft for hard, soft in _BASE_CHANGES.get(language, ())
                 if base.endswith(hard))
    if language in _OPENED and "ó" in base:
        bases.update(_swap_last(b, "ó", "o") for b in list(bases))
    if language in _FLEETING_A:
        bases.add(_fleeting(language, word))
    return tuple(sorted(bases))


def _fleeting(language: str, word: str) -> str:
    """The name `word` without the a that leaves a Croatian, Serbian or Bosnian name's last syllable
    before an ending (Egipat: Egipta, Zadar: Zadra); its `_base` where there is none."""
    if language in _FLEETING_A and len(word) > _SHORT + 1 and word[-2] in "aа" and word[-1] in "tkcrткцр":
        return word[:-2] + word[-1]
    return _base(language, word)


def _greek(token: str, word: str) -> bool:
    """Whether `token` is the Greek name `word` in another case (see `_GREEK_ENDINGS`)."""
    token, word = _unaccented(token), _unaccented(word)
    nominative, endings = next(((n, e) for n, e in _GREEK_ENDINGS["el"] if word.endswith(n)), ("", ()))
    return any(token == word[:len(word) - len(nominative)] + ending for ending in endings)


def _unaccented(text: str) -> str:
    """A Greek word without its accents, with a final sigma as one (ς) however it was written."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare[:-1] + "ς" if bare.endswith("σ") else bare


def _base(language: str, word: str) -> str:
    """The name `word` less the ending of its nominative: a final vowel, a Lithuanian -as or -is."""
    ending = next((e for e in _NOMINATIVE.get(language, ()) if word.endswith(e)), None)
    if ending is not None:
        return word[:-len(ending)]
    return word[:-1] if word[-1] in _FINAL_VOWELS.get(language, "") else word


def _case_form(language: str, token: str, word: str) -> bool:
    """Whether `token` is a base of the name `word` with a case ending (`_CASE_ENDINGS`, `_ENDINGS_OF`); the
    i that spells a Polish soft consonant before a vowel is the ending -i itself (Łódź: w Łodzi)."""
    plain, changed = _CASE_ENDINGS[language]
    token, word = token.translate(_COMMA_BELOW), word.translate(_COMMA_BELOW)
    base, fleeting = _base(language, word), _fleeting(language, word)
    soft = word[-1] in _SPELT_SOFT.get(language, "")
    if any(word.endswith(end) and token.startswith(base) and token[len(base):] in endings
           for end, endings in _ENDINGS_OF.get(language, ())):
        return True
    return any(token.startswith(b) and (token[len(b):] in (plain if b in (base, fleeting) else changed)
                                        or soft and b != base and b[-1] == "i" and (
                                            token == b or token[len(b):] in plain))
               for b in _bases(language, word))


def _demonym(language: str, token: str, word: str) -> bool:
    return word.endswith("en") and len(word) > 5 and any(token == word[:-2] + s for s in _DEMONYMS.get(
        language, ()))


def _stem_change(language: str, word: str, alias: str, found: str) -> bool:
    """Whether the token's stem `found` is the alias's (`word`, stemmed `alias`) as the language changes
    it before a case ending: `_SOFTENED`, `_E_STEMS`, `_VOWEL_GENITIVE`, `_OPENED`, `_PLURAL_NAMES`."""
    if language in _OPENED and "ó" in word and found == _swap_last(word, "ó", "o"):
        return True
    if language in _PLURAL_NAMES and word.endswith(_PLURAL_ENDINGS) and alias == word[:-1] and found in (
            alias[:-1] + "ie" + alias[-1], alias[:-1] + "e" + alias[-1]):
        return True  # Niemiec, Węgier
    softened = _SOFTENED.get(language, {}).get(alias[-1], ())
    if softened and found[:len(alias) - 1] == alias[:-1] and found[len(alias) - 1:] in softened:
        return True
    if language in _E_STEMS and word.endswith("i"):
        return found == word[:-1] + "e"
    return (language in _VOWEL_GENITIVE and word[-1] not in _VOWELS and len(found) == len(word) + 1
            and found.startswith(word) and found[-1] in _VOWELS)


def _swap_last(word: str, letter: str, by: str) -> str:
    at = word.rfind(letter)
    return word[:at] + by + word[at + 1:]


def _declined(token: str, word: str) -> bool:
    """Whether `token` is the Latvian name `word` (both lower-cased) with a case ending of its declension."""
    stem, endings = _declension(word)
    if not (len(stem) >= _SHORT and token.startswith(stem) and token[len(stem):] in endings):
        return False
    # a short stem's form that the dictionary knows is that word: agrā ("early") is not Agra's
    return len(stem) >= _MIN_STEM or not simplemma.is_known(token, lang="lv")


def _with_article(token: str, word: str) -> bool:
    """Whether `token` is the Bulgarian word `word` (both lower-cased) with the definite article the
    language puts after it: Иракът, Ирака; Китаят, Китая; Кореята; Съединените."""
    if word[-1] == "й":
        return token in (word[:-1] + "ят", word[:-1] + "я")
    article = _BULGARIAN_ARTICLES.get(word[-1], ("ът", "а"))  # a consonant: the full and the short article
    return token in tuple(word + a for a in article)


def _slovenian(token: str, word: str) -> bool:
    """Whether `token` is the Slovenian name `word` (both lower-cased), one the dictionary does not know,
    with a case ending: Putina, Putinom; Ljubljani; Kosovu; Malija (a name in -i or -u takes a j)."""
    last = word[-1]
    base = word[:-1] if last in "ao" else word
    endings = _SLOVENIAN.get(last, _SLOVENIAN[""]) if last in _VOWELS else _SLOVENIAN[""]
    return len(base) >= _SHORT and token.startswith(base) and token[len(base):] in endings


def _declension(word: str) -> tuple[str, frozenset[str]]:
    """The stem of the Latvian name `word` (lower-cased) and the case endings it takes (none: Oslo)."""
    nominative, endings = next(((ending, endings) for ending, endings in _LATVIAN if word.endswith(ending)),
                               ("", _FOREIGN if word[-1] not in _VOWELS else frozenset()))
    return word[:len(word) - len(nominative)], endings


_LATVIAN_ENDINGS = frozenset().union(_FOREIGN, *(endings for _, endings in _LATVIAN))


def form_start(word: str) -> str:
    """What every inflected form of `word` (folded) starts with, in any language: all but its last two
    letters, an ending and a softened consonant (Praha: Praze); three where that consonant is "ch"
    (Włochy: we Włoszech) or the word a Finnish one in -nen (Valtonen: Valtosen); four in a Finnish
    plural, whose stem changes grade before its vowel and t (Yhdysvallat: Yhdysvaltain)."""
    plural = word.endswith("t") and word[-2:-1] in _FINNISH_VOWELS
    cut = 2 + (word[:-1].endswith("ch") or word.endswith("nen")) + 2 * plural
    return word[:max(2, len(word) - cut)]


def token_keys(language: str, token: str) -> tuple[set[str], set[str]]:
    """What `token` (lower-cased, as written) may be a form of, in an article of `language`: words, and
    `stem_key`s of words.

    `inflects(language, token, word)` holds only if `word` is one of the words (the token less a
    Germanic ending, one of its lemmas, its Snowball stem: Budapesten, budapest) or its `stem_key` one
    of the keys (the token's Snowball stem less its last letter, which takes in stems that alternate
    there, less two where it ends in a vowel; the token less a Latvian case ending; a German adjective's
    place in -en; in Russian, Ukrainian and the other languages of `_LEMMAS`, the lemmas of the token;
    in the languages of `_KEPT_BASE`, the token's first letters)."""
    words = {token[:-len(ending)] for ending in _ENDINGS.get(language, ()) if token.endswith(ending)}
    words.update(token[:-len(s)] + "en" for s in _DEMONYMS.get(language, ()) if token.endswith(s))
    if language in _MORPHOLOGY:
        words.update(_lemmas(language, token))
        return words, {lemma for lemma, _, _ in _forms(language, token)}
    if language in _LEMMAS:
        words.update(_lemmas(language, token))
        if language == "bg":  # the word without its article (_with_article)
            words.update({token[:-2], token[:-1], token[:-2] + "й", token[:-1] + "й"})
        if language == "sl":  # the name without its ending (_slovenian)
            words.update(base + vowel for ending in _SLOVENIAN_ENDINGS if token.endswith(ending)
                         for base in (token[:-len(ending)],) for vowel in ("", "a", "o"))
        keys = {token[:-len(ending)] for ending in _LATVIAN_ENDINGS if token.endswith(ending)} if (
            language == "lv") else set(_lemmas(language, token))
        return words, keys
    if language in _KEPT_BASE:  # a form keeps a name's first letters (see _KEPT_BASE), a trigger's too
        keys = {token[:_PREFIX], token[:_PREFIX + 1]}
        # ... but for a last one some endings change: Keni's key is also Keňa's
        keys.update(key[:-1] + hard for key in list(keys) for hard, soft in _LETTER_CHANGES.get(language, ())
                    if key.endswith(soft))
        if language in _OPENED:  # and a Polish ó opens there in a short name: Łodzi's key is also Łódź's
            keys.update(_swap_last(key, "o", "ó") for key in list(keys) if "o" in key)
        return words, keys
    found = _stem(language, token)
    words.add(found)
    keys = {found[:-1]}
    if found[-1:] in _VOWELS:
        keys.add(found[:-2])  # ουκρανι: ουκραν's key, ουκρα
    if language in _VOWEL_GENITIVE and found[-1:] in _VOWELS:
        words.add(found[:-1])  # Tallinna: Tallinn
    words.update(token[:-len(ending)] for ending in _APPENDED.get(language, ()) if token.endswith(ending))
    return words, keys


def stem_keys(language: str, words: Iterable[str]) -> dict[str, str]:
    """The key of each alias word (lower-cased, as written) that the stem rule of `language` applies to:
    Snowball's stem less its last letter, of words of four letters or more (their first letters in the
    languages of `_KEPT_BASE`); the stem of a Latvian name's declension, if it declines; in Russian and
    Ukrainian, the lemma of a Cyrillic word that is not its own; in the other languages of `_LEMMAS`,
    the lemma of a word that is not its own. See `token_keys`."""
    if language == "lv":
        return {word: stem for word in words
                for stem, endings in (_declension(word),) if endings and len(stem) >= _SHORT}
    if language in _LEMMAS:  # a word that is not its own lemma (an adjective, a plural), by its lemma
        return {word: min(other) for word in words if (other := _lemmas(language, word) - {word})}
    if language in _KEPT_BASE:  # a longer word changes no more than its last four letters
        return {word: word[:_PREFIX + (len(word) >= _LONG_KEY)] for word in words if len(word) > _SHORT}
    if language in _MORPHOLOGY:  # a Cyrillic word that is not its own lemma, by its lemma
        cyrillic = (word for word in words if not word.isascii() and _CYRILLIC.search(word))
        return {word: min(lemmas) for word in cyrillic
                if (lemmas := {lemma for lemma, _, _ in _forms(language, word, True)} - {word})}
    long = [word for word in words if len(word) > _SHORT]
    with _lock:
        stems = _stemmer(language).stemWords(long)
    return {word: str(stem)[:-1] for word, stem in zip(long, stems, strict=True)}


def stem_rule(language: str) -> tuple[str, bool]:
    """The stem rule of `language` (`stem_keys`), named alike for the languages that share it, and
    whether names go by it (or only triggers)."""
    return _SNOWBALL.get(language, language), language in NAME_RULES and language not in _ENDINGS
