"""Person names from spaCy's own entities, typed by a name gazetteer built from Faker's lists at training time.

spaCy's small pipelines find most names in a sentence but often label them ORG, GPE, LOC or NORP ("Rodolfo",
"Subomi Fagunwa", "ashley ross"). An entity whose first word is a known given name, or whose words are all known
names, is a person here: the recognizer ADDS a PERSON span, it never removes one. The lists are
data/gazetteer_*.txt (training/pii_names/build_gazetteer.py) joined with the hand-kept data/given_names.txt.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

from sandbox.pii.recognizers.person import LOWER_WORDS

DATA = Path(__file__).resolve().parent.parent / "data"
OTHER_LABELS = {"ORG", "GPE", "LOC", "NORP", "FAC", "MISC", "PRODUCT", "WORK_OF_ART", "EVENT"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Everyday words that are also given names or surnames somewhere: never evidence alone.
COMMON = {"will", "mark", "rose", "grace", "may", "bill", "pat", "jack", "max", "sam", "art", "joy", "faith", "hope",
          "sue", "rob", "dan", "ed", "guy", "sandy", "happy", "young", "long", "love", "little", "best", "good",
          "rich", "short", "small", "key", "case", "house", "head", "king", "green", "black", "white", "brown",
          "gray", "grey", "wood", "stone", "cross", "page", "ball", "day", "lane", "hunt", "cook", "bird", "fox",
          "wolf", "frost", "snow", "winter", "summer", "price", "mills", "bond", "cash", "glass", "grant", "miles",
          "ford", "chase", "clay", "moss", "bell", "power", "street", "north", "south", "east", "west", "christian",
          "bank", "amazon", "apple", "google", "china", "india", "france", "paris", "london", "sunday", "monday",
          "june", "april", "august", "city", "state", "new", "general", "major", "doctor", "pope", "god", "lord",
          "santa", "united", "america", "american", "european", "english", "french", "german", "spanish", "italian"}


def _words(name: str) -> frozenset[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def known_given() -> frozenset[str]:
    stop = {w.capitalize() for w in EN_STOP | FR_STOP}
    return (_words("gazetteer_given.txt") | _words("given_names.txt")) - stop - {w.capitalize() for w in COMMON}


@lru_cache(maxsize=1)
def listed_given() -> frozenset[str]:
    """Every listed given name, everyday words included ("April", "May"): evidence only next to other evidence."""
    return _words("gazetteer_given.txt") | _words("given_names.txt")


@lru_cache(maxsize=1)
def known_surnames() -> frozenset[str]:
    stop = {w.capitalize() for w in EN_STOP | FR_STOP}
    return (_words("gazetteer_surnames.txt") | _words("surnames.txt")) - stop - {w.capitalize() for w in COMMON}


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case words of English web text (tiktoken's whole-word tokens) and French word forms (spaCy's tables)."""
    return _words("common_words.txt") | _words("common_words_fr.txt")


@lru_cache(maxsize=1)
def workplace_tools() -> frozenset[str]:
    """Names of common workplace software and services, lower case (a policy's `allow_known_products`)."""
    return _words("workplace_tools.txt")


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    return _words("gazetteer_places.txt")


def name_form(word: str) -> str:
    """'ashley' -> 'Ashley', 'O'BRIEN' -> 'O'brien' is not wanted: capitalise each hyphen part."""
    word = word.strip(".,;:'’\"()")
    if "-" not in word:  # most words: the same result without the split and join (0.6 -> 0.2 µs a call)
        return word[:1].upper() + word[1:].lower()
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def looks_like_person(words: list[str], label: str) -> bool:
    """The gazetteer's verdict on an entity spaCy found with another label."""
    forms = [name_form(w) for w in words]
    if not forms or len(forms) > 4 or any(not f[:1].isalpha() for f in forms):
        return False
    given, surnames = known_given(), known_surnames()
    if label in PLACE_LABELS and any(f in known_places() for f in forms):
        return False
    if forms[0] in given and (len(forms) == 1 or all(w[:1].isupper() == words[0][:1].isupper() for w in words)):
        return True
    return len(forms) > 1 and all(f in given or f in surnames for f in forms)


class EntityNameRecognizer(EntityRecognizer):
    """PERSON for spaCy entities of another label that the name gazetteer says are people."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=f"EntityName_{supported_language}")

    def load(self) -> None:
        known_given(), known_surnames(), known_places()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        doc = getattr(nlp_artifacts, "tokens", None)
        if "PERSON" not in entities or doc is None:
            return []
        results = []
        for ent in doc.ents:
            if ent.label_ not in OTHER_LABELS:
                continue
            tokens = [t for t in ent if not t.is_punct]
            while tokens and (tokens[0].is_stop or tokens[0].text in ("Dear", "Cher", "Chère")):
                tokens = tokens[1:]  # "Dear Ceyhunə D Vəlioğlu", "the Kowalskis"
            words = [t.text for t in tokens if len(t.text) > 1 or t.text.isupper()]
            if not tokens or not looks_like_person([w for w in words if len(w) > 1], ent.label_):
                continue
            if ent.label_ in PLACE_LABELS and PLACE_CUE.search(text, max(0, ent.start_char - 12), ent.start_char):
                continue  # "we returned to Feliciano": a place spaCy read as one
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            results.append(RecognizerResult("PERSON", start, end, 0.6,
                                            AnalysisExplanation(self.name, 0.6, pattern_name=ent.label_)))
        return results


TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*\.?")
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ten",
             "ter", "bin", "ibn", "al", "el", "mac", "mc", "ó", "o", "ní", "nic", "ap"}
SENTENCE_END = re.compile(r"(?:^|[.!?\n:;])[\s\"“«(]*$")  # what at_sentence_start tests, read backwards
CAPITALISED = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+)?"
RARE_RUN = re.compile(rf"(?<![\w.’'-]){CAPITALISED}(?:[ \t]{CAPITALISED}){{1,2}}(?![\w’'-]|[ \t][A-ZÀ-ÖØ-Þ])")
# One lower-case word where only a person stands: after a word that addresses or asks someone, or before 'said'.
# WORD_HERE is a whole word, not part of an e-mail, a link or a file name ("write to ana.lopez@example.org").
WORD_HERE = r"(?<![\w'’@./-])([a-zß-öø-ÿ][a-zß-öø-ÿ'’-]{2,})\b(?![-'’@]|[./:]\w)"
ADDRESSED_LOWER = re.compile(r"(?i:\b(?:ask|tell|thanks|thank you|dear|hi|hello|hey|cc|ping|remind|merci|bonjour|salut|"
                             rf"demander à|demande à|demandez à|dire à|dis à|dites à))[ \t]+{WORD_HERE}")
LOWER_SAID = re.compile(rf"{WORD_HERE}[ \t]+(?:said|says|asked|mentioned|replied|wrote|a dit|a demandé|a écrit)\b")
# ... or, for a known given name only, beside a word that joins it to the sentence: "the keys are with amara"
LOWER_BESIDE = re.compile(rf"(?i:\b(?:with|from|for|and|to|by|of|avec|pour|et|par))[ \t]+{WORD_HERE}"
                          rf"|{WORD_HERE}(?=[ \t]+(?:will|is|was|has|and|et|est|va)\b)")
CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
PLACE_CUE = re.compile(r"(?i)\b(?:in|at|from|to|into|near|via|dans|vers)\s+$")  # French "à" and "de" precede people as often


def at_sentence_start(text: str, pos: int) -> bool:
    """`SENTENCE_END.search(text, 0, pos)`, read back from `pos` over spaces, quotes and brackets to the start of
    the text or a . ! ? : ; or line break: the regex scanned the text from its start for every word (0.28 ms of the
    rare-word recognizer's 0.36 per 200-token prompt). `\\s` is str.isspace() in `re`."""
    k = min(pos, len(text))
    while k > 0 and (text[k - 1].isspace() or text[k - 1] in "\"“«("):
        if text[k - 1] == "\n":  # a line break is a sentence end, and may sit among the spaces
            return True
        k -= 1
    return k == 0 or text[k - 1] in ".!?\n:;"


def _inside_proper_noun(text: str, tokens: list, i: int, given, surnames) -> bool:
    """A lone given name right after a capitalised word that is no name, mid-sentence, names a thing."""
    if not i or text[tokens[i - 1].end():tokens[i].start()] != " ":
        return False
    word = tokens[i - 1].group(0)
    return (_case(word) == "title" and not word.endswith(".") and name_form(word) not in given
            and name_form(word) not in surnames and not at_sentence_start(text, tokens[i - 1].start()))


def _case(word: str) -> str:
    core = word.rstrip(".")
    return "upper" if core.isupper() and len(core) > 1 else "title" if core[:1].isupper() else "lower"


class GazetteerNameRecognizer(EntityRecognizer):
    """Runs of words holding a known given name ("Bradley", "inger lassen", "ULISES OLIVER", "adam t kuhl"),
    written in one case, with the words around it that are known names, initials or surname particles, and the one
    capitalised word after a capitalised given name ("Adesua Afolayan"). A lone given name that is also a place
    never counts, nor one in lower case in a text that is not typed in lower case."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=f"GazetteerName_{supported_language}")

    def load(self) -> None:
        known_given(), known_surnames(), known_places()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        given, surnames, places = known_given(), known_surnames(), known_places()
        tokens = list(TOKEN.finditer(text))
        lower_text = not any(c.isupper() for c in text)
        results, i = [], 0
        while i < len(tokens):
            word = tokens[i].group(0)
            form = name_form(word.rstrip("."))
            if form not in given or (_case(word) == "lower" and not lower_text and not self._known_pair(tokens, i)):
                i += 1
                continue
            case, first, last = _case(word), i, i
            j = i + 1
            while j < len(tokens) and text[tokens[j - 1].end():tokens[j].start()] in (" ", "\t") and not (
                    tokens[j - 1].group(0).endswith(".") and len(tokens[j - 1].group(0)) > 2):  # a sentence's end
                nxt = tokens[j].group(0)
                core = nxt.rstrip(".")
                initial = len(core) == 1 and core.isalpha() and j + 1 < len(tokens)
                known = name_form(core) in given or name_form(core) in surnames
                particle = core.lower() in PARTICLES and j + 1 < len(tokens)
                unknown_after = j == i + 1 and case == "title" and _case(nxt) == "title" and not nxt.endswith(".") \
                    and core not in places
                if initial and case != "lower" or initial and core.islower() or (
                        known or particle or unknown_after) and (_case(nxt) == case or particle):
                    last = j
                    j += 1
                    continue
                break
            while last > first and (tokens[last].group(0).rstrip(".").lower() in PARTICLES
                                    or len(tokens[last].group(0).rstrip(".")) == 1):
                last -= 1
            if last == first and (form in places or PLACE_CUE.search(text, 0, tokens[first].start())
                                  or _inside_proper_noun(text, tokens, first, given, surnames)):
                i = last + 1
                continue  # "a branch in Florence", "Victoria" alone, "Credit Karma"
            start, end = tokens[first].start(), tokens[last].end()
            end -= tokens[last].group(0).endswith(".") and len(tokens[last].group(0)) > 2
            score = 0.6 if last > first else 0.5
            results.append(RecognizerResult("PERSON", start, end, score,
                                            AnalysisExplanation(self.name, score, pattern_name="gazetteer")))
            i = last + 1
        return results + self._rare_pairs(text, places) + self._addressed_lower(text, places)

    @staticmethod
    def _known_pair(tokens: list, i: int) -> bool:
        """'chiamaka okoro' in a sentence typed with capitals: a known given name then a known surname, or a word no
        English or French lexicon holds ('joel nyambane')."""
        j = i + 2 if i + 2 < len(tokens) and len(tokens[i + 1].group(0).rstrip(".")) == 1 else i + 1  # "adam t kuhl"
        if j >= len(tokens) or _case(tokens[j].group(0)) != "lower":
            return False
        word = tokens[j].group(0).rstrip(".")
        return name_form(word) in known_surnames() or word not in common_words() and len(word) > 2

    def _addressed_lower(self, text: str, places: frozenset[str]) -> list[RecognizerResult]:
        """'can you ask jaroslav to send it', 'thanks oyelaran', 'brigita said': one word typed in lower case where
        only a person stands is a name when it is a known given name (not an everyday word such as 'will') or a word
        no English or French lexicon holds (names from lists we do not have)."""
        common, given, results = common_words(), known_given(), []
        for pattern, rare_too in ((ADDRESSED_LOWER, True), (LOWER_SAID, True), (LOWER_BESIDE, False)):
            for match in pattern.finditer(text):
                group = 1 if match.group(1) else 2
                word = match.group(group)
                if word in EN_STOP or word in FR_STOP or word in LOWER_WORDS or word in CALENDAR or \
                        name_form(word) in places:
                    continue
                if name_form(word) in given or rare_too and word not in common:
                    results.append(RecognizerResult("PERSON", match.start(group), match.end(group), 0.5,
                                                    AnalysisExplanation(self.name, 0.5, pattern_name="lower, placed")))
        return results

    def _rare_pairs(self, text: str, places: frozenset[str]) -> list[RecognizerResult]:
        """'Your contact is Zebulon Quattrocchi': two or three capitalised words, none a common word of web text
        (tiktoken's whole-word vocabulary), a place or a known organisation word, are a name on no list."""
        common, results = common_words(), []
        for match in RARE_RUN.finditer(text):
            words = match.group(0).split()
            if any(w.lower() in common or w in places or len(w) < 3 for w in words):
                continue
            results.append(RecognizerResult("PERSON", match.start(), match.end(), 0.45,
                                            AnalysisExplanation(self.name, 0.45, pattern_name="rare pair")))
        return results
