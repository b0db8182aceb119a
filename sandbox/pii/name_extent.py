"""A person's name is redacted whole: a span any recognizer found is widened to the name parts right beside it.

Recognizers often find part of a name they never saw whole: the given name they know ("elvis" of "elvis
dominković", "DEBORAH" of "DEBORAH BROWN"), the surname after an initial ("p. kurg" of "rein p. kurg"), the given
name of "Coulombe, Maxime". A surname left in clear is a leak. So a PERSON span grows over the neighbouring words
that can be part of a name (`learned.name_like`: no function word, no common or place word unless a known name, no
acronym; a capitalised English word too, "Rabi Lawal", unless it opens the sentence; before a lower-case name only a
known given name, as French verbs are missing from our word lists: not "mettez") written in the same case as the
span's word beside them, at most two words each side, never across a
sentence end; across one comma only for a single name part ("Coulombe, Maxime"), never in a list ("Gaetane, Hannah,
Anthony and Derek"). A span never ends inside a word
("Nguy" of a decomposed "Nguyễn"). It only adds characters: nothing any recognizer found is dropped.
"""

from __future__ import annotations

import re
import unicodedata

from sandbox.pii.recognizers.gazetteer import known_given, known_places, name_form
from sandbox.pii.recognizers.learned import EN_STOP, FR_STOP, name_like, written_as_a_name
from sandbox.pii.recognizers.person import NOT_NAMES

PART = r"(?<![\w'’.-])[^\W\d_](?:\.|[\w'’-]*)"  # a word, or an initial with its dot
BEFORE = re.compile(rf"({PART})(,?[ \t]+)$")
AFTER = re.compile(rf"(,?[ \t]+)({PART})")
MAX_WORDS = 2


def _case(word: str) -> str:
    letters = [c for c in word if c.isalpha()]
    if all(c.islower() for c in letters):
        return "lower"
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    return "title"


def _part(word: str, beside: str, opens_sentence: bool, left: bool) -> bool:
    bare = word.rstrip(".")
    if len(bare) == 1:  # an initial: "rein p. kurg", "Jane A Nguyễn"; never "a", "à", "y" standing as words
        return bare.isupper() or word.endswith(".") or (bare not in EN_STOP and bare not in FR_STOP
                                                        and _case(beside) == "lower")
    if word in NOT_NAMES or _case(word) != _case(beside) or "." in word:
        return False
    if any(q in word for q in "'’") and not re.search(r"['’][A-ZÀ-Þ]", word):
        return False  # "it's", "l'iban", "Ström's"; O'Brien stays
    if _case(word) == "lower" and left:
        return name_form(word) in known_given()  # before a name in lower case, only a known given name: not "mettez"
    if name_like(word):
        return True
    # a capitalised word that is also an English word ("Rabi", "BROWN") beside a capitalised name, not opening a
    # sentence ("Thanks Maria"); never a function word, a label, a place or an acronym of under 4 letters ("CEO",
    # "HR"; "BROWN" beside "DEBORAH" is a name)
    return (_case(word) != "lower" and not opens_sentence and written_as_a_name(word, shortest_acronym=4)
            and name_form(word) not in known_places())


LIST = re.compile(r"\s*(?:,|(?:and|et|&|or|ou)\s)")


def _in_list(text: str, start: int, end: int) -> bool:
    """"Gaetane, Hannah, Anthony and Derek": each name is its own; a comma there joins no surname to its name."""
    return LIST.match(text, end) is not None or re.search(r",\s*$", text[max(0, start - 40):start]) is not None


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in ".!?:;\n\"“«(" or before.endswith("\n")


def _in_word(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalpha() or unicodedata.category(text[i]).startswith("M"))


def widen(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of a whole name around the PERSON span text[start:end]."""
    while _in_word(text, start - 1):
        start -= 1
    while _in_word(text, end):
        end += 1
    words = text[start:end].split()
    if not words:
        return start, end
    single = len(words) == 1
    for _ in range(MAX_WORDS):
        match = BEFORE.search(text, max(0, start - 60), start)
        if not match or "," in match.group(2) and (not single or _in_list(text, match.start(), end)) or not _part(
                match.group(1), words[0], _opens_sentence(text, match.start()), True):
            break
        start, words, single = match.start(), [match.group(1)] + words, False
    for _ in range(MAX_WORDS):
        match = AFTER.match(text, end)
        if not match or "," in match.group(1) and (not single or _in_list(text, start, match.end())) \
                or _in_word(text, match.end()) or not _part(match.group(2), words[-1], False, False):
            break
        end, words, single = match.end(), words + [match.group(2)], False
    return start, end
