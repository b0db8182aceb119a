"""Streaming without half values: text is released only up to a safe boundary, then redacted segment by segment."""

from __future__ import annotations

import re
from typing import Callable

BOUNDARY = re.compile(r"[.!?;:](?=\s)|\n")
# A period after these ends an abbreviation or an initial, not a sentence: "Dr. Jane Roe", "J. Roe", "12 Main St. W".
ABBREVIATIONS = {"mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "no", "apt", "ste", "ave", "rd",
                 "blvd", "bd", "av", "mme", "mlle", "me", "m", "inc", "ltd", "co", "corp", "vs", "etc", "p.o", "bldg",
                 "fl", "rm", "ext", "tel", "tél", "n°", "dept", "gen", "col", "capt", "lt", "sgt", "rev", "hon"}
PREVIOUS_WORD = re.compile(r"(\S+)$")
# A forced cut (no sentence end for a long while) goes only between two ordinary lowercase words, never inside a
# name, a number, an address or an email.
CONNECTORS = {"de", "du", "des", "la", "le", "les", "d", "l", "of", "van", "von", "der", "den", "da", "do", "dos",
              "del", "di", "rue", "avenue", "street", "road", "chemin", "allée", "impasse", "quai", "route", "at", "à"}
ORDINARY = re.compile(r"[a-zà-ÿ]{2,}")


def _sentence_end(buffer: str, match: re.Match) -> bool:
    if buffer[match.start()] != ".":
        return True
    word = PREVIOUS_WORD.search(buffer, 0, match.start())
    word = word.group(1).lower().lstrip("(\"'") if word else ""
    return not (word in ABBREVIATIONS or len(word) == 1)


def _safe_gap(buffer: str, before: int) -> int:
    """The end of the last space before `before` that sits between two ordinary lowercase words, or 0."""
    for match in reversed(list(re.finditer(r"(\S+)(\s+)(?=(\S+))", buffer[:before + 40]))):
        cut = match.end(2)
        if cut > before:
            continue
        left, right = match.group(1), match.group(3)
        if all(ORDINARY.fullmatch(w) and w not in CONNECTORS for w in (left, right.rstrip(",."))):
            return cut
    return 0


class SafeStream:
    """Feed pieces as they arrive; get back text that is safe to show, transformed segment by segment."""

    def __init__(self, transform: Callable[[str], str], max_hold: int = 320, keep_tail: int = 80):
        self.transform = transform
        self.max_hold = max_hold
        self.keep_tail = keep_tail
        self.buffer = ""

    def feed(self, piece: str) -> str:
        self.buffer += piece
        cut = 0
        for match in BOUNDARY.finditer(self.buffer):
            if _sentence_end(self.buffer, match):
                cut = match.end()
        if not cut and len(self.buffer) > self.max_hold:
            cut = _safe_gap(self.buffer, len(self.buffer) - self.keep_tail)
            if not cut and len(self.buffer) > 4 * self.max_hold:  # no safe gap at all: redact what is held
                cut = len(self.buffer) - self.keep_tail
        if cut <= 0:
            return ""
        ready, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return self.transform(ready)

    def flush(self) -> str:
        ready, self.buffer = self.buffer, ""
        return self.transform(ready) if ready else ""
