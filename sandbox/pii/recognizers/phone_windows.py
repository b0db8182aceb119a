"""Presidio's PhoneRecognizer, with phonenumbers' matcher run on the stretches of text that can hold a number instead
of the whole text once per region (8 regions): the same matches, without scanning the prose eight times.

A stretch is a run of the characters phonenumbers' candidate pattern can match at all (digits, its punctuation, the
letters of "ext"...), holding a digit. No candidate crosses a character outside that set, so the matcher finds in a
stretch what it finds there in the whole text, given what it reads around a candidate: the character before and the
one after (the "abc8005001234" check), which each window adds, and the ":30" of a time after it, which, being
candidate characters, lies in the stretch when it is there at all. The set is read from the pattern itself, so a
phonenumbers upgrade cannot leave it stale; a pattern it cannot read means whole-text scans.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _parser as sre_parse  # the parser behind `re.compile` (Python >= 3.11)

import phonenumbers
from phonenumbers import PhoneNumberMatch, PhoneNumberMatcher
from phonenumbers.phonenumberutil import NumberParseException
from presidio_analyzer import EntityRecognizer
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

try:  # the matcher's candidate pattern, private to phonenumbers
    from phonenumbers.phonenumbermatcher import _PATTERN
except ImportError:  # pragma: no cover - a phonenumbers without it: whole-text scans, as Presidio does
    _PATTERN = None

DIGIT = re.compile(r"\d")
MAX_TRIES = 65535  # phonenumbers' default budget of failed candidates per matcher


def _class_items(nodes, items: list[str]) -> bool:
    """Collect the characters a parsed pattern can match into `items` (character-class syntax); False when the
    pattern holds anything but literals, classes, groups, repeats and alternatives (a lookaround, an anchor...)."""
    for op, arg in nodes:
        name = str(op)
        if name == "LITERAL":
            items.append(re.escape(chr(arg)))
        elif name == "IN":
            for item_op, item_arg in arg:
                item = str(item_op)
                if item == "LITERAL":
                    items.append(re.escape(chr(item_arg)))
                elif item == "RANGE":
                    items.append(f"{re.escape(chr(item_arg[0]))}-{re.escape(chr(item_arg[1]))}")
                elif item == "CATEGORY" and str(item_arg) in ("CATEGORY_DIGIT", "CATEGORY_SPACE", "CATEGORY_WORD"):
                    items.append({"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}[str(item_arg)])
                else:
                    return False
        elif name == "SUBPATTERN":
            if arg[1] or arg[2] or not _class_items(arg[3], items):  # no inline flags
                return False
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            if not _class_items(arg[2], items):
                return False
        elif name == "BRANCH":
            if not all(_class_items(branch, items) for branch in arg[1]):
                return False
        else:
            return False
    return True


@lru_cache(maxsize=1)
def candidate_chars() -> re.Pattern | None:
    """One character phonenumbers' candidate pattern can match anywhere, under its flags; None when unreadable."""
    items: list[str] = []
    if _PATTERN is None or not _class_items(sre_parse.parse(_PATTERN.pattern, _PATTERN.flags), items):
        return None
    chars = re.compile("[" + "".join(items) + "]", _PATTERN.flags)
    if not all(chars.match(c) for c in ":0123456789") or not hasattr(PhoneNumberMatcher("", "US"), "_max_tries"):
        return None  # a time's ":30" must lie in a stretch, and the budget must be readable (see window_matches)
    return chars


def stretches(text: str) -> list[tuple[int, int]] | None:
    """(start, end) of the runs of candidate characters holding a digit; None when the pattern is unreadable."""
    chars = candidate_chars()
    if chars is None:
        return None
    runs = re.compile(chars.pattern + "+", chars.flags)
    found, position = [], 0
    while (digit := DIGIT.search(text, position)) is not None:
        start = digit.start()
        while start > 0 and chars.match(text, start - 1):
            start -= 1
        end = runs.match(text, digit.start()).end()
        found.append((start, end))
        position = end
    return found


def window_matches(text: str, region: str, leniency, spans: list[tuple[int, int]],
                   max_tries: int = MAX_TRIES) -> list[PhoneNumberMatch]:
    """The matches of PhoneNumberMatcher(text, region, leniency, max_tries), found stretch by stretch; the budget of
    failed candidates is carried from one stretch to the next as the whole-text matcher spends it."""
    found, tries = [], max_tries
    for start, end in spans:
        if tries <= 0:
            break
        left = max(0, start - 1)
        matcher = PhoneNumberMatcher(text[left:end + 1], region, leniency=leniency, max_tries=tries)
        found += [PhoneNumberMatch(left + match.start, match.raw_string, match.number) for match in matcher]
        tries = matcher._max_tries  # the matcher keeps no public count of the budget it has left
    return found


class WindowedPhoneRecognizer(PhoneRecognizer):
    """PhoneRecognizer.analyze, its loop unchanged, over `window_matches`."""

    def analyze(self, text, entities, nlp_artifacts=None):
        spans = stretches(text)
        if spans is None:
            return super().analyze(text, entities, nlp_artifacts)
        results = []
        for region in self.supported_regions:
            for match in window_matches(text, region, self.leniency, spans):
                try:
                    parsed_number = phonenumbers.parse(text[match.start:match.end])
                    region = phonenumbers.region_code_for_number(parsed_number)
                    results += [self._get_recognizer_result(match, text, region, nlp_artifacts)]
                except NumberParseException:
                    results += [self._get_recognizer_result(match, text, region, nlp_artifacts)]
        return EntityRecognizer.remove_duplicates(results)

    @classmethod
    def like(cls, recognizer: PhoneRecognizer) -> WindowedPhoneRecognizer:
        return cls(context=recognizer.context, supported_language=recognizer.supported_language,
                   supported_entity=recognizer.supported_entities[0], supported_regions=recognizer.supported_regions,
                   leniency=recognizer.leniency, name=recognizer.name)
