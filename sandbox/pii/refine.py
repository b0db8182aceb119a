"""Second look at PERSON findings: a lone capitalised word or an organisation's name needs more evidence."""

from __future__ import annotations

import re

from presidio_analyzer import AnalysisExplanation, RecognizerResult

from sandbox.pii.recognizers.gazetteer import known_given, known_surnames, listed_given, name_form
from sandbox.pii.recognizers.person import INITIAL, NAME, NAME_LIST, NOT_NAMES, PEOPLE_NOUNS

# Last words of organisation, product and work names that spaCy's small model often calls people.
ORG_WORDS = {
    "inc", "inc.", "llc", "ltd", "ltd.", "corp", "corp.", "co", "co.", "plc", "gmbh", "sa", "sas", "ag", "group",
    "technologies", "technology", "incorporated", "solutions", "systems", "associates", "partners", "investments",
    "capital", "holdings", "industries", "international", "consulting", "services", "labs", "software", "media",
    "networks", "foundation", "institute", "university", "college", "school", "hospital", "clinic", "bank",
    "orchestra", "band", "weekly", "daily", "times", "news", "magazine", "journal", "records", "studios", "films",
    "pictures", "pleasures", "insight", "insights", "analytics", "data", "health", "energy", "motors", "airlines",
    "pharmaceuticals", "bioscience", "markets", "explorer", "impulse", "collective", "ventures", "agency", "council",
    "committee", "society", "club", "association", "union", "company", "corporation", "enterprises", "store",
    "restaurant", "hotel", "café", "cafe", "street", "avenue", "road", "square", "park", "river", "mountain",
    # places: "Czech Republic", "Mill Village", "Pines Beach"
    "republic", "kingdom", "emirates", "village", "town", "city", "county", "island", "islands", "beach", "bay",
    "harbour", "harbor", "valley", "falls", "springs", "lake", "port", "district", "province", "region",
    # buildings and venues: "Victoria Station", "Madison Square Garden"
    "station", "airport", "terminal", "garden", "gardens", "centre", "center", "hall", "arena", "stadium", "bridge",
    "tower", "palace", "castle", "cathedral", "church", "museum", "gallery", "theatre", "theater", "library",
    "mall", "plaza", "market",
}
# Capitalised function words never sit inside a person's name: "Back To Poland", "Bank Of America".
INNER_FUNCTION_WORDS = {"To", "Of", "The", "And", "For", "In", "On", "At", "With", "From", "By"}
# First words of place names: "Port Whangarei", "São Tiago", "Mount Pleasant"
PLACE_WORDS = {"Port", "Fort", "Mount", "Saint", "St.", "Sainte", "San", "Santa", "Santo", "São", "Lake", "Cape",
               "Isle", "Glen", "Bad", "Puerto", "Porto", "Villa", "Ciudad", "Nova", "Novo", "Nueva", "Nuevo"}
# What follows an organisation's name, never a person's: "Aunt Bertha Inc", "Verdafero is the brainchild of"
AFTER_ORG = re.compile(r"[ \t]*(?:,[ \t]*)?(?:Inc\b|Ltd\b|LLC\b|Corp\b|GmbH\b|PLC\b|S\.?A\.?S?\b|AG\b|"
                       r"(?:is|was)[ \t]+(?:the[ \t]+brainchild|an?[ \t]+(?:[\w-]+[ \t]+)?(?:company|agency|firm|"
                       r"startup|start-up|brand|platform|app|product|business|organisation|organization|"
                       r"non-profit|nonprofit|consultancy|studio|label|band|group|service)\b))")
SPACY = "SpacyRecognizer"
# A lone word that is a whole list item or line ("3. Grapes") is a name only with more evidence than spaCy's.
LIST_ITEM = re.compile(r"(?m)^[ \t]*(?:[-*•·]|\d{1,3}[.)]|[a-z][.)])?[ \t]*$")
LINE_END = re.compile(r"[ \t]*[.,;:!?]?[ \t]*(?:\n|$)")


def refine_people(text: str, results: list[RecognizerResult], threshold: float,
                  language: str = "en") -> list[RecognizerResult]:
    """Drop PERSON findings that are organisations; demote a lone unknown word spaCy calls a person when it is
    alone on its line or in a list of things ("Apples, Pears and Grapes"). A name spaCy found is dropped only by
    these measured rules, and never when its last word is a known surname ("Sun Park", "Amy Hall")."""
    names, surnames = known_given(), known_surnames()
    lists = [m.span() for m in NAME_LIST.finditer(text) if not _list_of_people(text, m, names)]
    kept = []
    for result in results:
        if result.entity_type == "PERSON":
            words = text[result.start:result.end].split()
            org = words and words[-1].lower().strip(".,") in ORG_WORDS and not (
                _recognizer(result) == SPACY and name_form(words[-1]) in surnames and len(words) > 1)
            if not words or org or INNER_FUNCTION_WORDS & set(words[1:-1]):
                continue  # "Loveland Technologies", "Entertainment Weekly", whoever found it
            _cut(text, result)
            words = text[result.start:result.end].split()
            before = text[max(0, result.start - 12):result.start].split()
            if (not words or all(w.strip(".,") in NOT_NAMES for w in words) or words[0] in PLACE_WORDS
                    or before and before[-1] in PLACE_WORDS or AFTER_ORG.match(text, result.end)):
                continue  # "Awarded Salesperson of the Month", "Port Paien", "Aunt Bertha Inc"
        if result.entity_type == "PERSON" and _recognizer(result) == SPACY:
            _trim(text, result)
            words = text[result.start:result.end].split()
            # French spaCy tags sentence-initial verbs as people ("Veuillez", "Pouvez-vous").
            if language == "fr" and len(words) == 1 and words[0] not in names and SENTENCE_START.search(
                    text, 0, result.start) and not TITLE_BEFORE.search(text, 0, result.start):
                result.score = min(result.score, threshold - 0.05)
            in_list = any(start <= result.start and result.end <= end for start, end in lists)
            if len(words) == 1 and words[0] not in names and (in_list or _alone_on_its_line(text, result)):
                result.score = min(result.score, threshold - 0.05)
        kept.append(result)
    kept += _block_names(text, kept, names, threshold)
    return kept + _repeats(text, kept, threshold)


# The first line of a block (a letter head, a signature, a contact card): two or three name words alone.
BLOCK_NAME = re.compile(rf"(?:^|\n[ \t>?*-]*\n)[ \t>?*-]*((?:{NAME}|[a-z][a-zà-ÿ'’-]+)(?:[ \t]+{INITIAL})?"
                        rf"(?:[ \t]+(?:{NAME}|[a-z][a-zà-ÿ'’-]+)){{1,2}})[ \t]*,?[ \t]*(?=\n)")


def _block_names(text: str, results: list[RecognizerResult], names: frozenset[str],
                 threshold: float) -> list[RecognizerResult]:
    """'Satu Elomo\n\n45818 P.O. Box 242': the opening line of a block with an address below it (or opening with a
    known given name) is a person's name; typed in lower case it needs the known given name."""
    found = []
    for match in BLOCK_NAME.finditer(text):
        start, end = match.span(1)
        words = match.group(1).split()
        lower = not all(w[:1].isupper() for w in words)
        if any(w in NOT_NAMES or w.lower() in ORG_WORDS for w in words) or words[0] in PLACE_WORDS:
            continue
        if lower and not (words[0].islower() and all(w.islower() for w in words)):
            continue  # "Leasing consultant": a capitalised word then lower-case ones is a title or a phrase
        known = words[0].capitalize() in names
        below = text.find("\n", end)
        address = any(r.entity_type == "STREET_ADDRESS" and below <= r.start and text.count("\n", end, r.start) <= 4
                      for r in results)
        if not (known or address and not lower):
            continue
        if any(r.start < end and start < r.end for r in results if r.entity_type == "PERSON"):
            continue
        score = max(0.6, threshold)
        found.append(RecognizerResult("PERSON", start, end, score, AnalysisExplanation("BlockName", score)))
    return found


def _repeats(text: str, results: list[RecognizerResult], threshold: float) -> list[RecognizerResult]:
    """A name found once is a name wherever it appears again in the same text ('Hakuba had given Hakuba')."""
    people = [r for r in results if r.entity_type == "PERSON" and r.score >= threshold]
    taken = [(r.start, r.end) for r in results if r.score >= threshold]
    found = []
    for value in {text[r.start:r.end].strip() for r in people}:
        if len(value) < 3 or not value[:1].isupper() or value in NOT_NAMES:
            continue
        for match in re.finditer(rf"(?<![\w'’-]){re.escape(value)}(?![\w'’-])", text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                taken.append(match.span())
                found.append(RecognizerResult("PERSON", match.start(), match.end(), threshold,
                                              AnalysisExplanation("RepeatedName", threshold)))
    return found


TITLE_BEFORE = re.compile(r"\b(?:M|Mme|Mlle|Me|Dr|Pr|Mr|Mrs|Ms|Mx|Prof)\.?\s*$")
SENTENCE_START = re.compile(r"(?:^|[.!?\n])[ \t\"“«]*$")


def _cut(text: str, result: RecognizerResult) -> None:
    """A name ends at its possessive, a line break, a colon or a quote, whoever found it. A title before it stays
    covered: some references count it in the name ("Mme Dubreuil")."""
    value = text[result.start:result.end]
    stop = re.search(r"['’]s(?:\s|$)|\n|:|[\"“”]", value)
    if stop and stop.start() > 0:
        result.end = result.start + len(value[:stop.start()].rstrip())


def _trim(text: str, result: RecognizerResult) -> None:
    """Cut a name at a line break and drop greetings and other non-name words at its edges."""
    value = text[result.start:result.end]
    possessive = re.search(r"['’]s\s", value)
    if possessive:  # "Yefremova's Cautionary Tales": the name ends at its possessive
        result.end = result.start + possessive.start()
        value = text[result.start:result.end]
    if "\n" in value.strip():
        value = value.strip().split("\n")[0]
        result.end = text.index(value, result.start) + len(value)
    words = list(re.finditer(r"\S+", text[result.start:result.end]))
    capitalised = any(w.group(0)[:1].isupper() for w in words)
    while len(words) > 1 and (words[0].group(0).strip(",") in NOT_NAMES and words[0].group(0) not in listed_given()
                              or capitalised and words[0].group(0)[:1].islower()):  # "ex-Zombie Kastner"
        words = words[1:]
    while len(words) > 1 and words[-1].group(0).strip(",.") in NOT_NAMES:
        words = words[:-1]
    if words:
        result.start, result.end = result.start + words[0].start(), result.start + words[-1].end()


def _list_of_people(text: str, match: re.Match, names: frozenset[str]) -> bool:
    """A list of capitalised words is people when one is a given name or a word for people comes first."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", match.group(0)) if w not in NOT_NAMES]
    return any(w in names for w in words) or bool(PEOPLE_NOUNS.search(text, max(0, match.start() - 60),
                                                                        match.start()))


def _alone_on_its_line(text: str, result: RecognizerResult) -> bool:
    line_start = text.rfind("\n", 0, result.start) + 1
    return bool(LIST_ITEM.fullmatch(text, line_start, result.start)) and bool(LINE_END.match(text, result.end))


def _recognizer(result: RecognizerResult) -> str:
    return (result.recognition_metadata or {}).get("recognizer_name", "")
