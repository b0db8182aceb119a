"""Prompt-injection and jailbreak detection, offline: weighted signals over normalised text, one score."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.guards.normalize import deleet, normalize

MAX_SCAN_CHARS = 20_000

_ANY = r"(?:\s+\S+){0,4}?"  # up to four words in between
_PRIOR = r"(?:previous|prior|above|earlier|preceding|initial|original|system|developer|existing|all|any|your|the|these|those|my)"
_RULES = (r"(?:instructions?|rules?|prompts?|directions?|directives?|guidelines?|guidance|context|constraints?|"
          r"programming|commands?|orders?|policies|policy|restrictions?|filters?|training|settings)")


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    pattern: re.Pattern


def _signal(name: str, weight: float, pattern: str) -> Signal:
    return Signal(name, weight, re.compile(pattern))


SIGNALS = [
    # "Ignore the previous instructions", "disregard all rules above", "forget everything you were told".
    _signal("override", 0.9, rf"\b(?:ignore|disregard|forget|skip|bypass|override|overrule|abandon|drop|neglect)"
                             rf"{_ANY}\s+{_PRIOR}{_ANY}\s+{_RULES}\b"),
    _signal("override", 0.8, r"\b(?:forget|ignore|disregard) (?:everything|all(?: of)? that|what) (?:you|i|we|was|has|that)"),
    _signal("override", 0.7, rf"\b(?:do not|don't|dont|never|stop) (?:follow|obey|respect|adhere to|comply with)"
                             rf"{_ANY}\s+{_RULES}\b"),
    _signal("new-instructions", 0.6, r"\b(?:new|updated|real|true|actual|secret|hidden) (?:instructions?|rules?|task|"
                                     r"objective|directive)s?\b\s*[:\-]"),
    _signal("new-instructions", 0.5, r"\bfrom now on\b|\bstarting now\b|\bhenceforth\b|\bfor the rest of (?:this|the) "
                                     r"conversation\b"),
    # Persona jailbreaks.
    _signal("persona", 0.9, r"\b(?:dan|stan|dude|aim|kevin|apophis|mongo tom|betterdan|evil ?bot|jailbroken?)\b"
                            r"(?:.{0,80})\b(?:do anything|no (?:restrictions|limits|rules|filters|ethics|morals)|"
                            r"unfiltered|uncensored|can do anything|stands? for)"),
    _signal("persona", 0.9, r"\bdo anything now\b|\bdeveloper mode\b|\bdev mode\b|\bjailbreak(?:ed|ing)?\b|"
                            r"\bgod ?mode\b|\bunrestricted mode\b|\bdan mode\b"),
    _signal("persona", 0.6, r"\b(?:you are|you're|you will be|act as|acting as|pretend (?:to be|you are|you're)|"
                            r"roleplay as|role-play as|play the role of|behave (?:like|as)|simulate|become) "
                            r"(?:an? |the |my )?(?:\w+ ){0,3}(?:ai|assistant|chatbot|model|bot|character|persona|"
                            r"entity|version)\b"),
    _signal("no-limits", 0.7, r"\b(?:without|no|free (?:of|from)|not bound by|not restricted by|break free of|"
                              r"ignores?|beyond) (?:any |all |the |your |its )?(?:\w+ )?(?:restrictions?|limitations?|"
                              r"limits|filters?|censorship|rules|guidelines|ethics|ethical (?:guidelines|constraints)|"
                              r"morals|moral|policies|content polic(?:y|ies)|safeguards|boundaries)\b"),
    _signal("no-limits", 0.6, r"\b(?:openai|anthropic|content) polic(?:y|ies)\b|\bstay in character\b|"
                              r"\bbreak(?:ing)? character\b|\bnever refuse\b|\bcannot refuse\b|\bcan't refuse\b|"
                              r"\bmust (?:always )?(?:answer|comply|obey)\b|\bwill not refuse\b"),
    _signal("dual-answer", 0.6, r"\b(?:two|2|both) (?:different )?(?:responses|answers|paragraphs|ways)\b.{0,120}"
                                r"\b(?:normal|classic|filtered|censored)\b"),
    # Getting the hidden prompt out.
    _signal("extraction", 0.8, r"\b(?:reveal|show|print|repeat|output|display|disclose|leak|tell me|give me|write out|"
                               r"what (?:is|are|was|were))\b(?:\s+\S+){0,3}\s+(?:system|initial|hidden|secret|original|"
                               r"developer|internal|pre-?prompt|first)\s+(?:prompt|instructions?|message|rules?)"),
    _signal("extraction", 0.7, r"\b(?:repeat|print|output) (?:the |all )?(?:text|words|everything) (?:above|before|"
                               r"prior)\b|\bbeginning with ['\"]?you are\b"),
    _signal("extraction", 0.7, r"\b(?:list|repeat|relay|recite|dump|share|reveal|print|show|output|respond with|"
                               r"tell me|give me|copy|paste|summari[sz]e)\b(?:\s+\S+){0,6}?\s+(?:your|you have been "
                               r"given|you were given|you've been given|you received)\b(?:\s+\S+){0,4}?\s*"
                               r"(?:instructions?|system prompt|prompt|parameters|configuration|guidelines|rules)\b"),
    _signal("extraction", 0.6, r"\b(?:every|all|each|any) (?:of )?(?:the )?instructions? (?:you have|you've|you were|"
                               r"that you)\b|\binstructions? (?:verbatim|word for word|as they are)\b"),
    _signal("secrets", 0.6, r"\b(?:passwords?|credentials|api keys?|secrets?|tokens?)\b(?:\s+\S+){0,3}\s+"
                            r"(?:in|from|stored in|inside) (?:your|the) (?:database|system|memory|training data|"
                            r"config(?:uration)?|environment)\b"),
    _signal("persona", 0.6, r"\b(?:pretend|act|roleplay|role-play|imagine)\b(?:\s+\S+){0,3}\s+(?:my|a) "
                            r"(?:late |deceased |dead )?(?:grandmother|grandma|granny|grandfather|mother)\b"),
    _signal("no-limits", 0.7, r"\b(?:safe(?:ty)? mode|safety|filters?|guardrails?|restrictions?|censorship) "
                              r"(?:is |are |now )?(?:off|disabled|deactivated|removed|lifted)\b|"
                              r"\bunrestricted (?:ai|bot|assistant|model|chatbot|version)\b"),
    _signal("new-instructions", 0.6, r"\b(?:begin|start|end)\w* (?:of )?(?:new |out of date |old |previous )?"
                                     r"instructions?\b|\breprogram\w*\b|\bsystem (?:upgrade|update|override)\b"),
    _signal("new-instructions", 0.35, r"\bnew instructions?\b"),
    _signal("override", 0.6, r"\bignore (?:the |this |that |any )?(?:image|qr code|picture|document|file|attachment|"
                             r"system prompt\w*|prompt|text above|content above|preceding)\b"),
    _signal("hijack", 0.5, r"\b(?:every time|whenever|each time|anytime) (?:a |the )?users? (?:asks?|says?|mentions?|"
                           r"types?|requests?)\b.{0,120}\b(?:reply|respond|answer|say|tell)\b|"
                           r"\bstop everything\b|\b(?:print|repeat|output)\w*\b.{0,40}\bverbatim\b|"
                           r"\b(?:just|only) print\b\s*:|\bhijack\w*\b"),
    _signal("hijack", 0.5, r"\b(?:delete|erase|wipe|destroy) (?:all|every|the entire)\b(?:\s+\S+){0,2}\s+"
                           r"(?:data|files|records|database|emails|accounts)\b"),
    # Fake turns and delimiters pretending to come from the system.
    _signal("fake-turn", 0.6, r"(?:^|\n)\s*(?:#{2,}\s*)?(?:system|assistant|developer|admin)\s*(?:message|prompt)?\s*:"
                              r"|<\|im_start\|>|<\|system\|>|\[/?(?:inst|system)\]|<<sys>>|</?system>"),
    _signal("fake-turn", 0.5, r"<!--.{0,200}(?:instruction|ignore|system).{0,200}-->"),
    # Other languages: French, German, Spanish, Italian, Portuguese.
    _signal("override", 0.9, r"\b(?:ignore[rz]?|oublie[rz]?|ne tiens pas compte)\b.{0,40}\b(?:instructions?|"
                             r"consignes?|regles|directives)\b"),
    _signal("override", 0.9, r"\b(?:ignoriere|ignorieren|vergiss|vergessen sie|missachte)\b.{0,40}\b(?:anweisungen|"
                             r"anweisung|regeln|vorgaben|instruktionen)\b"),
    _signal("override", 0.9, r"\b(?:ignora|ignore|olvida|olvide|ignorar|esquece|esqueca|dimentica)\b.{0,40}"
                             r"\b(?:instrucciones|instrucoes|istruzioni|reglas|regras|regole|indicaciones)\b"),
    # Payload smuggling and output hijacking.
    _signal("hijack", 0.5, r"\b(?:instead|rather),? (?:just )?(?:say|print|write|output|respond with|reply with)\b|"
                           r"\b(?:only|just) (?:say|print|output|respond with|reply with) ['\"]"),
    _signal("hijack", 0.4, r"\bi am (?:your|the) (?:developer|creator|admin|administrator|owner)\b|"
                           r"\b(?:admin|sudo|root|maintenance|debug) (?:mode|access|override)\b"),
]
BASE64_BLOB = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def _decoded_payloads(text: str) -> list[str]:
    found = []
    for blob in BASE64_BLOB.findall(text)[:5]:
        try:
            decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.isprintable():
            found.append(decoded)
    return found


def injection_score(text: str) -> tuple[float, list[str]]:
    """Noisy-or of the strongest weight of each signal family found; returns (score, families)."""
    folded = normalize(text[:MAX_SCAN_CHARS])
    variants = [folded, deleet(folded)] + [normalize(p) for p in _decoded_payloads(text[:MAX_SCAN_CHARS])]
    best: dict[str, float] = {}
    for signal in SIGNALS:
        if any(signal.pattern.search(v) for v in variants):
            best[signal.name] = max(best.get(signal.name, 0.0), signal.weight)
    miss = 1.0
    for weight in best.values():
        miss *= 1.0 - weight
    return round(1.0 - miss, 4), sorted(best)


class InjectionGuard:
    name = "injection"

    def __init__(self, threshold: float = 0.5, message: str = "This prompt looks like an attempt to override "
                 "the assistant's instructions, so it was not sent. Rephrase it as a plain question."):
        self.threshold = threshold
        self.message = message

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if ctx.stage != "input":
            return Verdict(self.name, Decision.ALLOW)
        score, families = injection_score(text)
        details = {"signals": families, "threshold": self.threshold}
        if score >= self.threshold:
            return Verdict(self.name, Decision.BLOCK, self.message, score=score, details=details)
        return Verdict(self.name, Decision.ALLOW, score=score, details=details)
