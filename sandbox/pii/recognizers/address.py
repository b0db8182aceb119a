"""Street addresses, English and French and the common European shapes, with units, PO boxes and postcodes."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"  # a capitalised word, accents allowed
EN_TYPES = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|"
            r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Row|Crescent|Cres|Close|Grove|"
            r"Gardens|Gdns|Heights|Hill|Park|Ridge|View|Walk|Path|Pike|Point|Run|Crossing|Mews|Wharf|Quay|Green|"
            r"Estate|Expressway|Freeway|Turnpike|Route|Plaza|Center|Centre")
PREFIX_TYPES = (r"[Rr]ue|[Bb]orgo|[Ss]tretto|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|"
                r"[Rr]oute|[Cc]ours|"
                r"[Pp]lace|[Ss]quare|[Vv]oie|[Pp]assage|[Rr]ua|[Aa]venida|[Aa]v\.|[Cc]alle|[Cc]arrer|[Vv]ia|[Vv]iale|"
                r"[Pp]iazza|[Cc]orso|[Tt]ravessa|[Ll]argo|[Pp]raça|[Pp]laza|[Pp]aseo|[Cc]amino|[Uu]lica|[Uu]l\.|"
                r"[Vv]icolo|[Ss]trada|[Pp]iazzale|[Cc]ontrada|[Cc]arretera|[Rr]onda|[Tt]ravesía|[Rr]ambla|"
                r"[Pp]asseig|[Ee]strada|[Aa]lameda|[Rr]odovia|[Aa]leja|[Aa]l\.|[Pp]lac|[Oo]siedle|[Cc]alea|"
                r"[Bb]ulevardul|[Ss]tr\.|Λεωφόρος|Οδός|Λ\.|Οδ\.")
# Street names that end in their type, as in Finnish, Swedish, Danish, German, Dutch and Hungarian.
SUFFIX_WORD = (r"[A-ZÀ-ÖØ-Þ][\w-]*(?:katu|tie|kuja|polku|gatan|vägen|gata|väg|gade|vej|straße|strasse|str\.|weg|"
               r"gasse|allee|platz|laan|straat|plein|gracht|kade|utca|u\.|tér|körút|ulice|náměstí|tee|iela)")
UNIT = (r"(?i:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Studio|Floor|Fl\.?|Bldg\.?|Building|Room|Rm\.?|#|Bât\.?|"
        r"Bâtiment|Étage|Appartement|Appartamento|Piano|Interno|Piso|Puerta|Apto\.?|Sala|Whg\.?|Wohnung)"
        r"\s*#?\s*(?:\d[\w-]{0,5}|[A-Z]\d{0,4})\b")  # a unit has a number or a letter: "Apt B", "Suite 501", "Piano 6"
LINE_END = r"(?:[,\s]+(?:" + UNIT + r")){0,2}"
# A city may hold lower-case linking words ("Mora de Rubielos"); a state may be written in lower case after a comma.
CITY_WORD = r"[A-ZÀ-ÖØ-Þ][^\W\d]*(?:['’.-][^\W\d]*)*(?!\d)"  # no digits: "M1K 5G4" is a postcode, not a town
CITY = (CITY_WORD + r"(?:\s(?:(?:de|del|de la|di|da|do|dos|du|des|la|le|el|sur|am|an|im|upon|on|en)\s)?"
        + CITY_WORD + r"){0,3}")
STATE = r"(?:\s*\n?\s*,?\s*[A-Z]{2}\b|\s*\n?\s*,\s*[a-z]{2,3}\b(?=[ \t]*(?:\n|$|\d)))"
# US ZIP, the four- and five-digit European codes, Brazil's CEP ("25175-329"), UK ("SW1A 1AA") and Canadian ("K1A 0B1")
# postcodes.
POSTCODE = r"(?:\d{4,5}(?:-\d{4})?|\d{5}-?\d{3}|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
TAIL = (r"(?:,?\s*\n?\s*" + CITY + r")?(?:" + STATE + r")?(?:\s*\n?\s*,?\s*"
        + CITY + r")?(?:,?\s+" + POSTCODE + r")?")
# A building number before the house number, as many forms print it: "935 69 Gordon Terrace".
LEAD = r"(?:\b\d{1,6}\s+)?"
# Two names for a corner or a shared building: "Maarit and Hersnapvej 12".
AND_NAME = r"(?:\b[A-ZÀ-ÖØ-Þ][\w'’-]*\s+and\s+)?"

UWORD = r"(?!(?:Of|The|And|In|On|At|For|To|A|An|Or)\b)[A-ZÀ-ÖØ-ÞĀ-žΑ-ΩΆ-ΏА-ЯЁ][\w'’.-]*"  # a capitalised word in Latin, Greek or Cyrillic script
LWORD = r"[a-zà-ÿ][\w'’.-]{0,10}"  # one lowercase street word: "tér", "gate", "u.", "terrasse"
ANYWORD = r"[^\W\d_][\w'’.-]*"
MONTHS = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
          r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
          r"octobre|novembre|décembre)")
STOP = (r"(?:the|a|an|and|or|of|to|in|on|at|by|for|with|from|we|you|they|he|she|it|is|are|was|were|be|been|has|"
        r"have|had|will|would|can|could|did|do|does|not|that|this|these|those|than|then|per|people|times|years|"
        r"days|hours|minutes|items|et|le|la|les|des|du|un|une|en|pour|avec|sur|par|ans|jours)")
# Separators between the lines of an address written on one line: newline, two spaces, ">", "???", a comma.
SEP = r"(?:[ \t]*(?:\n|>|\?\?\?|,)[ \t]*|[ \t]{2,}){1,3}"
# A city, state and postcode line, in either case: "delmas, mp 12345", "Springfield, IL 62704".
CITY_LINE = rf"{ANYWORD}(?:[ \t]{ANYWORD}){{0,2}},[ \t]*[A-Za-z]{{2,3}}[ \t]+{POSTCODE}"
ITEM = (rf"(?:{UNIT}\b|{CITY_LINE}|\d{{4,6}}(?:-\d{{4}})?\b|{POSTCODE}|[A-Z]{{2}}\b|"
        rf"(?!{STOP}\b)[a-z]{{2,3}}\b(?=[ \t]+\d)|{UWORD}(?:[ \t]+{UWORD}){{0,2}}(?:[ \t]+\(\w+\))?"
        rf"(?:[ \t]+\d{{4,6}}\b)?)")
BLOCK_TAIL = rf"(?:{SEP}{ITEM}){{0,5}}"
SUFFIXES = SUFFIX_WORD.split("(?:", 1)[1].rstrip(")")
LOWER_TYPES = r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|terrace|parkway|pkwy|highway|hwy"
WORD_TYPES = (r"utca|u\.|út|útja|tér|tere|körút|krt\.|rkp\.|köz|sor|kapu|sétány|fasor|gate|gata|gatan|vei|veien|"
              r"vej|gade|vägen|väg|ulica|ul\.|aleja|al\.|plac|street|st\.|road|avenue|ave\.")
DE_TYPES = r"Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee|Steig|Pfad|Markt|Laan|Straat|Gracht|Kade|Plein|Dijk"

LOWER_PREFIX_TYPES = (r"rue|avenue|boulevard|chemin|allée|impasse|quai|route|cours|place|rua|avenida|calle|carrer|via|"
                      r"viale|piazza|piazzale|corso|contrada|borgo|stretto|vicolo|strada|largo|travessa|praça|plaza|"
                      r"paseo|camino|ulica|aleja")
# A postcode and a town in lower case after a lower-case street: ", 26276 celle", ", 53012 torrita tiberina"
AFTER_TOWN = r"please|before|after|until|today|tomorrow|thanks|asap|merci|avant|après|svp"  # the sentence goes on
LOWER_TOWN_NEEDED = rf",?[ \t]+\d{{4,5}}(?:[ \t]+(?!(?:{STOP}|{AFTER_TOWN})\b)[a-zà-ÿ][\w'’-]*){{1,2}}"
LOWER_TOWN = rf"(?:{LOWER_TOWN_NEEDED})?"
PATTERNS = [
    # 1600 Pennsylvania Avenue NW, Apt. 4 (then city, state, country and postcode when they follow)
    ("EN_NUMBER_FIRST", rf"{LEAD}\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{CAP}\s+){{0,4}}(?i:{EN_TYPES})\b\.?"
                        rf"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?{LINE_END}{TAIL}{BLOCK_TAIL}", 0.7),
    # Typed in lower case: "12 fourth avenue suite 3 calgary alberta" (only the unambiguous type words)
    ("LOWER_NUMBER_FIRST", rf"{LEAD}\b\d{{1,6}}\s+(?:(?!{STOP}\b)[a-zà-ÿ][\w'’-]*\s+){{1,3}}(?:{LOWER_TYPES})\b\.?"
                           rf"{LINE_END}(?:,?[ \t]+(?!{STOP}\b)[a-zà-ÿ]+){{0,3}}(?=[ \t]*(?:$|\n|[.,;!?]))", 0.6),
    # A name, a lower-case type word, a number: "Csabai kapu 12.", "midtvollen 130 st." is handled below
    ("NAME_TYPE_NUMBER", rf"{LEAD}{AND_NAME}\b{UWORD}(?:\s+[a-zà-ÿ]+)?\s+(?:{WORD_TYPES})\s+\d{{1,5}}[A-Za-z]?\b\.?"
                         rf"{LINE_END}{TAIL}{BLOCK_TAIL}", 0.6),
    # German and Dutch types written as a separate word: "Villacher Strasse 12", "Lange Laan 4"
    ("NAME_WORDTYPE_NUMBER", rf"{LEAD}\b{CAP}(?:[\s-]{CAP}){{0,2}}[\s-](?:{DE_TYPES})\s+\d{{1,5}}[A-Za-z]?\b"
                             rf"{LINE_END}{TAIL}{BLOCK_TAIL}", 0.65),
    # A number, a street word and a number, in lower case: "74 midtvollen 130 st.", "255 hersnapvej 18"
    ("LOWER_NAME_NUMBER", rf"\b\d{{1,6}}\s+(?!{MONTHS}\b|{STOP}\b)[^\W\d_A-ZÀ-ÖØ-Þ][^\W\d]*\s+\d{{1,5}}\b(?=\s*(?:(?i:{UNIT})|"
                          rf"(?:{LOWER_TYPES})\b|,))(?:\s+(?:{LOWER_TYPES})\b\.?)?{LINE_END}{BLOCK_TAIL}", 0.5),
    # The leading \b and the look-ahead only restate what a match needs (a word start; a word, maybe a dot, then a
    # number), so that the engine gives up at once where the ~30 endings cannot fit: 0.25 -> 0.06 ms per prompt.
    ("LOWER_SUFFIX_STREET", rf"\b{LEAD}\b(?=[a-zà-ÿ][\w-]*+\.?\s+\d)[a-zà-ÿ][\w-]*(?:{SUFFIXES})\s+\d{{1,5}}[a-z]?"
                            rf"(?:-\d{{1,4}})?\b{LOWER_TOWN}", 0.55),
    # The Latin forms typed in lower case: "contrada pier, 29", "via roma 12, 00184 roma"
    ("LOWER_NAME_THEN_NUMBER", rf"\b{LEAD}\b(?-i:{LOWER_PREFIX_TYPES})\s+"  # a match starts a word: \b first
                               rf"(?:(?:de|du|des|la|le|dos|das|do|da|del|della|di)\s+)*"
                               rf"(?!{STOP}\b)[a-zà-ÿ][\w'’-]*(?:\s(?!{STOP}\b)[a-zà-ÿ][\w'’-]*){{0,2}}"
                               rf"(?:,\s+\d{{1,5}}[a-z]?\b{LINE_END}{LOWER_TOWN}"
                               rf"|\s+\d{{1,5}}[a-z]?\b{LINE_END}{LOWER_TOWN_NEEDED})",
     0.55),  # with a comma before the number, or a postcode and town after it: not "via email 3 times"
    # A street name with no number after "on", "off", "along": "shows on Marina Fort Street"
    ("STREET_NAME_ONLY", rf"(?:(?<=\bon )|(?<=\boff )|(?<=\balong )|(?<=\bonto )|(?<=\bnear )|(?<=\bdown )|(?<=\bup ))"
                         rf"(?:{CAP}\s+){{1,3}}(?:Street|Avenue|Road|"
                         rf"Boulevard|Lane|Drive|Terrace|Crescent|Parkway)\b", 0.45),
    # 12 rue de la Paix, 75002 Paris ; 12 bis avenue Victor Hugo
    ("FR_NUMBER_FIRST", rf"{LEAD}\b\d{{1,4}}(?:\s?(?:bis|ter|[AB]))?,?\s+(?:{PREFIX_TYPES})\s+(?:(?:de|du|des|la|le|l'|d'|"
                        rf"dos|das|do|da|del|della|di|de la)\s*)*{CAP}(?:[\s-]{CAP}){{0,4}}"
                        rf"(?:,?\s*\d{{4,5}}\s+{CAP}(?:[\s-]{CAP}){{0,2}}(?:\s+[Cc]edex(?:\s\d+)?)?)?{LINE_END}{BLOCK_TAIL}", 0.7),
    # Rua do Arenque 1634 ; Via Roma 12 ; Calle Mayor, 5
    # Each of its three starts is a word start: the \b first skips the inside of words at once (0.30 -> 0.19 ms)
    ("NAME_THEN_NUMBER", rf"\b{LEAD}{AND_NAME}\b(?:{PREFIX_TYPES})\s+(?:(?:de|du|des|la|le|dos|das|do|da|del|della|di)\s+)*"
                         rf"{CAP}(?:\s{CAP}){{0,3}},?\s+\d{{1,5}}[A-Za-z]?\b{LINE_END}{TAIL}{BLOCK_TAIL}", 0.65),
    # Koskikatu 25 ; Hauptstraße 5 ; Király u. 15.
    ("SUFFIX_STREET", rf"{LEAD}{AND_NAME}\b(?:{CAP}\s)?{SUFFIX_WORD}\s+\d{{1,5}}[A-Za-z]?\b\.?{LINE_END}{TAIL}"
                      rf"{BLOCK_TAIL}", 0.65),
    ("UNIT", rf"\b{UNIT}\b", 0.5),
    ("PO_BOX", rf"{LEAD}\b(?i:P\.?\s?O\.?\s?Box|PO Box|Post Office Box|Boîte postale|BP)\s+\d{{1,6}}\b"
               rf"{LINE_END}{BLOCK_TAIL}", 0.6),
    ("MILITARY", r"\b(?:PSC|Unit|USNS|USNV|USS|USCGC)\s+\w+(?:\s\w+)?,?\s+Box\s+\d{1,5}(?:\s*\n?\s*"
                 r"(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5})?|\b(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}\b", 0.7),
    # European blocks: building number, street name, house number: "5049 Harjukuja 54", "233 Erzsébet tér 19."
    ("NUMBER_NAME_NUMBER", rf"\b\d{{1,5}}\s+(?!{MONTHS}\b){UWORD}(?:\s+{UWORD}){{0,2}}(?:\s+(?!{STOP}\b){LWORD})?"
                           rf"(?:\s+{UWORD})?\s+\d{{1,5}}[A-Z]?\b\.?{BLOCK_TAIL}", 0.5),
    # A street and number right before a unit: "Allika 46  Suite 501", then the city, country and postcode
    ("NAME_NUMBER_UNIT", rf"\b{UWORD}(?:\s+{ANYWORD}){{0,2}}\s+\d{{1,5}}[A-Z]?\b\.?(?={SEP}{UNIT}){BLOCK_TAIL}", 0.55),
    # A unit and the lines that follow it: "Suite 245 / FÜRLING / Austria 25173"
    ("UNIT_BLOCK", rf"\b{UNIT}\b(?:{SEP}{ITEM}){{1,4}}", 0.5),
    # "the corner of 3744 Retreat Avenue and Maple Route"
    ("CORNER", rf"\b(?:[Tt]he\s+)?corner of\s+[^\n;!?]{{2,60}}?\s+and\s+{ANYWORD}(?:\s+(?:{CAP}|(?i:(?:{EN_TYPES})s?)\b)){{0,3}}", 0.6),
    # French postcode and city on their own: 75002 Paris, 69001 Lyon Cedex
    ("FR_POSTCODE_CITY", rf"\b(?:0[1-9]|[1-8]\d|9[0-5]|2[AB])\d{{3}}\s+{CAP}(?:[\s-]{CAP}){{0,2}}"
                         rf"(?:\s+[Cc]edex(?:\s\d+)?)?", 0.45),
]
CONTEXT = ["address", "adresse", "lives", "live", "living", "located", "street", "rue", "domicile", "domicilié",
           "ship", "shipping", "deliver", "delivery", "billing", "mail", "send", "visit", "home", "office", "move",
           "moved", "résidant", "demeurant", "habite", "livraison"]


class StreetAddressRecognizer(PatternRecognizer):
    """Address patterns, case-sensitive where case is evidence (Presidio's default ignores case). A block on several
    lines is reported whole, city and country included: dropping them cost more leaks than it saved."""

    def __init__(self, supported_language: str):
        super().__init__("STREET_ADDRESS", name=f"StreetAddress_{supported_language}",
                         supported_language=supported_language, context=CONTEXT,
                         patterns=[Pattern(name, regex, score) for name, regex, score in PATTERNS],
                         global_regex_flags=re.MULTILINE)


def street_address_recognizers() -> list:
    return [StreetAddressRecognizer(lang) for lang in ("en", "fr")]
