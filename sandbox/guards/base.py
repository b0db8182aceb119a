"""The one interface every guard implements, and the loop that runs guards in order, failing closed."""

from __future__ import annotations

import concurrent.futures
import time
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Protocol


GUARD_TIMEOUT_S = 5.0  # per guard, unless the guard states its own `timeout_s`
# Guards run on these threads so the request thread can give up on one that overruns (the thread itself cannot be
# stopped; a guard that hangs keeps its worker, and once all are taken every guard times out: still closed).
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="guard")


class Decision(str, Enum):
    ALLOW = "allow"
    REDACT = "redact"  # the text goes on, transformed
    BLOCK = "block"


@dataclass
class GuardContext:
    """What a guard may know about the request besides the text it checks."""

    user: str
    role: str
    model: str
    stage: str = "input"  # "input" (prompt) or "output" (answer)
    conversation_id: str = ""
    dry_run: bool = False  # a dry run checks without spending budget or counting requests
    state: dict[str, Any] = field(default_factory=dict)  # shared by guards for one request


@dataclass
class Verdict:
    guard: str
    decision: Decision
    message: str = ""  # a sentence the employee can read
    text: str | None = None  # the transformed text when decision is REDACT
    score: float | None = None
    details: dict[str, Any] = field(default_factory=dict)  # counts and types only, never raw values
    ms: float = 0.0

    def record(self) -> dict:
        data = asdict(self)
        data.pop("text")
        data["decision"] = self.decision.value
        return data


class Guard(Protocol):
    name: str

    def check(self, text: str, ctx: GuardContext) -> Verdict: ...


def _time_limit(guard: Guard) -> float:
    """A guard's own limit (the PII scan's policy timeout) plus a margin, or the default."""
    own = getattr(guard, "timeout_s", None)
    return own + 1.0 if own else GUARD_TIMEOUT_S


def run_guards(guards: list[Guard], text: str, ctx: GuardContext,
               stop_at_block: bool = True) -> tuple[str, list[Verdict]]:
    """Run guards in order on `text`; stop at the first block (unless `stop_at_block` is False, for a policy test
    that shows what every guard thinks). A guard that raises or overruns its time limit blocks (fail closed): one
    slow rule must not hold the request, or the server, hostage."""
    verdicts: list[Verdict] = []
    for guard in guards:
        started = time.perf_counter()
        limit = _time_limit(guard)
        try:
            verdict = _pool.submit(guard.check, text, ctx).result(timeout=limit)
        except concurrent.futures.TimeoutError:
            verdict = Verdict(
                guard=guard.name, decision=Decision.BLOCK,
                message=f"The {guard.name} check took longer than {limit:g} s, so the request was stopped. "
                        "Try again; if it keeps happening, tell an admin.",
                details={"error_class": "GuardTimeout"},
            )
        except Exception as exc:  # fail closed; the class name only, the message may hold user text
            verdict = Verdict(
                guard=guard.name, decision=Decision.BLOCK,
                message=f"The {guard.name} check failed ({type(exc).__name__}), so the request was stopped.",
                details={"error_class": type(exc).__name__},
            )
        verdict.ms = round((time.perf_counter() - started) * 1000, 3)
        verdicts.append(verdict)
        if verdict.decision is Decision.BLOCK and stop_at_block:
            break
        if verdict.decision is Decision.REDACT and verdict.text is not None:
            text = verdict.text
    return text, verdicts


def overall(verdicts: list[Verdict]) -> Decision:
    decisions = {v.decision for v in verdicts}
    for decision in (Decision.BLOCK, Decision.REDACT):
        if decision in decisions:
            return decision
    return Decision.ALLOW
