"""Strings a regex match cannot do without, read from the pattern itself, so a pattern whose words are absent from a
text is never run on it. The injection rules are about 70 patterns tried on two or three readings of each prompt:
Python's engine spends about 35 microseconds per pattern on a 200-token prompt even when nothing matches, and
ordinary prompts hold the key words of few of them.

`requirements(pattern)` gives a list of sets: every match contains at least one string of each set. They come from
literal runs, from groups, alternatives (one set per alternative, joined) and repeats taken at least once. What
cannot be read safely gives no requirement (the pattern is then simply tried): case-insensitive parts, character
classes, optional parts. A requirement whose shortest string is under MIN_LENGTH characters is dropped, as almost
every text holds it. tests/test_guards_injection.py checks on every example that a gated pattern matches exactly
where the full pattern does.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser behind `re.compile` and its constants (Python >= 3.11)
from re import _parser as sre_parse

MIN_LENGTH = 3
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


def requirements(pattern: re.Pattern) -> list[frozenset[str]]:
    """Sets of strings, one of each of which every match of `pattern` contains; the most selective first."""
    if pattern.flags & (re.IGNORECASE | re.LOCALE):
        return []
    try:
        found = _needed(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, TypeError, ValueError, AttributeError):  # a parser detail we do not know: try the pattern
        return []
    kept = {need for need in found if min(map(len, need)) >= MIN_LENGTH}
    return sorted(kept, key=lambda need: (-min(map(len, need)), sorted(need)))


def _needed(items) -> list[frozenset[str]]:
    needs, run = [], ""
    for op, arg in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(arg)
            continue
        if run:  # a run of literal characters is matched exactly as written
            needs.append(frozenset([run]))
            run = ""
        if op is sre.SUBPATTERN:
            _, add_flags, del_flags, inner = arg
            if not (add_flags or del_flags):  # (?i:...) would change what the literals match
                needs += _needed(inner)
        elif op is sre.BRANCH:
            chosen: set[str] = set()
            for alternative in arg[1]:
                inner = _needed(alternative)
                if not inner:  # one alternative needs nothing: the whole group needs nothing
                    chosen = set()
                    break
                chosen |= max(inner, key=lambda need: min(map(len, need)))
            if chosen:
                needs.append(frozenset(chosen))
        elif op in REPEATS and arg[0] >= 1:  # taken at least once
            needs += _needed(arg[2])
    return needs


class Presence:
    """Whether strings occur in one text, each looked up once."""

    def __init__(self, text: str):
        self.text = text
        self.seen: dict[str, bool] = {}

    def __call__(self, string: str) -> bool:
        found = self.seen.get(string)
        if found is None:
            found = self.seen[string] = string in self.text
        return found

    def allows(self, needs: list[frozenset[str]]) -> bool:
        """The text holds one string of every requirement, so the pattern may match it."""
        return all(any(self(s) for s in need) for need in needs)
