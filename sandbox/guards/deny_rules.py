"""Deny rules: topics, keywords and regular expressions an admin forbids, each with its own message."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.guards.normalize import deleet, normalize

MAX_MATCH_CHARS = 100_000  # regexes see at most this much text, so a slow pattern stays bounded
# Shapes that backtrack exponentially: a quantified group whose body is itself quantified or alternates.
NESTED_QUANTIFIER = re.compile(r"\((?:\?:)?[^()]*[+*}][^()]*\)\s*[+*{]|\((?:\?:)?[^()]*\|[^()]*\)\s*[+*{]")


def check_regex(pattern: str) -> None:
    """Raise ValueError, in words an admin can act on, when a pattern does not compile or may backtrack badly."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"pattern '{pattern}' is not a valid regular expression: {exc}") from None
    if NESTED_QUANTIFIER.search(pattern):
        raise ValueError(f"pattern '{pattern}' repeats a repeated group (like (a+)+), which can take "
                         "exponential time; rewrite it without nested repetition")


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
                check_regex(pattern)
        return patterns

    def compiled(self) -> list[re.Pattern]:
        if self.kind == "regex":
            return [re.compile(p, re.IGNORECASE) for p in self.patterns]
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
