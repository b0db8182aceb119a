"""Street addresses, English and French and the common European shapes, with units, PO boxes and postcodes."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

CAP = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"  # a capitalised word, accents allowed
EN_TYPES = (r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Ter|Way|"
            r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Row|Crescent|Cres|Close|Grove|"
            r"Gardens|Gdns|Heights|Hill|Park|Ridge|View|Walk|Path|Pike|Point|Run|Crossing|Mews|Wharf|Quay|Green|"
            r"Estate|Expressway|Freeway|Turnpike|Route|Plaza|Center|Centre")
PREFIX_TYPES = (r"[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Rr]oute|[Cc]ours|"
                r"[Pp]lace|[Ss]quare|[Vv]oie|[Pp]assage|[Rr]ua|[Aa]venida|[Aa]v\.|[Cc]alle|[Cc]arrer|[Vv]ia|[Vv]iale|"
                r"[Pp]iazza|[Cc]orso|[Tt]ravessa|[Ll]argo|[Pp]raça|[Pp]laza|[Pp]aseo|[Cc]amino|[Uu]lica|[Uu]l\.")
# Street names that end in their type, as in Finnish, Swedish, Danish, German, Dutch and Hungarian.
SUFFIX_WORD = (r"[A-ZÀ-ÖØ-Þ][\w-]*(?:katu|tie|kuja|polku|gatan|vägen|gata|väg|gade|vej|straße|strasse|str\.|weg|"
               r"gasse|allee|platz|laan|straat|plein|gracht|kade|utca|u\.|tér|körút|ulice|náměstí|tee|iela)")
UNIT = (r"(?i:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|Fl\.?|Bldg\.?|Building|Room|Rm\.?|#|Bât\.?|Bâtiment|"
        r"Étage)\s*#?\s*(?:\d[\w-]{0,5}|[A-Z]\d{0,4})\b")  # a unit has a number or a letter: "Apt B", "Suite 501"
LINE_END = r"(?:[,\s]+(?:" + UNIT + r"))?"
TAIL = (r"(?:,?\s*\n?\s*" + CAP + r"(?:\s" + CAP + r"){0,3})?(?:\s*\n?\s*,?\s*[A-Z]{2})?(?:\s*\n?\s*"
        + CAP + r"(?:\s" + CAP + r"){0,2})?(?:\s+\d{4,5}(?:-\d{4})?)?")

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
ITEM = (rf"(?:{UNIT}\b|\d{{4,6}}(?:-\d{{4}})?\b|[A-Z]{{2}}\b|{UWORD}(?:[ \t]+{UWORD}){{0,2}}(?:[ \t]+\(\w+\))?"
        rf"(?:[ \t]+\d{{4,6}}\b)?)")
BLOCK_TAIL = rf"(?:{SEP}{ITEM}){{0,5}}"

PATTERNS = [
    # 1600 Pennsylvania Avenue NW, Apt. 4 (then city, state, country and postcode when they follow)
    ("EN_NUMBER_FIRST", rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:{CAP}\s+){{0,4}}(?i:{EN_TYPES})\b\.?"
                        rf"(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?{LINE_END}{TAIL}", 0.7),
    # 12 rue de la Paix, 75002 Paris ; 12 bis avenue Victor Hugo
    ("FR_NUMBER_FIRST", rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[AB]))?,?\s+(?:{PREFIX_TYPES})\s+(?:(?:de|du|des|la|le|l'|d'|"
                        rf"dos|das|do|da|del|della|di|de la)\s*)*{CAP}(?:[\s-]{CAP}){{0,4}}"
                        rf"(?:,?\s*\d{{4,5}}\s+{CAP}(?:[\s-]{CAP}){{0,2}}(?:\s+[Cc]edex(?:\s\d+)?)?)?", 0.7),
    # Rua do Arenque 1634 ; Via Roma 12 ; Calle Mayor, 5
    ("NAME_THEN_NUMBER", rf"\b(?:{PREFIX_TYPES})\s+(?:(?:de|du|des|la|le|dos|das|do|da|del|della|di)\s+)*"
                         rf"{CAP}(?:\s{CAP}){{0,3}},?\s+\d{{1,5}}[A-Za-z]?\b{LINE_END}{TAIL}", 0.65),
    # Koskikatu 25 ; Hauptstraße 5 ; Király u. 15.
    ("SUFFIX_STREET", rf"\b(?:{CAP}\s)?{SUFFIX_WORD}\s+\d{{1,5}}[A-Za-z]?\b\.?{LINE_END}{TAIL}", 0.65),
    ("UNIT", rf"\b{UNIT}\b", 0.5),
    ("PO_BOX", r"\b(?i:P\.?\s?O\.?\s?Box|PO Box|Post Office Box|Boîte postale|BP)\s+\d{1,6}\b", 0.6),
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
    ("CORNER", rf"\b(?:[Tt]he\s+)?corner of\s+[^\n.;!?]{{2,60}}?\s+and\s+{ANYWORD}(?:\s+{ANYWORD}){{0,3}}", 0.6),
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
