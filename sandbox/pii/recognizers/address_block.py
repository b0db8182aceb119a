"""Whole postal addresses found from their postcode backwards, in any case and most Western layouts.

A postcode (US state and ZIP, APO/FPO/DPO, UK, Canadian, Dutch, Brazilian, or a 4-5 digit code beside a town or a
country) anchors the address; the comma- or line-separated parts before it belong to it back to the street part, the
one holding a house number or a street-type word, which starts after the last ordinary word ("the new address is",
"envoyez-le au"). A town after a European postcode ends at the first ordinary word or punctuation. No street part
before the postcode, no address: a number beside a word is not enough.
"""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

from sandbox.pii.recognizers.address import EN_TYPES, MONTHS, PREFIX_TYPES, SUFFIXES
from sandbox.pii.recognizers.gazetteer import known_places, name_form

WORD = r"[^\W\d_][\w'’.-]*"
COUNTRY_WORDS = r"(?:[A-Z][a-z]+|[a-z]+)(?:\s(?:[A-Z][a-z]+|[a-z]+))?"
POSTCODES = [
    (r"(?i:\b(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5})\b", False),  # military
    (r"(?<=,\s)(?i:[a-z]{2})\s+\d{5}(?:-\d{4})?\b", False),  # ", NH 78757"
    (r"\b(?i:[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2})\b", False),  # UK: "SW1A 1AA", "g4d 4wh"
    (r"\b(?i:[a-z]\d[a-z]\s?\d[a-z]\d)\b", False),  # Canada: "K1A 0B1"
    (r"\b\d{5}-\d{3}\b|\b\d{8}\b(?=\s+" + WORD + ")", True),  # Brazil: "96546-572 Pinto"
    (r"\b\d{4}\s?(?i:[a-z]{2})\b(?=\s+" + WORD + ")", True),  # Netherlands: "9311 HP Someren"
    (r"\b\d{4,5}\b(?=\s+" + WORD + ")", True),  # "75002 Paris", "31341 badajoz"
    (r"(?<=[A-Za-z]\s)\d{4,5}\b(?!\s*\d)", False),  # after a country: "Italy 36050" (checked below)
]
AFTER_COUNTRY = f"p{len(POSTCODES) - 1}"
POSTCODE = re.compile("|".join(f"(?P<p{i}>{p})" for i, (p, _) in enumerate(POSTCODES)))
TOWN_FOLLOWS = {f"p{i}" for i, (_, town) in enumerate(POSTCODES) if town}
PLAIN_PREFIX_TYPES = re.sub(r"\[(.).\]", r"\1", PREFIX_TYPES)  # "[Rr]ue" -> "Rue"; matched ignoring case
STREET_WORD = re.compile(rf"(?i:\b(?:{EN_TYPES}|{PLAIN_PREFIX_TYPES}|"
                         rf"box|psc|unit|usns|usnv|uss|uscgc|cedex|apt|suite|flat|studio)\b|\w(?:{SUFFIXES})\b)")
HOUSE_NUMBER = re.compile(r"(?<![\w-])\d{1,5}(?:[a-zA-Z]|[/-]\d{1,4}|\s?bis|\s?ter)?(?![\w-])")
STOP = {w for w in EN_STOP | FR_STOP if len(w) > 1} | {"address", "adresse", "ship", "send", "envoyez", "parcel",
                                                        "forward", "mail", "lives", "habite", "recipient"}
PARTICLES = {"de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "sur", "sous", "en",
             "am", "an", "im", "upon", "on", "aan", "den", "der", "van", "bei", "les", "lès", "y", "e"}
SEGMENT_END = re.compile(r"[,\n]")
LEADING_UNIT = re.compile(r"(?i:psc|unit|usns|usnv|uss|uscgc|apt\.?|suite|flat|bldg\.?|building)\s+\w+")
DATE_BEFORE = re.compile(rf"(?i:\b{MONTHS}),?\s*$")


def _town_end(text: str, pos: int) -> int:
    """End of the town name after a European postcode: up to four words, particles only between words."""
    end = pos
    words = list(re.finditer(rf"[ \t]+({WORD})", text[pos:pos + 80]))
    at = pos
    for count, match in enumerate(words):
        if match.start() != at - pos or count >= 4:
            break
        word = match.group(1).rstrip(".")
        low = word.lower()
        if low in PARTICLES:
            at = pos + match.end()
            continue
        if low in STOP and word[:1].islower() or (word[:1].islower() and count and text[end - 1:end].isupper()):
            break  # a capitalised stop word is a town: "9593 LB Hem"
        end = at = pos + match.start(1) + len(word)
    return end


def _is_stop(words: list[str], k: int) -> bool:
    """An ordinary word that ends the sentence before an address; not a street type ("via"), nor a particle inside a
    street's name ("rambla de íñigo")."""
    low = words[k].lower().strip(",;:.()")
    if low not in STOP or STREET_WORD.fullmatch(low):
        return False
    return not (low in PARTICLES and k and _is_stop(words, k - 1) is False)


def _street_start(text: str, anchor: int, floor: int) -> int | None:
    """Start of the address before a postcode at `anchor`, or None when no street part comes before it. Parts are
    walked back ("Stretto Eugenia, 517, Lana, Italy 36050") until the street line, then a lone house number before
    it is taken too ("73, avenue odette dos santos")."""
    start, found, cursor, parts = None, False, anchor, 0
    while cursor > floor and parts < 5:
        cut = max((m.end() for m in SEGMENT_END.finditer(text, floor, cursor)), default=floor)
        segment = text[cut:cursor]
        cursor = cut - 1
        if not segment.strip():
            if parts:
                break
            continue  # the postcode opens its own part: ", 31341 badajoz"
        words = list(re.finditer(r"\S+", segment))
        first = 0  # the part's own start: after its last ordinary word ("... the new address is 150 Miller Parks")
        for k in range(len(words)):
            if _is_stop([w.group(0) for w in words], k):
                first = k + 1
        if first >= len(words) or len(words) - first > 7:
            break
        lone_number = HOUSE_NUMBER.fullmatch(segment[words[first].start():].strip())
        lead = LEADING_UNIT.match(segment[words[first].start():].strip())  # "psc 0684, box 1920"
        if found and not (lone_number or lead):
            break
        start = cut + words[first].start()
        parts += 1
        street = STREET_WORD.search(segment, words[first].start()) or HOUSE_NUMBER.search(segment, words[first].start())
        if found and lead:
            continue
        if found or first or cut <= floor:
            found = found or bool(street)
            break
        if street and not lone_number:
            found = True  # the street line; only a lone number before it may still belong
        elif lone_number:
            found = True  # "Stretto Eugenia, 517": the street's name comes before
            nxt = max((m.end() for m in SEGMENT_END.finditer(text, floor, cursor)), default=floor)
            name = text[nxt:cursor].split()
            if name:
                stops = [k for k in range(len(name)) if _is_stop(name, k)]
                kept = name[stops[-1] + 1:] if stops else name
                if kept and len(kept) <= 6:
                    start = nxt + text[nxt:cursor].rindex(" ".join(kept)) if " ".join(kept) in text[nxt:cursor] \
                        else start
            break
    return start if found else None


class AddressBlockRecognizer(EntityRecognizer):
    def __init__(self, supported_language: str = "en"):
        super().__init__(supported_entities=["STREET_ADDRESS"], supported_language=supported_language,
                         name=f"AddressBlock_{supported_language}")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if "STREET_ADDRESS" not in entities:
            return []
        results = []
        for match in POSTCODE.finditer(text):
            end = _town_end(text, match.end()) if match.lastgroup in TOWN_FOLLOWS else match.end()
            before = text[max(0, match.start() - 40):match.start()].split()
            after_country = bool(before) and name_form(before[-1]) in known_places()
            if match.lastgroup in TOWN_FOLLOWS and end == match.end() and not after_country:
                continue  # "en 2023 à": a number and an ordinary word, no town
            if match.lastgroup == AFTER_COUNTRY and not after_country:
                continue  # "colis en 2023"
            if DATE_BEFORE.search(text, max(0, match.start() - 20), match.start()):
                continue  # "né le 4 mars 1981"
            floor = max(text.rfind(c, 0, match.start()) for c in (";", "?", "!", ":"))
            floor = max(floor + 1, match.start() - 120, 0)
            start = _street_start(text, match.start(), floor)
            if start is None or start >= match.start():
                continue
            results.append(RecognizerResult("STREET_ADDRESS", start, end, 0.6,
                                            AnalysisExplanation(self.name, 0.6, pattern_name=match.lastgroup)))
        return results
