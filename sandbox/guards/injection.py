"""Prompt-injection and jailbreak detection, offline: weighted rule signals over normalised text as a first pass,
and a learned linear model (sandbox/guards/models/injection.npz, trained by training/injection/train.py) that reads
the same text plus the rule scores. The verdict's score is the larger of the two; both are in its details."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.guards.injection_signals import DIRECTIVE, DIRECTIVE_MIN, DIRECTIVE_WEIGHT, SIGNALS
from sandbox.guards.normalize import INVISIBLE, SPACES
from sandbox.guards.readings import MAX_SCAN_CHARS, readings_of
from sandbox.guards.required_strings import Presence

NON_LATIN = re.compile(r"[^\x00-\u024f]")

def _other_scripts(text: str) -> str | None:
    """The text without look-alike folding (which would garble Cyrillic and Greek words), if it has such letters."""
    if not NON_LATIN.search(text):
        return None
    return SPACES.sub(" ", unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold())


def injection_score(text: str) -> tuple[float, list[str]]:
    """Noisy-or of the strongest weight of each signal family found; returns (score, families)."""
    text = text[:MAX_SCAN_CHARS]
    variants, other = readings_of(text), _other_scripts(text)
    present = [Presence(v) for v in variants]
    best: dict[str, float] = {}
    for signal in SIGNALS:
        if signal.other_scripts:
            found = other is not None and signal.pattern.search(other)
        else:  # a pattern runs only on readings that hold the strings it needs
            found = any(p.allows(signal.needs) and signal.pattern.search(p.text) for p in present)
        if found:
            best[signal.name] = max(best.get(signal.name, 0.0), signal.weight)
    if len(DIRECTIVE.findall(variants[0])) >= DIRECTIVE_MIN:
        best["directive-stack"] = DIRECTIVE_WEIGHT
    miss = 1.0
    for weight in best.values():
        miss *= 1.0 - weight
    return round(1.0 - miss, 4), sorted(best)


MODEL_PATH = Path(__file__).resolve().parent / "models" / "injection.npz"
DENSE = ["symbol_ratio", "odd_token_ratio", "camel_ratio", "rule_score", "rule_families"]


def model_inputs(text: str, state: dict | None = None) -> tuple[str, list[float], float, list[str]]:
    """What the learned model reads: (view, dense cues, rule score, rule families). Training uses it too."""
    from sandbox.guards.text_cues import model_view, suffix_cues

    rule_score, families = injection_score(text)
    return model_view(text, state), suffix_cues(text) + [rule_score, min(len(families), 4) / 4], rule_score, families


class InjectionGuard:
    name = "injection"

    def __init__(self, threshold: float = 0.5, message: str = "This prompt looks like an attempt to override "
                 "the assistant's instructions, so it was not sent. Rephrase it as a plain question.",
                 model_path: Path = MODEL_PATH):
        self.threshold = threshold
        self.message = message
        self.model_path = model_path

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        from sandbox.guards.text_model import model_or_refusal

        if ctx.stage != "input":
            return Verdict(self.name, Decision.ALLOW)
        model, refusal = model_or_refusal(self.model_path, self.name, "injection detector")
        if refusal is not None:
            return refusal
        view, dense, rule_score, families = model_inputs(text, ctx.state)
        x = model.features([view], [dense])
        learned = round(model.shifted(float(model.probabilities(x)[0, 1])), 4)
        score = max(rule_score, learned)
        # Evidence: vocabulary n-grams (<= 5 characters or 2 words, from training text) found in the text the PII
        # guard has already redacted, so never a user's value.
        details = {"signals": families, "rule_score": rule_score, "model_score": learned,
                   "evidence": model.evidence(x, 1), "threshold": self.threshold}
        if score >= self.threshold:
            return Verdict(self.name, Decision.BLOCK, self.message, score=score, details=details)
        return Verdict(self.name, Decision.ALLOW, score=score, details=details)
