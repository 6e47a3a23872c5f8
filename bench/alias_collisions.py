"""How well `config check`'s common-word warning separates real collisions from names.

A list of real entity names as a user would configure them (countries and capitals in several
languages, companies, agencies, media, organisations, people), each with where it is configured
(`*`: `aliases`, matched in every language; `fr`: `aliases_by_language.fr`) and whether it truly
collides with an ordinary word in a language it is matched in (judged by hand: "Target" fires on
"hit the target", "Uno" on Spanish "uno", "Paris" on nothing). The warning's precision and recall
over the list, and the misses and false alarms by name.

    .venv/bin/python -m bench.alias_collisions
"""

from __future__ import annotations

import time

from worker.config.collisions import collision

# (alias, where, collides)
_NAMES: list[tuple[str, str, bool]] = []


def _add(where: str, collides: bool, names: str) -> None:
    _NAMES.extend((name.strip(), where, collides) for name in names.split(";") if name.strip())


# --- names that do not collide -------------------------------------------------------------------
_add("*", False, "Germany; France; Russia; Ukraine; Israel; Iran; Iraq; Syria; Egypt; Japan; India; "
     "Pakistan; Afghanistan; Brazil; Argentina; Mexico; Canada; Australia; Italy; Spain; Poland; "
     "Hungary; Romania; Bulgaria; Serbia; Croatia; Greece; Sweden; Norway; Finland; Denmark; "
     "Netherlands; Belgium; Austria; Switzerland; Portugal; Ireland; Lebanon; Jordan; Saudi Arabia; "
     "Qatar; Yemen; Libya; Sudan; Ethiopia; Nigeria; Kenya; Venezuela; Colombia; Peru; Chile; "
     "Indonesia; Malaysia; Vietnam; Thailand; Philippines; South Korea; North Korea; Taiwan; "
     "Myanmar; Belarus; Georgia; Armenia; Azerbaijan; Kazakhstan; Moldova; Lithuania; Latvia; Estonia")
_add("*", False, "Paris; London; Berlin; Moscow; Beijing; Tokyo; Washington; Kyiv; Kiev; Damascus; "
     "Tehran; Baghdad; Cairo; Ankara; Istanbul; Rome; Madrid; Lisbon; Warsaw; Prague; Vienna; "
     "Brussels; Amsterdam; Stockholm; Oslo; Helsinki; Copenhagen; Athens; Budapest; Bucharest; "
     "Belgrade; Zagreb; Jerusalem; Gaza; Riyadh; Doha; Dubai; Delhi; Mumbai; Karachi; Kabul; "
     "Islamabad; Dhaka; Bangkok; Hanoi; Manila; Jakarta; Seoul; Pyongyang; Taipei; Canberra; Sydney; "
     "Ottawa; Toronto; Havana; Caracas; Bogota; Santiago; Brasilia; Buenos Aires; Nairobi; Lagos; "
     "Khartoum; Tripoli; Tunis; Algiers; Kharkiv; Odesa; Aleppo; Mosul; Beirut; Ramallah; Minsk; Tbilisi")
_add("*", False, "Microsoft; Google; Amazon; Tesla; Nvidia; Intel; Siemens; Volkswagen; Daimler; Bayer; "
     "BASF; Allianz; Nestle; Unilever; Samsung; Sony; Toyota; Honda; Huawei; Alibaba; Tencent; Boeing; "
     "Airbus; Walmart; Costco; Mastercard; Pfizer; Moderna; Novartis; Roche; Vodafone; Ericsson; Nokia; "
     "Gazprom; Rosneft; Aramco; Netflix; Spotify; Inditex; Adidas; Nike; Santander; Barclays; HSBC; "
     "Lufthansa; Ryanair; Renault; Peugeot; Stellantis; Heineken; Carlsberg; Maersk; Equinor; Repsol; "
     "Iberdrola; Enel; Glencore; Rio Tinto; ArcelorMittal; Thyssenkrupp; Rheinmetall; Lockheed; "
     "Raytheon; Northrop; Safran; Thales; Leonardo; BlackRock; Goldman Sachs; JPMorgan; Citigroup")
_add("*", False, "Reuters; Bloomberg; Xinhua; TASS; Interfax; Anadolu; Yonhap; Kyodo; Al Jazeera; "
     "Hamas; Hezbollah; Taliban; Kremlin; Pentagon; Bundestag; Bundeswehr; Europol; Interpol; "
     "UNESCO; UNICEF; OPEC; Frontex; Mossad; Houthis; Wagner; Knesset; Duma")
# names that are also a very common word of some language they would be matched in, found while
# measuring: Slovene "nato" (then) and "eni" (one), Indonesian "sisi" (side), Spanish "duda" (doubt),
# Romanian "puțin" (little)
_add("*", True, "NATO; Eni; Sisi; Duda; Putin")
_add("*", False, "Zelensky; Biden; Macron; Scholz; Merz; Erdogan; Netanyahu; Modi; Lula; Milei; "
     "Meloni; Orban; Sanchez; Starmer; Sunak; Musk; Bezos; Obama; Clinton; Assad; Khamenei; "
     "Guterres; Lagarde; Yellen; Navalny; Lukashenko; Tusk; Kishida; Albanese; Trudeau; Xi Jinping")
_add("de", False, "Deutschland; Frankreich; Russland; Moskau; Peking; Warschau; Kiew; Rom; Wien; Prag; "
     "Brüssel; Italien; Spanien; Polen; Türkei; China; Vereinigte Staaten")
_add("fr", False, "Allemagne; Chine; Russie; Moscou; Pékin; Londres; Varsovie; Bruxelles; Italie; "
     "Espagne; Pologne; Turquie; Le Caire; Téhéran; Damas; États-Unis")
_add("es", False, "Alemania; Rusia; Moscú; Pekín; Londres; Varsovia; Italia; España; Polonia; Turquía; "
     "Irán; Estados Unidos")
_add("pt", False, "Alemanha; Rússia; Moscou; Pequim; Londres; Itália; Espanha; Polônia; Turquia; "
     "Estados Unidos")
_add("tr", False, "Almanya; Rusya; Moskova; Fransa; İtalya; İspanya; Polonya; Türkiye; Çin")
_add("id", False, "Jerman; Rusia; Turki; Tiongkok; Prancis; Amerika Serikat")
_add("it", False, "Germania; Russia; Mosca; Pechino; Londra; Francia; Spagna; Polonia; Turchia")
_add("ru", False, "Германия; Россия; Москва; Китай; Украина; Франция; Путин")
_add("zh", False, "德国; 北京; 中国; 美国; 俄罗斯")
_add("ja", False, "ドイツ; 東京; 中国; ロシア")
# --- names that collide with an ordinary word where they are matched -------------------------------
_add("*", True, "Target; Apple; Shell; Orange; Total; Gap; Next; Sky; Oracle; Alphabet; Meta; Mango; "
     "Corona; Uno; Onu; Ira; Uber; Mars; Cook; Rice; Brown; Black; Bush; Gates; Nice; Reading; Split; "
     "Mobile; Zeit; Spiegel; Bild; Mundo; Times; Guardian; Sun; Mirror; Independent; Economist; "
     "Express; Liberation; Chine; Visa; Jaguar; Puma; Bank; Post; Vale; Lima; Damas; Turki")
# "Uno" scoped to German is the UN there, which is what scoping is for
_add("de", False, "Uno")
_add("de", True, "Zeit; Spiegel; Bild; Welt")
_add("pt", True, "Irã")
_add("es", True, "Mundo; País")


def main() -> None:
    started = time.perf_counter()
    tp = fp = fn = tn = 0
    false_alarms, misses = [], []
    for alias, where, collides in _NAMES:
        languages = None if where == "*" else (where,)
        warned = collision(alias, languages) is not None
        tp += warned and collides
        fp += warned and not collides
        fn += collides and not warned
        tn += not (warned or collides)
        if warned and not collides:
            false_alarms.append(f"{alias} ({where})")
        if collides and not warned:
            misses.append(f"{alias} ({where})")
    print(f"{len(_NAMES)} names ({tp + fn} collide): precision {tp / max(tp + fp, 1):.2f}, "
          f"recall {tp / max(tp + fn, 1):.2f} (tp {tp}, fp {fp}, fn {fn}, tn {tn}) "
          f"in {time.perf_counter() - started:.1f} s")
    print("false alarms:", ", ".join(false_alarms) or "none")
    print("missed:", ", ".join(misses) or "none")


if __name__ == "__main__":
    main()
