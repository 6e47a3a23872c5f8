"""Names and triggers in their inflected forms, by the article's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.match.conftest import small_config
from worker.match.inflection import inflects, stem_keys, token_keys
from worker.match.matcher import Matcher
from worker.records import Article


def article(text: str, language: str | None) -> Article:
    return Article(id="test", feed_id="test", url="https://example.test/a", link="https://example.test/a",
                   title="", text=text, source="page", first_seen=datetime.now(UTC), language=language)


def found(alias: str, text: str, language: str | None) -> list[tuple[str, str | None]]:
    """(words as written, rule) of each mention of `alias` in `text`."""
    matcher = Matcher.build(small_config([{"id": "x", "name": alias}]))
    result = matcher.match(article(text, language))
    return [(m.text, m.rule) for e in result.entities for m in e.mentions]


@pytest.mark.parametrize(("language", "alias", "text", "form"), [
    ("de", "Deutschland", "Die Wirtschaft Deutschlands wächst.", "Deutschlands"),
    ("de", "München", "Die Sicherheitskonferenz Münchens beginnt.", "Münchens"),
    ("de", "Europäische Union", "Die Kommission der Europäischen Union tagte.", "Europäischen Union"),
    ("ru", "Москва", "Переговоры прошли в Москве во вторник.", "Москве"),
    ("ru", "Москва", "Делегация прилетела в Москву утром.", "Москву"),
    ("ru", "Зеленский", "Встреча Зеленского с министрами.", "Зеленского"),
    ("uk", "Київ", "Зустріч відбулася у Києві вчора.", "Києві"),
    # a name written in the plural: each word's plural forms, whatever its lemma
    ("ru", "Соединённые Штаты", "Посол Соединённых Штатов покинул зал.", "Соединённых Штатов"),
    ("ru", "Объединённые Арабские Эмираты", "Самолёт вылетел из Объединённых Арабских Эмиратов.",
     "Объединённых Арабских Эмиратов"),
    ("uk", "Сполучені Штати", "Делегація Сполучених Штатів прибула.", "Сполучених Штатів"),
    # a feminine adjective, whose lemma is the masculine: its forms in the feminine
    ("ru", "Южная Корея", "Посольство Южной Кореи закрыто.", "Южной Кореи"),
    ("uk", "Південна Корея", "Посольство Південної Кореї зачинене.", "Південної Кореї"),
    ("sk", "Južná Kórea", "Veľvyslanec v Južnej Kórei rokoval.", "Južnej Kórei"),
    ("cs", "Jižní Korea", "V Jižní Koreji se konaly volby.", "Jižní Koreji"),
    # where the dictionary's lemma of a name's adjective is the masculine, the lemmas of both are compared
    ("sl", "Združene države", "V Združenih državah so potekale volitve.", "Združenih državah"),
    ("sl", "Južna Koreja", "V Južni Koreji so potekale volitve.", "Južni Koreji"),
    # a Greek plural's genitive; a Latvian definite adjective and a plural of the 6th declension
    ("el", "Ηνωμένες Πολιτείες", "Ο πρέσβης των Ηνωμένων Πολιτειών μίλησε.", "Ηνωμένων Πολιτειών"),
    ("lv", "Amerikas Savienotās Valstis", "Amerikas Savienotajās Valstīs notika sarunas.",
     "Amerikas Savienotajās Valstīs"),
    ("lv", "Apvienotā Karaliste", "Apvienotajā Karalistē notika vēlēšanas.", "Apvienotajā Karalistē"),
    # a person's name: Slovak's instrumental, a Lithuanian form whose stem Snowball cuts shorter than
    # the name's own, Slovenian endings on a name the dictionary lacks
    ("sk", "Putin", "Rokoval s Putinom včera.", "Putinom"),
    ("lt", "Macron", "Macrono ir Putino susitikimas.", "Macrono"),
    ("sl", "Putin", "Srečanje s Putinom je trajalo dve uri.", "Putinom"),
    ("sl", "Ljubljana", "Protest v Ljubljani se je končal.", "Ljubljani"),
    # the Bulgarian definite article, after the name
    ("bg", "Ирак", "Иракът заяви, че ще преговаря.", "Иракът"),
    ("bg", "Китай", "Посланикът на Китая говори.", "Китая"),
    ("bg", "Съединени щати", "В Съединените щати се проведоха избори.", "Съединените щати"),
    # a woman's surname, whose lemma is the man's: its forms in the feminine
    ("ru", "Набиуллина", "Доклад Набиуллиной обсуждали долго.", "Набиуллиной"),
    ("ru", "Мария Захарова", "Брифинг Марии Захаровой перенесли.", "Марии Захаровой"),
    ("uk", "Львів", "Ракети влучили у Львові.", "Львові"),
    ("pl", "Polska", "Wybory w Polsce odbędą się jesienią.", "Polsce"),
    ("pl", "Waszyngton", "Delegacja z Waszyngtonu przyleciała.", "Waszyngtonu"),
    ("cs", "Německo", "Vláda v Německu oznámila změny.", "Německu"),
    ("fi", "Helsinki", "Kokous pidettiin Helsingissä eilen.", "Helsingissä"),
    ("fi", "Venäjä", "Venäjän hallitus kiisti tiedot.", "Venäjän"),
    ("sv", "Sverige", "Sveriges regering meddelade beslutet.", "Sveriges"),
    ("da", "Danmark", "Danmarks statsminister talte.", "Danmarks"),
    ("no", "Norge", "Norges statsminister talte.", "Norges"),
    ("is", "Reykjavík", "Borgarstjóri Reykjavíkur sagði af sér.", "Reykjavíkur"),
    ("hu", "Magyarország", "Magyarországon választásokat tartottak.", "Magyarországon"),
    ("lv", "Latvija", "Latvijas valdība paziņoja.", "Latvijas"),
    ("lt", "Lietuva", "Lietuvos prezidentas kalbėjo.", "Lietuvos"),
    # a case ending softens the stem's last consonant, however short the stem
    ("cs", "Praha", "Jednání se konalo v Praze.", "Praze"),
    ("cs", "Olomouc", "Soud v Olomouci rozhodl.", "Olomouci"),
    ("pl", "Praga", "Rozmowy odbyły się w Pradze.", "Pradze"),
    # Finnish: a native -i name takes -e-, a foreign one keeps its letters; Estonian adds a vowel
    ("fi", "Suomi", "Hallitus kokoontui Suomen pääkaupungissa.", "Suomen"),
    ("fi", "Mali", "Vaalit pidettiin Malissa eilen.", "Malissa"),
    ("fi", "Trump", "Presidentti Trumpin puhe venyi.", "Trumpin"),
    ("et", "Tallinn", "Kohtumine toimus eile Tallinnas.", "Tallinnas"),
    ("et", "Putin", "Läbirääkimised Putini esindajaga.", "Putini"),
    # a German place in -en makes its adjective without it; Polish ó opens to o before an ending
    ("de", "München", "Die Münchner Polizei ermittelt.", "Münchner"),
    ("de", "Bremen", "Der Bremer Senat tagte.", "Bremer"),
    ("pl", "Kraków", "Spotkanie odbyło się w Krakowie.", "Krakowie"),
    # ... in a short name too, whose index key it changes; the i that spells a soft consonant is the -i
    ("pl", "Łódź", "Fabryka w Łodzi zwolniła pracowników.", "Łodzi"),
    ("pl", "Łódź", "Umowę z Łodzią podpisano wczoraj.", "Łodzią"),
    # a case ending on the name's base, which Snowball stems otherwise (Syrii: syri, Syria: syr), on a
    # changed base (Kanadzie, Egipcie), after a weak grade (Itävallan), a lengthened vowel (Italiaan)
    ("pl", "Syria", "Rozmowy o Syrii utknęły.", "Syrii"),
    ("pl", "Kanada", "Wybory w Kanadzie wygrali liberałowie.", "Kanadzie"),
    ("pl", "Egipt", "Upały w Egipcie nie słabną.", "Egipcie"),
    ("ro", "Rusia", "Ambasadorul Rusiei a plecat.", "Rusiei"),
    ("ro", "București", "Primăria Bucureştiului a anunțat lucrări.", "Bucureştiului"),
    ("fi", "Itävalta", "Itävallan hallitus erosi.", "Itävallan"),
    ("fi", "Irlanti", "Vaalit pidettiin Irlannissa eilen.", "Irlannissa"),
    ("fi", "Italia", "Hän muutti Italiaan keväällä.", "Italiaan"),
    ("lt", "Vilnius", "Susitikimas vyko Vilniuje vakar.", "Vilniuje"),
    # Snowball leaves a vowel of the ending on (albani, ucraine, kreika); Greek feminines take -ς
    ("pl", "Hiszpania", "Król Hiszpanii odwiedził Gdańsk.", "Hiszpanii"),
    ("ro", "Ucraina", "Ambasada Ucrainei a transmis un mesaj.", "Ucrainei"),
    ("fi", "Kreikka", "Kreikan hallitus kaatui.", "Kreikan"),
    ("el", "Ουκρανία", "Η πρεσβεία της Ουκρανίας έκλεισε.", "Ουκρανίας"),
    # a Greek name by its nominative's ending, accents aside
    ("el", "Κύπρος", "Η κυβέρνηση της Κύπρου συνεδρίασε.", "Κύπρου"),
    ("el", "Αίγυπτος", "Ο πρόεδρος της Αιγύπτου μίλησε.", "Αιγύπτου"),
    ("el", "Ελλάδα", "Η Τράπεζα της Ελλάδος ανακοίνωσε τα στοιχεία.", "Ελλάδος"),  # the learned genitive
    # a Polish name in the plural: e before the last consonant in the genitive, the old locative in -ech
    ("pl", "Niemcy", "Minister finansów Niemiec odwołał wizytę.", "Niemiec"),
    ("pl", "Niemcy", "Ceny energii w Niemczech spadły.", "Niemczech"),
    ("pl", "Węgry", "Rząd Węgier zablokował decyzję.", "Węgier"),
    ("pl", "Węgry", "Protesty na Węgrzech trwają.", "Węgrzech"),
    ("pl", "Włochy", "Powódź we Włoszech zniszczyła mosty.", "Włoszech"),
    # a plural name's genitive is its bare base; a name in a consonant keeps it
    ("pl", "Chiny", "Eksport z Chin wzrósł w maju.", "Chin"),
    ("pl", "Białoruś", "Granica Białorusi została zamknięta.", "Białorusi"),
    ("cs", "Asie", "Obchod s Asií roste.", "Asií"),
    ("fi", "Iran", "Vaalit pidettiin Iranissa.", "Iranissa"),
    ("lt", "Gana", "Rinkimai Ganoje vyko ramiai.", "Ganoje"),
    ("cs", "Keňa", "Volby v Keni proběhly klidně.", "Keni"),  # a soft consonant's caron goes before i
    # Croatian, Serbian in either alphabet: case endings on the base, k to c before i, a fleeting a
    ("hr", "Rusija", "Sankcije protiv Rusije su produžene.", "Rusije"),
    ("hr", "Amerika", "U Americi su održani izbori.", "Americi"),
    ("hr", "Egipat", "Predsjednik Egipta doputovao je u Zagreb.", "Egipta"),
    ("sr", "Србија", "Влада Србије је донела одлуку.", "Србије"),
    # a Finnish name in a consonant takes an i before its endings
    ("fi", "Oman", "Omanin sulttaani vieraili Helsingissä.", "Omanin"),
    ("fi", "Oman", "Tapaaminen pidettiin Omanissa.", "Omanissa"),
    # a Finnish plural name: the plural's vowel in place of the one before its t, the stem in either grade
    ("fi", "Yhdysvallat", "Yhdysvaltain presidentti puhui.", "Yhdysvaltain"),
    ("fi", "Yhdysvallat", "Vaalit pidettiin Yhdysvalloissa.", "Yhdysvalloissa"),
    ("fi", "Alankomaat", "Alankomaiden hallitus erosi.", "Alankomaiden"),
    # a Finnish name in -nen: -se- before an ending, -s- before the partitive's
    ("fi", "Elina Valtonen", "Ulkoministeri Elina Valtosen mukaan tilanne on vakava.", "Elina Valtosen"),
    ("fi", "Valtonen", "Toimittajat haastattelivat Valtosta eilen.", "Valtosta"),
])
def test_a_name_matches_its_inflected_forms(language: str, alias: str, text: str, form: str) -> None:
    [(words, rule)] = found(alias, text, language)
    assert words == form
    assert rule is not None and rule.endswith("inflection")


def test_a_plural_name_s_word_is_not_its_singular() -> None:
    """"Штаты" is a plural of "штат" (a state): the singular "штата" is another word than the name's."""
    assert found("Соединённые Штаты", "Губернатор соединённого штата выступил.", "ru") == []
    assert found("Штаты", "Губернатор штата выступил.", "ru") == []
    assert found("Штаты", "Выборы в Штатах прошли.", "ru") == [("Штатах", "Russian inflection")]


@pytest.mark.parametrize(("language", "alias", "text"), [
    ("el", "Γεωργία", "Ο Γεώργιος μίλησε πρώτος."),  # George is not Georgia
    ("tr", "Tuvalu", "Toplantıdan sonra tuvalete gitti."),
    ("ro", "Germania", "Un dicționar germano-român nou."),  # shorter than the name: another word
    # Snowball stems these like the name, but they do not keep its letters: another word
    ("pl", "Dania", "Ochrona danych osobowych jest ważna."),  # of data
    ("pl", "Kanada", "Na kanale pojawił się nowy film."),  # on the channel
    ("cs", "Panama", "Pan ministr mluvil s paní ředitelkou."),  # Mr, Mrs
    ("hu", "Irak", "Nagy érdeklődés mutatkozott iránt."),  # towards
    ("hu", "Irán", "A háború Irakban folytatódik."),  # Iraq is not Iran
    ("ro", "Liberia", "Presa liberă este importantă."),  # free
    ("fi", "Oman", "Hän asuu omassa talossaan."),  # in his own
    ("fi", "Malta", "Uusi malli esiteltiin eilen."),  # a model
    ("lt", "Europa", "Bilietas kainavo šimtą eurų."),  # of euros
    ("el", "Περού", "Μίλησε περί οικονομίας χθες."),  # about
    ("el", "Συρία", "Ο ΣΥΡΙΖΑ κέρδισε έδρες."),  # a party
    ("tr", "Benin", "Bu kitap benim değil."),  # mine: Turkish puts a name's suffixes after an apostrophe
    # a name's base bare of its nominative's ending is another word, where it is one
    ("cs", "Asie", "Jednání trvalo asi dvě hodiny."),  # about
    ("pl", "Peru", "Cena wynosi sto złotych per osoba."),  # per
    ("lt", "Peru", "Jis praėjo per miestą."),  # through
    ("lt", "Gana", "Tai buvo gan sunku."),  # quite
    ("ro", "Liberia", "Oamenii sunt liberi să aleagă."),  # free
    # a short foreign name in -i or -u does not decline: these are small and had
    ("cs", "Mali", "Malý stát s malou armádou."),
    ("sk", "Mali", "Mal malé auto a malý dom."),
    # a Finnish name in a consonant takes an i before an ending: as his own, his own
    ("fi", "Oman", "Hän piti taloa omana ja kutsui sitä omansa."),
    ("fi", "Yhdysvallat", "Yhdysvaltalainen yhtiö osti kilpailijansa."),  # American: the demonym
    ("hr", "Izrael", "Izraz lica bio mu je ozbiljan."),  # an expression
    ("hr", "Kanada", "Na kanalu je prikazan novi film."),  # on the channel
    ("hr", "Mali", "Dječak se igra u malom parku."),  # small
])
def test_a_word_the_stemmer_cuts_like_a_name_is_not_its_form(language: str, alias: str, text: str) -> None:
    assert found(alias, text, language) == []


def test_a_woman_s_surname_is_not_the_man_s() -> None:
    assert found("Захарова", "Брифинг провёл Захаров.", "ru") == []
    assert found("Набиуллина", "Выступил Набиуллин.", "ru") == []


def test_turkish_suffixes_after_an_apostrophe_are_separate_words() -> None:
    assert [w for w, _ in found("Ankara", "Ankara'da toplantı yapıldı; İstanbul'un valisi", "tr")] == [
        "Ankara"]
    assert [w for w, _ in found("İstanbul", "İstanbul'un valisi konuştu.", "tr")] == ["İstanbul"]


def test_an_inflected_name_ending_the_text_is_one_mention() -> None:
    assert found("Москва", "Переговоры в Москве", "ru") == [("Москве", "Russian inflection")]


def test_a_phrase_cut_short_by_the_end_of_the_text_is_no_mention() -> None:
    assert found("Deutsche Bank AG", "Ein Sprecher der Deutschen Bank", "de") == []


def test_the_exact_form_is_the_first_rule() -> None:
    assert found("Москва", "Москва заявила.", "ru") == [("Москва", None)]


@pytest.mark.parametrize(("language", "alias", "text"), [
    ("de", "Ira", "Sanktionen gegen Iran."), ("de", "Rom", "Ein neuer Roman erscheint."),
    ("pl", "Ira", "Rozmowy z Iranem."), ("ru", "Ира", "Переговоры с Ираном."),
    ("ru", "Рим", "Римма выиграла."), ("fi", "Ira", "Iranin ydinohjelma."),
    ("pl", "Rom", "Nowy romans."), ("de", "Polen", "Die Polizei ermittelt."),
    ("sv", "Ira", "Sanktioner mot Irans regering."),
    ("fi", "Haiti", "Siitä oli vain haittaa."), ("fi", "Kemi", "Hän opiskelee kemiaa yliopistossa."),
    ("pl", "Praga", "Każdy pragnie pokoju."), ("de", "Essen", "Der Esser bestellte."),
])
def test_short_stems_do_not_fire_on_other_words(language: str, alias: str, text: str) -> None:
    assert found(alias, text, language) == []


def test_no_inflection_in_english_or_unknown_language() -> None:
    assert found("Москва", "в Москве", None) == []
    assert found("Deutschland", "Deutschlands economy", "en") == []


def test_names_do_not_inflect_where_only_common_words_do() -> None:
    assert found("France", "Le gouvernement français a annoncé.", "fr") == []


@pytest.mark.parametrize(("language", "trigger", "text"), [
    ("de", "Angriff", "Nach den Angriffen auf Berlin"), ("fr", "attaque", "Des attaques contre Paris"),
    ("es", "ataque", "Los ataques contra Madrid"), ("ru", "нападение", "После нападения на Москву"),
])
def test_triggers_inflect_in_their_language(language: str, trigger: str, text: str) -> None:
    matcher = Matcher.build(small_config(
        [{"id": "city", "name": "Berlin", "aliases": ["Paris", "Madrid", "Москва"]}],
        [{"id": "attack", "name": "Attack", "triggers": [trigger]}]))
    assert matcher.match(article(text, language)).event_ids == ["attack"]


@pytest.mark.parametrize(("language", "token", "word", "name"), [
    ("de", "deutschlands", "deutschland", True), ("de", "angriffe", "angriff", False),
    ("de", "anschläge", "anschlag", False), ("ru", "москве", "москва", True), ("uk", "києві", "київ", True),
    ("pl", "polsce", "polska", True), ("pl", "waszyngtonu", "waszyngton", True),
    ("cs", "německu", "německo", True), ("fi", "helsingissä", "helsinki", True),
    ("hu", "budapesten", "budapest", True), ("lv", "askā", "aska", True), ("lv", "trumpu", "trump", True),
    ("lv", "latvijas", "latvija", True), ("is", "reykjavíkur", "reykjavík", True),
    ("fr", "attaques", "attaque", False), ("sv", "sveriges", "sverige", True),
])
def test_a_token_names_every_word_it_is_a_form_of(language: str, token: str, word: str, name: bool) -> None:
    """`token_keys` is where the matcher looks: a form it does not point to would never be found."""
    assert inflects(language, token, word, name)
    words, keys = token_keys(language, token)
    assert word in words or stem_keys(language, [word]).get(word) in keys


def test_inflects_compares_stems_or_lemmas() -> None:
    assert inflects("pl", "polsce", "polska")
    assert not inflects("pl", "polityka", "polska")
    assert inflects("uk", "києва", "київ")


@pytest.mark.parametrize(("alias", "text"), [("Linke", "Er stand links."), ("Pakes", "Ein Paket kam an.")])
def test_german_names_only_take_endings(alias: str, text: str) -> None:
    assert found(alias, text, "de") == []
    assert found("Linke", "Die Linken stimmten dagegen.", "de") == [("Linken", "German inflection")]


@pytest.mark.parametrize(("alias", "text", "form"), [
    ("Aska", "Glābēji strādāja Askas ciematā.", "Askas"),
    ("Aska", "Nogruvums notika Askā naktī.", "Askā"),  # folds to the name, yet is a case of it
    ("Jerdruma", "Jerdrumas pašvaldība paziņoja.", "Jerdrumas"),
    ("Trumps", "Valdība nosūtīja vēstuli Trumpam.", "Trumpam"),
    ("Trump", "Tikšanās ar Trumpu notiks rīt.", "Trumpu"), ("Berne", "Konference Bernē sākās.", "Bernē"),
])
def test_latvian_names_take_the_endings_of_their_declension(alias: str, text: str, form: str) -> None:
    assert found(alias, text, "lv") == [(form, "Latvian inflection")]


@pytest.mark.parametrize(("alias", "text"), [
    ("Aska", "Viņi dzīvo Rīgā."),  # absent
    ("Aska", "Askaņa bija skaista."),  # inside a longer word
    ("Agra", "Tā bija agrā rīta stundā."),  # a short stem's form that is another Latvian word
    ("Oslo", "Oslas ielas."),  # a name ending in -o does not decline
    ("Jerdruma", "Jerdrumiem nav sakara."),  # not an ending of its declension
])
def test_latvian_endings_do_not_fire_on_other_words(alias: str, text: str) -> None:
    assert found(alias, text, "lv") == []
