"""Routing: after the input guards, the policy picks which model answers, from what the prompt contains.

A role's `routing.rules` are tried in order; the first whose `when` holds decides: `route_to` a model, `require`
model classes (`public`, `private`, `local`, declared per model in models.yaml), `block`, or nothing (allow as
asked). The model `auto` lets the policy choose: without a matching rule it is `routing.auto` (or the first model
the role may use). A prompt that a rule sent to a private or local model is kept private: no fallback to a public
model. `send_original` forwards the prompt as typed (before redaction), and only to a private or local model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, model_validator

from sandbox.guards.base import Decision, Verdict
from sandbox.guards.normalize import normalize
from sandbox.policy.company import Strict

ModelClass = Literal["public", "private", "local"]
PRIVATE = ("private", "local")
AUTO = "auto"


class RouteWhen(Strict):
    """Conditions, all of which must hold; an empty `when` matches every prompt."""

    pii_types: list[str] = Field(default_factory=list, description="Any of these personal-data types was found "
                                 "(e.g. IBAN_CODE, CREDIT_CARD).")
    min_pii_count: int | None = Field(None, ge=1, description="At least this many personal-data values found.")
    topics: list[str] = Field(default_factory=list, description="Any of these phrases appears (matched like deny "
                              "rules: case, accents and Unicode tricks undone).")
    min_injection_score: float | None = Field(None, ge=0, le=1, description="The injection score is at least this.")
    min_prompt_tokens: int | None = Field(None, ge=0, description="The prompt has at least this many tokens.")
    max_prompt_tokens: int | None = Field(None, ge=0, description="The prompt has at most this many tokens.")
    languages: list[str] = Field(default_factory=list, description="The prompt's language is one of these.")
    models: list[str] = Field(default_factory=list, description="The model asked for is one of these ('auto' too).")

    def matches_everything(self) -> bool:
        return not any(getattr(self, name) not in (None, []) for name in type(self).model_fields)


class RouteRule(Strict):
    """One routing rule: when the conditions hold, what happens, and why (shown to the employee)."""

    name: str = Field(description="Shown in the audit record and the dashboard.")
    when: RouteWhen = Field(default_factory=RouteWhen)
    route_to: str | None = Field(None, description="The model that answers.")
    require: list[ModelClass] = Field(default_factory=list, description="Only a model of these classes answers: "
                                      "the one asked for if it is one, else the first the role may use.")
    block: bool = Field(False, description="Do not send the prompt at all.")
    send_original: bool = Field(False, description="Forward the prompt as typed, not redacted; only ever to a "
                                "private or local model.")
    reason: str = Field(description="Why, completing 'because ...': 'the prompt contains a customer's IBAN'.")

    @model_validator(mode="after")
    def _one_action(self) -> "RouteRule":
        if sum([self.route_to is not None, bool(self.require), self.block]) > 1:
            raise ValueError("a rule does one of route_to, require or block")
        return self


class Routing(Strict):
    """Which model answers which prompt. First matching rule wins."""

    rules: list[RouteRule] = Field(default_factory=list)
    auto: str | None = Field(None, description="The model 'auto' means when no rule picks one (default: the first "
                             "model the role may use).")


@dataclass
class RouteFacts:
    """What routing may look at, gathered from the input guards' verdicts (types and counts, never values)."""

    text: str
    model: str
    pii: dict[str, int] = field(default_factory=dict)
    injection_score: float = 0.0
    prompt_tokens: int = 0
    language: str = ""

    @classmethod
    def gather(cls, text: str, model: str, verdicts: list[Verdict], prompt_tokens: int, language: str):
        pii: dict[str, int] = {}
        score = 0.0
        for verdict in verdicts:
            for kind, count in (verdict.details.get("entities") or {}).items():
                pii[kind] = pii.get(kind, 0) + int(count)
            if verdict.guard == "injection" and verdict.score is not None:
                score = max(score, verdict.score)
        return cls(text, model, pii, score, prompt_tokens, language)


@dataclass
class RouteDecision:
    requested: str
    model: str
    rule: str = ""
    reason: str = ""
    keep_private: bool = False  # a rule kept this prompt on private/local models: no public fallback
    send_original: bool = False
    blocked: str = ""  # the message, when the prompt must not be sent

    def verdict(self) -> Verdict:
        details = {"requested": self.requested, "model": self.model, "rule": self.rule}
        if self.blocked:
            return Verdict("routing", Decision.BLOCK, self.blocked, details=details)
        return Verdict("routing", Decision.ALLOW, self.notice(), details=details)

    def notice(self) -> str:
        """The sentence the employee reads when the answer comes from another model than the one asked for."""
        if self.model == self.requested and not self.rule:
            return ""
        because = f" because {self.reason}" if self.reason else ""
        if self.requested == AUTO:
            return f"Answered by '{self.model}' (picked for 'auto'){because}."
        if self.model == self.requested:
            return f"Answered by '{self.model}' as asked{because}."
        return f"Answered by '{self.model}' instead of '{self.requested}'{because}."


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(normalize(phrase))}(?!\w)", text) is not None


def rule_holds(when: RouteWhen, facts: RouteFacts, normalized: str) -> bool:
    checks = [
        not when.pii_types or any(facts.pii.get(t) for t in when.pii_types),
        when.min_pii_count is None or sum(facts.pii.values()) >= when.min_pii_count,
        not when.topics or any(_has_phrase(normalized, t) for t in when.topics),
        when.min_injection_score is None or facts.injection_score >= when.min_injection_score,
        when.min_prompt_tokens is None or facts.prompt_tokens >= when.min_prompt_tokens,
        when.max_prompt_tokens is None or facts.prompt_tokens <= when.max_prompt_tokens,
        not when.languages or facts.language in when.languages,
        not when.models or facts.model in when.models,
    ]
    return all(checks)


class ModelRouter:
    """Decides for one role: `classes` maps every model to its class, `usable` lists the models available here
    and allowed for the role (what `require` and `auto` pick from), `available` every model available here
    (a rule's `route_to` is the policy's own choice), both in the models file's order."""

    def __init__(self, routing: Routing, classes: dict[str, str], usable: list[str], available: list[str]):
        self.routing = routing
        self.classes = classes
        self.usable = usable
        self.available = available

    def decide(self, facts: RouteFacts) -> RouteDecision:
        normalized = normalize(facts.text)
        for rule in self.routing.rules:
            if rule_holds(rule.when, facts, normalized):
                return self._apply(rule, facts.model)
        model = facts.model
        if model == AUTO:
            model = self.routing.auto if self.routing.auto in self.usable else (self.usable or [""])[0]
            if not model:
                return RouteDecision(AUTO, "", blocked="No model is available for 'auto' right now.")
        return RouteDecision(facts.model, model)

    def _apply(self, rule: RouteRule, requested: str) -> RouteDecision:
        decision = RouteDecision(requested, requested, rule.name, rule.reason)
        if rule.block:
            decision.blocked = f"This prompt may not be sent to any model because {rule.reason}."
            return decision
        if rule.route_to is not None:
            candidates = [rule.route_to] if rule.route_to in self.available else []
        elif rule.require:
            candidates = [m for m in self.usable if self.classes.get(m) in rule.require]
            if requested in candidates:
                candidates = [requested]
        else:
            candidates = [requested] if requested != AUTO else self.usable[:1]
        if not candidates:
            wanted = rule.route_to or " or ".join(rule.require) + " model"
            decision.blocked = (f"This prompt may only go to {wanted} because {rule.reason}, and none is "
                                "available right now, so it was not sent.")
            return decision
        decision.model = candidates[0]
        private = self.classes.get(decision.model) in PRIVATE
        decision.keep_private = private and (rule.route_to is not None or bool(rule.require))
        decision.send_original = rule.send_original and private
        return decision
