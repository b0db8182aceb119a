"""Running a policy's input guards on a text without calling a model or spending budget."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.guards.base import Decision, GuardContext, Verdict, overall, run_guards
from sandbox.pii.language import detect_language
from sandbox.policy.routing import RouteFacts


@dataclass
class DryRun:
    decision: str
    verdicts: list[Verdict]
    text_out: str
    route: dict | None = None  # the routing decision: {model, requested, rule, reason, keep_private}

    def to_dict(self, item_id=None) -> dict:
        out = {
            "id": item_id,
            "decision": self.decision,
            "reasons": [{"guard": v.guard, "message": v.message or _describe(v)}
                        for v in self.verdicts if v.decision is not Decision.ALLOW],
            "text_out": self.text_out,
            # Each guard that ran: its decision, score and details (counts, categories, evidence n-grams; never
            # raw values). A harmful-request warning shows here as decision allow with details.action "warn".
            "verdicts": [_verdict(v) for v in self.verdicts],
        }
        if self.route is not None:
            out["route"] = self.route
        return out


def _verdict(verdict: Verdict) -> dict:
    out = {"guard": verdict.guard, "decision": verdict.decision.value, "score": verdict.score}
    if verdict.message and verdict.decision is Decision.ALLOW:
        out["message"] = verdict.message
    return {**out, "details": verdict.details}


def _describe(verdict: Verdict) -> str:
    details = ", ".join(f"{k}: {v}" for k, v in verdict.details.items())
    return f"{verdict.decision.value} ({details})" if details else verdict.decision.value


def dry_run(policy, text: str, *, role: str, user: str, model: str, every_guard: bool = False) -> DryRun:
    """`policy` is an ActivePolicy; nothing is counted, reserved or recorded. With `every_guard`, the guards after
    a block run too (on the text as the guards before them left it), so a policy test shows all that would apply;
    `text_out` is then that text even when blocked (`decision` says whether it would be sent)."""
    pipeline = policy.pipeline_for(role)
    ctx = GuardContext(user=user, role=role, model=model, dry_run=True)
    text_out, verdicts = run_guards(pipeline.input, text, ctx, stop_at_block=not every_guard)
    route = None
    if pipeline.router is not None and overall(verdicts) is not Decision.BLOCK:
        chosen = pipeline.router.decide(RouteFacts.gather(text_out, model, verdicts, ctx.state.get("prompt_tokens", 0),
                                                          detect_language(text_out)))
        if chosen.blocked:
            verdicts.append(chosen.verdict())
        route = {"model": chosen.model, "requested": model, "rule": chosen.rule, "reason": chosen.reason,
                 "keep_private": chosen.keep_private, "send_original": chosen.send_original}
    decision = overall(verdicts)
    return DryRun(decision.value, verdicts, "" if decision is Decision.BLOCK and not every_guard else text_out, route)
