"""Person names spaCy misses: titles, cue phrases, known given names, and names with foreign letters."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĠĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŜŞŠŢŤŪŮŰŲŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēėęěğġģīįıķĺļľłńņňōőœŕřśŝşšţťūůűųźżž'’"
# A capitalised word, hyphenated parts capitalised or not: "Okonkwo-Berg", "Jean-luc"
NAME = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)*"
INITIAL = rf"[{UPPER}]\.?"
# Lower-case particles inside a surname: "Willemine ten Pas", "Anna van der Berg", "Luis de la Cruz"
PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|dos|das|du|la|le|ten|ter|bin|ibn|al|el)"
# Words of one name are joined by spaces or tabs, never a line break: the next line is something else.
FULL = rf"{NAME}(?:[ \t]+(?:{INITIAL}[ \t]+|(?:{PARTICLE}[ \t]+){{1,2}})?{NAME}){{0,2}}"
TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sir|Dame|Mme|Mlle|Mr|Me|Monsieur|Madame|Mademoiselle|Docteur|Herr|Frau)\.?"
CUES = (r"(?:my name is|name is|i am|i'm|this is|call me|named|called|signed|regards,|sincerely,|cheers,|dear|"
        r"hi|hello|hey|bonjour|cher|chère|je m'appelle|je suis|contact|attn:?|c/o|user:|name:|nom\s?:|"
        r"prénom\s?:|author:|by|with|from|to|for|and|cc:?|ask|tell|thank|thanks|met|meet|follow up with|talk to|"
        r"spoke with|spoke to|married|son of|daughter of|wife of|husband of)")
# Given names that are everyday lower-case words: never a name on their own in lower-case text.
LOWER_WORDS = {"will", "mark", "rose", "grace", "may", "bill", "pat", "jack", "max", "sam", "art", "joy", "faith",
               "hope", "sue", "rob", "dan", "ed", "tom", "ben", "jo", "kim", "li", "ming", "ray", "guy", "sandy",
               "happy", "sorry", "going", "not", "so", "very", "here", "the", "a", "an", "in", "at", "from"}
NON_ASCII = re.compile(r"[^\x00-\x7f]")
PATTERNS = [
    (re.compile(rf"\b{TITLES}\s+((?:{INITIAL}\s+)?{FULL})"), 0.85, "title"),
    (re.compile(rf"(?i:\b{CUES})\s+({FULL})"), 0.0, "cue"),  # scored below: needs a known or foreign-looking name
    (re.compile(rf"(?m)^[ \t]*({NAME}(?:[ \t]+{NAME})?)[ \t]*:\s"), 0.0, "speaker"),
    (re.compile(rf"\b({NAME}[ \t]+(?:{INITIAL}[ \t]+)?{NAME}(?:[ \t]+{NAME})?)\b"), 0.0, "sequence"),
    # Phrases that name one person, even with a single unknown word: "my name is Rubija", "says Joly."
    (re.compile(rf"(?i:\b(?:my name is|my name's|last name is|surname is|maiden name is|last name\?|call me|calls me|"
                rf"directed by:?|written by|produced by|starring|says|said|shouted at|asked|replied|"
                rf"my (?:kid|son|daughter|wife|husband|brother|sister|mother|father)|je m'appelle|nom est)\s+)"
                rf"({FULL})"), 0.6, "strong cue"),
    # A middle initial between two capitalised words is a person's shape: "Ravi K Sharma", "Ana M. Ruiz"
    (re.compile(rf"\b({NAME}[ \t]+{INITIAL}[ \t]+{NAME})\b"), 0.6, "initial"),
    # Capitalised words doing what people do: "Tomas Berg lives at", "Anouk spent a year at"
    (re.compile(rf"(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))\s*({FULL})\s+(?:lives|lived|is from|was born|"
                rf"spent a year|grew up|shouted|whispered|smiled|laughed|will be talking|had given|gave|married|"
                rf"is a very|is very|studied|graduated)\b", re.M), 0.6, "person verb"),
    # Whose relative: "Amanda's daughter", "and Franciska's kid"
    (re.compile(rf"\b({NAME})['’]s\s+(?:kid|kids|son|daughter|wife|husband|mother|father|mom|mum|dad|brother|"
                rf"sister|children|baby|boyfriend|girlfriend|partner|family)\b"), 0.6, "kin"),
    # Typed in lower case, only after a phrase that names one person: "my name is ana ruiz"
    (re.compile(rf"(?i:\b(?:my name is|my name's|maiden name is|last name is|surname is|call me|i'm|i am|"
                rf"follow up with|speak to|talk to)\s+)([a-z][a-zà-ÿ'’-]+(?:[ \t]+[a-z][a-zà-ÿ'’-]+)?)\b"), 0.0,
     "lower cue"),
    # After words that introduce a surname, any one word is a surname, even typed in lower case
    (re.compile(r"(?i:\b(?:maiden name is|last name is|surname is|family name is|nom de famille est)\s+)"
                r"([a-zà-ÿ][a-zà-ÿ'’-]{2,})\b"), 0.6, "surname cue"),
    # Typed in lower case with a person's verb or a relative, when the first word is a known given name
    (re.compile(r"(?:^|(?<=[.!?\n] )|(?<=[.!?\n\"“]))([a-z][a-zà-ÿ'’-]+(?:[ \t]+[a-z][a-zà-ÿ'’-]+)?)[ \t]+"
                r"(?:lives|lived|is from|was born|grew up|married|studied|graduated)\b", re.M), 0.0, "lower verb"),
    (re.compile(r"\b([a-z][a-zà-ÿ'’-]+)['’]s\s+(?:kid|kids|son|daughter|wife|husband|mother|father|mom|mum|dad|"
                r"brother|sister|boyfriend|girlfriend)\b"), 0.0, "lower kin"),
    # Someone addressed at the start of a sentence: "Warrane, can I please speak to your boss?"
    (re.compile(rf"(?:^|(?<=[.!?\n] )|(?<=[.!?\n]))({NAME}),[ \t]+(?:can|could|would|will|do|did|are|have|"
                rf"please|i|you|we)\b", re.M), 0.6, "addressed"),
    # A speaker in a dialogue: 'Ubul: "What a wife."', 'Elizabeth:"I'm here"'
    (re.compile(rf"(?:^|(?<=[.!?\n])\s*)({NAME})\s*:\s*[\"“]", re.M), 0.6, "speaker quote"),
]
# Two capitalised words joined by 'and' where one is a known given name or surname: "Usamov and Bowers"; the end
# of a longer list ("Marshall, Hernandez and Simpson") is left to the list rule, which asks for more evidence.
PAIR = re.compile(rf"(?<![\w'’.-])(?<!,[ \t])({NAME})[ \t]+(?:and|&|et)[ \t]+({NAME})\b(?![ \t]+{NAME})")
# A line opened by one word and a colon; two or more of them, one a known given name, make a dialogue.
SPEAKER_LINE = re.compile(r"(?m)^[ \t>]*([^\W\d_][\w'’-]*)[ \t]*:(?!//)")
LABELS = {"Date", "Time", "When", "Where", "Subject", "From", "To", "Cc", "Bcc", "Tel", "Mobile", "Desk", "Fax",
          "Office", "Home", "Work", "Cell", "Email", "Phone", "Address", "Name", "Note", "Notes", "Q", "A", "Total",
          "Price", "Status", "Priority", "Step", "Input", "Output", "User", "Assistant", "System", "Bot", "Human",
          "AI", "Agent", "Support", "Me", "You", "Website", "Web", "Url", "Http", "Https", "Ref", "Id", "Tags",
          "Location", "Room", "Venue", "Topic", "Agenda", "Result", "Results", "Error", "Info", "Todo", "Done",
          # roles that label a transcript's lines: "Interviewer: ...", "Patient: ..."
          "Owner", "Reviewer", "Author", "Approver", "Assignee", "Reporter", "Host", "Moderator", "Speaker",
          "Interviewer", "Interviewee", "Guest", "Caller", "Operator", "Doctor", "Patient", "Teacher", "Student",
          "Customer", "Client", "Buyer", "Seller", "Candidate", "Recruiter", "Judge", "Witness", "Narrator"}
# Surnames listed after 'at' or 'joined' are a firm's name: "a year at Jones, Mitchell and Williams"
FIRM_CUE = re.compile(r"(?i)\b(?:at|joined|joining|of the firm)\s+$")
PLACE_CUE = re.compile(r"(?i)\b(?:to|from|in|at|into|towards|via)\s*$")
PEOPLE_NOUNS = re.compile(r"(?i)\b(?:founders|co-founders|members|children|kids|sons|daughters|friends|partners|"
                          r"authors|guests|colleagues|siblings|brothers|sisters|parents|cousins|players|"
                          r"fondateurs|enfants|associés|amis|collègues)\b[^.!?\n]{0,30}$")
NAME_LIST = re.compile(rf"({NAME}(?:[ \t]+{NAME})?(?:,\s+{NAME}(?:[ \t]+{NAME})?)+,?\s+(?:and|et|&)\s+{NAME}"
                       rf"(?:[ \t]+{NAME})?)")
NOT_NAMES = {"The", "This", "That", "These", "Those", "There", "Here", "What", "When", "Where", "Which", "Who",
             "Why", "How", "And", "But", "Or", "If", "Then", "Please", "Thanks", "Thank", "Hello", "Hi", "Dear",
             "Yes", "No", "Not", "My", "Your", "Our", "Their", "His", "Her", "Its", "We", "You", "They", "It", "He",
             "She", "I", "A", "An", "In", "On", "At", "For", "From", "With", "By", "To", "Of", "As", "Is", "Are",
             "Was", "Were", "Be", "Can", "Could", "Would", "Should", "Will", "Shall", "May", "Might", "Must", "Do",
             "Does", "Did", "Have", "Has", "Had", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
             "Saturday", "Sunday", "January", "February", "March", "April", "June", "July", "August",
             "September", "October", "November", "December", "Street", "Avenue", "Road", "Inc", "Ltd", "Corp",
             "Company", "Bank", "University", "Hospital", "City", "County", "State", "North", "South", "East",
             "West", "New", "Le", "La", "Les", "Un", "Une", "Et", "Ou", "Mais", "Bonjour", "Merci", "Madame",
             "Monsieur", "User", "Name", "Author", "Subject", "Email", "Phone", "Address", "Re", "Fwd", "Note",
             "Team", "Customer", "Client", "Manager", "Director", "Account", "Order", "Invoice", "Project",
             # roles and the labels of a question-and-answer text, capitalised at the start of a line or a title
             "Producer", "Salesperson", "Engineer", "Consultant", "Officer", "Assistant", "Editor", "Writer",
             "Designer", "Developer", "Analyst", "Specialist", "Coordinator", "Supervisor", "Administrator",
             "Representative", "Agent", "Clerk", "Technician", "Nurse", "Teacher", "Lawyer", "Accountant",
             "Architect", "Discipline", "Answer", "Question", "Reply", "Response", "Comment", "Example", "Quote",
             "Update", "Warning", "Tip", "Q", "Summary", "Title", "Description",
             # contractions of 'I' and words for a god, capitalised like names
             "I'm", "I’m", "I'll", "I’ll", "I've", "I’ve", "I'd", "I’d", "God", "Lord"}
# Words that open a sentence before a comma without naming anyone: "Sorry, can I ...", "Okay, could you ..."
OPENERS = {"Sorry", "Okay", "Ok", "OK", "Well", "So", "Also", "Now", "Hey", "Yeah", "Anyway", "Alright", "Great",
           "First", "Finally", "Besides", "Otherwise", "Listen", "Look", "Excuse", "Again", "Today", "Tomorrow",
           "Tonight", "Sir", "Madam", "Guys", "Everyone", "Folks", "Oh", "Ah", "Um", "Hmm", "Wait", "Still", "Plus",
           "Next", "Later", "Meanwhile", "Fine", "Sure", "Right", "Oops", "Boss", "Mom", "Mum", "Dad", "Doctor",
           "Officer", "Honey", "Darling", "Friends", "Team", "All", "Everybody", "Anyone", "Somebody", "Someone",
           # teams addressed by their function: "Finance, can you approve ..."
           "Sales", "Legal", "Support", "Admin", "Ops", "Payroll", "Reception", "Security", "Facilities", "Billing"}
# Endings of abstract and collective nouns, not given names: "Procurement, can you ...", "Engineering, please ..."
NOUN_ENDING = re.compile(r"(?:ment|ing|tion|sion|ance|ence|ity|ness|ship|ics|ism|ogy|ure|ers)$")


def _word_list(name: str) -> frozenset[str]:
    text = (Path(__file__).resolve().parent.parent / "data" / name).read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    return _word_list("given_names.txt")


# Surnames that are also everyday English words, places or colours are no evidence on their own.
WORD_SURNAMES = {"Long", "Love", "Young", "Little", "Best", "Good", "Rich", "Short", "Small", "Key", "Case", "House",
                 "Head", "Gay", "Guy", "Battle", "Church", "Sweet", "Justice", "Moon", "Strong", "English", "French",
                 "Paris", "Park", "Hill", "Green", "Black", "White", "Brown", "Gray", "Wood", "Stone", "King", "Cross",
                 "Gates", "Banks", "Fields", "Rivers", "Waters", "Bush", "Rose", "Page", "Ball", "Day", "Lane", "May",
                 "Hunt", "Cook", "Bird", "Fox", "Wolf", "Lamb", "Frost", "Snow", "Winter", "Summers", "Price", "Mills",
                 "Marsh", "Bond", "Cash", "Glass", "Grant", "Miles", "Ford", "Chase", "Clay", "Moss", "Drake",
                 "Bass", "Marks", "Rush", "Finch", "Dale", "Bean", "Noble", "Bright", "Golden", "Wise", "Sharp",
                 "Hood", "Street", "West", "North", "South", "East", "Washington", "Houston", "Jordan", "Bell",
                 "Power", "Powers", "Booth", "Branch", "Horn", "Graf", "Berg", "Holm", "Strand", "Lund", "Villa",
                 "Costa", "Sun", "Song", "Lee", "Li", "Do", "He", "Ye", "Oh", "Ha", "Na", "Ma", "Le", "Son", "Ho",
                 "Su", "Du", "Lu", "Ba", "Fall", "Sow", "Kiss", "Otto", "Roman", "Leon", "Cruz", "Mann", "Kent",
                 "York", "Cleveland", "Lancaster", "England", "Savage", "Sparks", "Hardy", "Vance", "Noel"}


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return _word_list("surnames.txt") - WORD_SURNAMES


class PersonNameRecognizer(EntityRecognizer):
    """Finds names by their shape and surroundings; scores depend on how much evidence there is."""

    def __init__(self, supported_language: str = "en"):
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=f"PersonName_{supported_language}")

    def load(self) -> None:
        given_names()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        names = given_names()
        results = []
        for pattern, base, kind in PATTERNS:
            for match in pattern.finditer(text):
                value = match.group(1)
                start = match.start(1)
                words = [w for w in re.split(r"\s+", value) if w]
                while words and words[0].rstrip(".") in NOT_NAMES:
                    start += len(words[0]) + 1
                    words = words[1:]
                while words and words[-1].rstrip(".") in NOT_NAMES:
                    words = words[:-1]
                if not words:
                    continue
                if kind == "sequence":  # "Call Marie Dupont": the name starts at the known given name
                    while len(words) > 1 and words[0] not in names and words[1] in names:
                        start += text.index(words[1], start) - start
                        words = words[1:]
                known = any(w in names for w in words)
                last_known = len(words) > 1 and words[-1] in surnames()
                foreign = any(NON_ASCII.search(w) for w in words)
                if kind in ("title", "strong cue", "speaker quote", "initial", "person verb", "kin", "surname cue"):
                    score = base
                elif kind == "addressed":
                    score = 0.0 if words[0] in OPENERS or words[0].endswith("ly") or (
                        NOUN_ENDING.search(words[0]) and words[0] not in names) else base
                elif kind in ("lower verb", "lower kin"):
                    score = 0.6 if words[0].capitalize() in names and words[0] not in LOWER_WORDS else 0.0
                elif kind == "lower cue":  # lower case is a name only when a word is a known given name
                    score = 0.6 if any(w.capitalize() in names for w in words) and not words[0] in LOWER_WORDS \
                        else 0.0
                elif kind == "cue":  # a lone foreign word after 'to' or 'from' is more often a place
                    place_cue = PLACE_CUE.search(text, max(0, match.start()), start)
                    score = 0.75 if known else 0.6 if len(words) > 1 or foreign and not place_cue else 0.0
                elif kind == "speaker":
                    score = 0.6 if known else 0.0
                else:  # two or three capitalised words in a row
                    score = 0.7 if words[0] in names else 0.6 if last_known else \
                        0.55 if foreign and len(words) > 1 else 0.0
                if score <= 0:
                    continue
                end = start + len(" ".join(words))
                if text[start:end] != " ".join(words):
                    end = start + len(value.strip())
                results.append(RecognizerResult("PERSON", start, end, score,
                                                AnalysisExplanation(self.name, score, pattern_name=kind)))
        return results + self._pairs(text, names) + self._speakers(text, names) + self._lists(text, names)

    def _speakers(self, text: str, names: frozenset[str]) -> list[RecognizerResult]:
        """'Ubul: What a wife. / Nicole: Remember me': in a dialogue every speaker label is a person."""
        labels = [m for m in SPEAKER_LINE.finditer(text)
                  if m.group(1).capitalize() not in LABELS and m.group(1) not in NOT_NAMES
                  and not (NOUN_ENDING.search(m.group(1)) and m.group(1).capitalize() not in names)]
        if len(labels) < 2 or not any(m.group(1).capitalize() in names for m in labels):
            return []
        return [RecognizerResult("PERSON", m.start(1), m.end(1), 0.6,
                                 AnalysisExplanation(self.name, 0.6, pattern_name="speaker label")) for m in labels]

    def _pairs(self, text: str, names: frozenset[str]) -> list[RecognizerResult]:
        """'Usamov and Bowers were ...': both are people when one of the two is a known given name or surname."""
        results = []
        for match in PAIR.finditer(text):
            words = [match.group(1), match.group(2)]
            if any(w in NOT_NAMES or w in OPENERS for w in words):
                continue
            if not any(w in names or w in surnames() for w in words):
                continue
            for group in (1, 2):
                results.append(RecognizerResult("PERSON", match.start(group), match.end(group), 0.6,
                                                AnalysisExplanation(self.name, 0.6, pattern_name="pair")))
        return results

    def _lists(self, text: str, names: frozenset[str]) -> list[RecognizerResult]:
        """'They had 3: Gaetane, Hannah and Derek': every item is a person when one is a known given name or
        the list follows a word for people ('our founders: ...')."""
        results = []
        for match in NAME_LIST.finditer(text):
            items = [m for m in re.finditer(rf"{NAME}(?:\s+{NAME})?", match.group(1))
                     if m.group(0).split()[0] not in NOT_NAMES]
            evidence = any(m.group(0).split()[0] in names for m in items) or PEOPLE_NOUNS.search(
                text, max(0, match.start() - 60), match.start())
            if not evidence or len(items) < 3 or FIRM_CUE.search(text, max(0, match.start() - 20), match.start()):
                continue
            for item in items:
                start = match.start(1) + item.start()
                results.append(RecognizerResult("PERSON", start, start + len(item.group(0)), 0.6,
                                                AnalysisExplanation(self.name, 0.6, pattern_name="list")))
        return results
