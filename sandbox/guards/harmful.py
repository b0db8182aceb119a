"""Harmful-request categories: a learned classifier (sandbox/guards/models/harmful.npz, trained by
training/harmful/train.py) names the closest category; the role's policy says whether it blocks, warns or passes.

A warning lets the prompt through and is recorded in the verdict (and so in the audit log).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from sandbox.guards.base import Decision, GuardContext, Verdict

HarmfulCategory = Literal["violence_weapons", "cyber_malware", "self_harm", "sexual_minors", "hate_harassment",
                          "illegal_drugs", "fraud", "privacy_violation"]
HarmfulAction = Literal["block", "warn", "allow"]
CATEGORIES: list[str] = list(get_args(HarmfulCategory))
BENIGN = "benign"
DESCRIPTIONS = {"violence_weapons": "violence or weapons", "cyber_malware": "cyber attacks or malware",
                "self_harm": "self-harm", "sexual_minors": "sexual content involving minors",
                "hate_harassment": "hate or harassment", "illegal_drugs": "illegal drugs", "fraud": "fraud",
                "privacy_violation": "violating someone's privacy"}
MODEL_PATH = Path(__file__).resolve().parent / "models" / "harmful.npz"
DEFAULT_MESSAGE = ("This request asks for help with {category}, which this sandbox may not be used for, so it was not "
                   "sent. If you need support, talk to your manager or HR.")


class HarmfulGuard:
    name = "harmful"

    def __init__(self, threshold: float = 0.5, actions: dict[str, str] | None = None, default_action: str = "block",
                 message: str = DEFAULT_MESSAGE, model_path: Path = MODEL_PATH):
        self.threshold = threshold
        self.actions = {c: (actions or {}).get(c, default_action) for c in CATEGORIES}
        self.message = message
        self.model_path = model_path

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        from sandbox.guards.text_cues import model_view
        from sandbox.guards.text_model import model_or_refusal

        if ctx.stage != "input":
            return Verdict(self.name, Decision.ALLOW)
        model, refusal = model_or_refusal(self.model_path, self.name, "harmful-request detector")
        if refusal is not None:
            return refusal
        x = model.features([model_view(text, ctx.state)])
        probabilities = model.probabilities(x)[0]
        best = 1 + int(probabilities[1:].argmax())  # class 0 is benign
        category = model.classes[best]
        score = round(model.shifted(float(1.0 - probabilities[0])), 4)
        details = {"category": category, "category_probability": round(float(probabilities[best]), 4),
                   "threshold": self.threshold, "evidence": model.evidence(x, best)}
        if score < self.threshold:
            return Verdict(self.name, Decision.ALLOW, score=score, details=details)
        action = self.actions.get(category, "block")
        details["action"] = action
        if action == "block":
            message = self.message.replace("{category}", DESCRIPTIONS.get(category, category))
            return Verdict(self.name, Decision.BLOCK, message, score=score, details=details)
        message = f"Warning recorded: the request looks like {DESCRIPTIONS.get(category, category)}." \
            if action == "warn" else ""
        return Verdict(self.name, Decision.ALLOW, message, score=score, details=details)
