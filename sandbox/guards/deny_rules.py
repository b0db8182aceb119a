"""Deny rules: topics, keywords and regular expressions an admin forbids, each with its own message."""

from __future__ import annotations

import re
import re._parser as sre_parse
from typing import Literal

import re2

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.guards.normalize import deleet, normalize

MAX_MATCH_CHARS = 100_000  # rules see at most this much text
CASE_INSENSITIVE = "(?i)"


def _repeats(parsed) -> list[tuple[int, object]]:
    """(max count, body) of every repetition in a parsed pattern, outermost first, at any depth."""
    found = []
    for op, arg in parsed:
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
            found.append((arg[1], arg[2]))
            found += _repeats(arg[2])
        elif op == sre_parse.SUBPATTERN:
            found += _repeats(arg[-1])
        elif op in (sre_parse.ATOMIC_GROUP,):
            found += _repeats(arg)
        elif op == sre_parse.BRANCH:
            for branch in arg[1]:
                found += _repeats(branch)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            found += _repeats(arg[1])
    return found


def _alternates(parsed) -> bool:
    return any(op == sre_parse.BRANCH or op == sre_parse.SUBPATTERN and _alternates(arg[-1])
               or op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and _alternates(arg[2]) for op, arg in parsed)


def check_regex(pattern: str) -> None:
    """Raise ValueError, in words an admin can act on, when a pattern does not compile or may backtrack badly.

    For patterns run by a backtracking engine (Presidio's custom recognizers): the parsed pattern is walked, so a
    repetition inside a repetition is found however it is grouped (`((a+))+`, `(?:(\\w+))+`, `(.*a){20}`)."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise ValueError(f"pattern '{pattern}' is not a valid regular expression: {exc}") from None
    for count, body in _repeats(parsed):
        if count > 1 and (any(inner > 1 for inner, _ in _repeats(body)) or _alternates(body)):
            raise ValueError(f"pattern '{pattern}' repeats a repeated group or an alternation (like (a+)+ or "
                             "(a|b)*), which can take exponential time; rewrite it without nested repetition")


def compile_linear(pattern: str):
    """A deny-rule regex compiled for RE2, whose matching time grows linearly with the text, whatever the pattern.

    RE2 has no look-around or back-references; such a pattern is refused with a sentence saying so."""
    try:
        return re2.compile(CASE_INSENSITIVE + pattern)
    except re2.error as exc:
        detail = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ValueError(f"pattern '{pattern}' cannot be used: {detail}. Deny-rule patterns run on RE2, which has "
                         "no look-around ((?=, (?<!) and no back-references (\\1); rewrite it without them") from None


class DenyRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short name shown in verdicts and the audit log.")
    kind: Literal["keywords", "regex", "topic"] = Field(
        description="keywords: words or phrases matched on word boundaries; regex: Python regular expressions; "
                    "topic: phrases describing one subject, any of which fires the rule.")
    patterns: list[str] = Field(min_length=1, description="What to look for; case-insensitive, matched on text "
                                "with Unicode tricks undone (NFKC, invisible characters, look-alike letters).")
    message: str = Field(min_length=1, description="What the employee reads when the rule fires: why, and what "
                         "to do instead.")
    applies_to: Literal["input", "output", "both"] = Field("input", description="Prompts, answers, or both.")

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, patterns: list[str], info: ValidationInfo) -> list[str]:
        if any(not p.strip() for p in patterns):
            raise ValueError("patterns may not be blank")
        if info.data.get("kind") == "regex":
            for pattern in patterns:
                check_regex(pattern)  # refused in words before it runs anywhere ...
                compile_linear(pattern)  # ... and run on RE2, so a shape the check does not know stays linear
        return patterns

    def compiled(self) -> list:
        if self.kind == "regex":
            return [compile_linear(p) for p in self.patterns]
        return [re.compile(r"(?<!\w)" + re.escape(normalize(p)).replace(r"\ ", r"\s+") + r"(?!\w)")
                for p in self.patterns]


class DenyRules:
    name = "deny_rules"

    def __init__(self, rules: list[DenyRule]):
        self.rules = [(rule, rule.compiled()) for rule in rules]

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if not self.rules:
            return Verdict(self.name, Decision.ALLOW)
        folded = normalize(text[:MAX_MATCH_CHARS])
        variants = {folded, deleet(folded)}
        for rule, patterns in self.rules:
            if rule.applies_to not in ("both", ctx.stage):
                continue
            if any(p.search(v) for p in patterns for v in variants):
                return Verdict(self.name, Decision.BLOCK, rule.message, details={"rule": rule.name})
        return Verdict(self.name, Decision.ALLOW)
