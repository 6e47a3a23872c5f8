"""Names and triggers in their inflected forms, in articles of a language that inflects them.

"Москва" is "в Москве", "München" is "Münchens", "Polska" is "w Polsce", the
German trigger "Angriff" is "Angriffe". The folded-exact match stays the first
rule (the main automaton); this is a second, smaller automaton that only
articles of an inflecting language walk, so English pays nothing for it.

Its keys are the start of an alias's first word, all but its last two letters
(at least two): " москв" for Москва, " pols" for Polska, " helsin" for
Helsinki, since case endings and the stem alternations they bring (Polsce,
Helsingissä, Praze, Києві) sit at a word's end. A hit is only a candidate
(a key's aliases are grouped by language and by the first two letters of
their second word, so a given name shared by many people costs little):
each word of the alias is compared with the text's token there, as written,
by the article language's rules:

- Russian and Ukrainian: pymorphy3, with its dictionaries and its guesses for
  names it does not know (Зеленского): the alias, as configured, must be a
  lemma of the token. "Иран" is not a form of "Ира", which the Snowball
  stemmer would accept (both stem to "ира");
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

An alias of three letters or fewer inflects only by lemma (Russian, Ukrainian
and the simplemma languages): a stem of "Ira" or "Rom" is a prefix of too many
words ("Iran", "Roman"). Names inflect in the languages of `NAME_RULES`;
triggers also in those where only common nouns and verbs inflect (French
"attaques", Spanish "ataques"), since a stemmer there would make "France" of
"français". An article of unknown language gets no inflection: a stemmer of
the wrong language only adds false matches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import ahocorasick
import simplemma
import Stemmer

from worker.folding import Folded, case_key, phrase_key
from worker.match.automaton import Hit, Hits, Kind, Target
from worker.match.languages import agree, distinguished
from worker.match.scripts import script

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
NAME_RULES = frozenset(_MORPHOLOGY | _LEMMAS | (set(_SNOWBALL) - {"fr", "es", "pt", "it", "nl", "ca"}))
TRIGGER_RULES = frozenset(NAME_RULES | set(_SNOWBALL))
_SHORT = 3  # letters; an alias this short inflects by lemma only
# Languages where a name keeps its letters and takes an ending: the genitive, an adjective's case.
_GERMANIC = frozenset({"s", "es", "ns", "n", "en", "ens", "e", "er", "em"})
_ENDINGS = {"de": _GERMANIC, "sv": frozenset({"s"}), "da": frozenset({"s"}), "no": frozenset({"s"}),
            "nb": frozenset({"s"}), "nn": frozenset({"s"})}
# How much shorter or longer than its alias an inflected word can be: Praha/Praze, Helsinki/Helsingissä,
# Magyarország/Magyarországról, Venäjä/Venäjältäkin.
_SHORTER, _LONGER = 2, 5
# Where a case ending changes the stem's last consonant: Polsce, Praze, Helsingissä, Tartus.
_ALTERNATING = frozenset({"pl", "cs", "sk", "fi", "et", "hr", "bs", "sr"})
_MIN_STEM = 4  # letters; stems this short must be equal
# Latvian declensions by the nominative's ending, longest first: the singular and plural case endings
# (nominative, genitive, dative, accusative, locative) on the stem. A name ending in another vowel
# (Oslo, Tokio) does not decline.
_LATVIAN = (
    ("is", frozenset({"is", "a", "im", "i", "ī", "iem", "us", "os"})),  # Kārlis (the 2nd declension)
    ("us", frozenset({"us", "um", "u", "ū", "i", "iem", "os"})),  # the 3rd
    ("s", frozenset({"s", "a", "am", "u", "ā", "i", "iem", "us", "os"})),  # Trumps, Makrons (the 1st)
    ("š", frozenset({"š", "a", "am", "u", "ā", "i", "iem", "us", "os"})),
    ("a", frozenset({"a", "as", "ai", "u", "ā", "ām", "ās"})),  # Rīga, Aska (the 4th)
    ("e", frozenset({"e", "es", "ei", "i", "ē", "ēm", "ēs"})),  # Berne (the 5th)
)
_FOREIGN = frozenset({"s", "a", "am", "u", "ā"})  # a foreign name ending in a consonant, in the 1st
_VOWELS = frozenset("aeiouyāēīū")

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


@lru_cache(maxsize=200_000)
def inflects(language: str, token: str, word: str, name: bool = True) -> bool:
    """Whether `token` (lower-cased, as written) is an inflected form of `word` in `language`; `name`
    for an entity's alias, which in German and the Nordic languages only takes endings."""
    if name and language in _ENDINGS:
        return len(word) > _SHORT and token.startswith(word) and token[len(word):] in _ENDINGS[language]
    if language in _MORPHOLOGY or language in _LEMMAS:
        return word in _lemmas(language, token) or (name and language == "lv" and _declined(token, word))
    if len(word) <= _SHORT:
        return False
    alias, found = _stem(language, word), _stem(language, token)
    if alias == found:
        return True
    if len(alias) <= _MIN_STEM:
        return False
    if len(found) == len(alias) and language in _ALTERNATING and alias != word:
        return found[:-1] == alias[:-1]  # the last letter alternates: polsk/polsc, helsink/helsing
    return found == word  # the stemmer took a suffix off the name as written: budapesten/budapest


def _declined(token: str, word: str) -> bool:
    """Whether `token` is the Latvian name `word` (both lower-cased) with a case ending of its declension."""
    nominative, endings = next(((ending, endings) for ending, endings in _LATVIAN if word.endswith(ending)),
                               ("", _FOREIGN if word[-1] not in _VOWELS else frozenset()))
    stem = word[:len(word) - len(nominative)]
    if not (len(stem) >= _SHORT and token.startswith(stem) and token[len(stem):] in endings):
        return False
    # a short stem's form that the dictionary knows is that word: agrā ("early") is not Agra's
    return len(stem) >= _MIN_STEM or not simplemma.is_known(token, lang="lv")


# A key's candidates: the alias as configured, its folded words, and what it stands for.
_Candidate = tuple[str, tuple[str, ...], Target]


class Inflections:
    """The second automaton, over the starts of inflectable aliases and triggers; see the module."""

    def __init__(self, phrases: Iterable[tuple[str, Target]]) -> None:
        keys: dict[str, dict[tuple[str | None, str], list[_Candidate]]] = {}
        for phrase, target in phrases:
            candidate = _candidate(phrase, target)
            if candidate is not None:
                plain = candidate[1]
                groups = keys.setdefault(" " + plain[0][:max(2, len(plain[0]) - 2)], {})
                following = plain[1][:2] if len(plain) > 1 else ""
                for language in target.languages or (None,):
                    groups.setdefault((language, following), []).append(candidate)
        self.size = len(keys)
        self._automaton: Any = None
        if keys:
            self._automaton = ahocorasick.Automaton()
            for key, groups in keys.items():
                grouped = {group: tuple(candidates) for group, candidates in groups.items()}
                self._automaton.add_word(key, (len(key) - 2, grouped))
            self._automaton.make_automaton()

    def scan(self, folded: Folded, language: str | None, hits: Hits) -> None:
        """Add to `hits` the inflected forms in a text of `language`, keeping each list in end order."""
        if self._automaton is None or language not in TRIGGER_RULES:
            return
        names = language in NAME_RULES
        rule = f"{LANGUAGE_NAMES[language]} inflection"
        added = set()
        text = folded.text
        for last, (back, groups) in self._automaton.iter(text):
            start = last - back
            size = text.find(" ", start) - start  # the first token's length rules out most candidates
            following = text[start + size + 1:start + size + 3]
            first = ""  # that token as written, lower-cased, once a candidate needs it
            for phrase, plain, target in _candidates(groups, language, following):
                if not (len(plain[0]) - _SHORTER <= size <= len(plain[0]) + _LONGER) or (
                        target.kind is not Kind.TRIGGER and not names):
                    continue
                first = first or _as_written(folded, start, start + size)
                name = target.kind is not Kind.TRIGGER
                end = _inflected(folded, start, first, phrase, plain, language, name)
                if end:
                    hits[target.kind].append(Hit(start, end, target, rule))
                    added.add(target.kind)
        for kind in added:
            hits[kind].sort(key=_end)


_Groups = dict[tuple[str | None, str], tuple[_Candidate, ...]]
_NONE: tuple[_Candidate, ...] = ()


def _candidates(groups: _Groups, language: str, following: str) -> tuple[_Candidate, ...]:
    """A key's candidates for an article in `language`, where the next token starts with `following`.

    A key holds, say, every person with one given name: grouped by language and by the first two
    letters of their second word, only those that can match are looked at."""
    get = groups.get
    alone = get((None, ""), _NONE) + get((language, ""), _NONE)
    if not following:  # the text's last token: the one-word candidates only, once
        return alone
    return alone + get((None, following), _NONE) + get((language, following), _NONE)


def _end(hit: Hit) -> int:
    return hit.end


def _candidate(phrase: str, target: Target) -> _Candidate | None:
    """The phrase and its folded words, or None when it does not inflect here."""
    if target.cased is not None or target.kind is Kind.KEYWORD:
        return None
    plain = tuple(phrase_key(phrase).split())
    if not plain or (not phrase.isascii() and any(script(word[0]) or script(word[-1]) for word in plain)):
        return None  # unspaced scripts, Korean, Arabic and Hebrew have their own rules
    return phrase, plain, target


@lru_cache(maxsize=100_000)
def _written(phrase: str) -> tuple[str, ...]:
    """A phrase's words as written, lower-cased: what stemmers and lemmatisers read."""
    return tuple(case_key(phrase).lower().split())


def _as_written(folded: Folded, start: int, end: int) -> str:
    """The token at `[start, end)` of the folded text, as the original writes it, lower-cased."""
    first, last = folded.original_span(start, end)
    return folded.original[first:last].lower()


def _inflected(folded: Folded, start: int, first: str, phrase: str, plain: tuple[str, ...],
               language: str, name: bool) -> int:
    """The end of the inflected phrase starting at `start` (whose first token is `first` as written),
    or 0 when the tokens there are not one."""
    text = folded.text
    written = _written(phrase)
    if len(written) != len(plain):
        return 0
    letters = distinguished(language)
    position, exact = start, True
    for number, word in enumerate(plain):
        if number:
            position += 1  # the words of a phrase stand one space or punctuation mark apart
            if position == len(text) or text[position] == " ":  # the text ends, or two marks stand there
                return 0
        end = text.find(" ", position)
        if end <= position:
            return 0
        if text[position:end] != word or letters is not None:
            token = _as_written(folded, position, end) if number else first
            # a token that folds to the word but differs in a letter of the language is no exact
            # match (`worker.match.languages`), and may be an inflected form: Latvian Askā of Aska
            if text[position:end] != word or not agree(token, written[number], letters or frozenset()):
                if not inflects(language, token, written[number], name):
                    return 0
                exact = False
        position = end
    return 0 if exact else position

