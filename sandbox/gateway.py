"""The one request path: identity, input guards, model call, output guards, audit record, usage."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterator, Protocol

from sandbox.guards.base import Decision, Guard, GuardContext, Verdict, overall, run_guards
from sandbox.llm.client import ModelCallError, ModelClient, StreamOutcome
from sandbox.llm.tokens import count_tokens
from sandbox.pii.language import detect_language
from sandbox.pii.stream import SafeStream
from sandbox.pii.vault import PLACEHOLDER
from sandbox.policy.routing import RouteFacts
from sandbox.store.db import DB_ERRORS, StoreError
from sandbox.store.interactions import InteractionLog


@dataclass
class ChatRequest:
    user: str
    prompt: str
    model: str
    role: str = "employee"
    conversation_id: str = ""
    history: list[dict] = field(default_factory=list)  # earlier turns, as they were forwarded
    max_tokens: int = 512
    channel: str = "ui"  # the front it came through: ui, cli or api
    api_key_id: str | None = None  # the API key's id (never the key) for channel api
    interaction_id: str = ""  # chosen by the caller when it must name the record before the answer (streams)


@dataclass
class ChatResult:
    interaction_id: str
    conversation_id: str
    status: str  # ok, blocked, error
    decision: str  # allow, redact, block
    answer: str  # what the user sees
    message: str  # why it was blocked or failed, in one sentence; empty when ok
    forwarded_prompt: str  # the prompt as the model received it ("" when nothing was sent)
    verdicts: list[dict]
    model: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    recorded_answer: str = ""  # the answer as the audit log holds it (redacted); what later turns resend
    notice: str = ""  # what the employee should know besides the answer: which model answered instead, and why
    recorded_prompt: str = ""  # the prompt as the audit log holds it (redacted); what later turns resend
    invented: list[str] = field(default_factory=list)  # placeholders in the answer the conversation never assigned

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GuardPipeline:
    """The guards in force for one request, in order, and the policy version they come from."""

    input: list[Guard]
    output: list[Guard]
    policy_version: str
    max_output_tokens: int = 512
    router: object | None = None  # a ModelRouter when the role's policy routes prompts to models


class PolicySource(Protocol):
    def pipeline_for(self, role: str) -> GuardPipeline: ...


class Gateway:
    def __init__(self, log: InteractionLog, client: ModelClient, policy: PolicySource,
                 clock: Callable[[], float] = time.perf_counter):
        self.log = log
        self.client = client
        self.policy = policy
        self.clock = clock

    def handle(self, request: ChatRequest) -> ChatResult:
        """The whole answer at once (the CLI); same path as `stream`."""
        for event in self.stream(request):
            if isinstance(event, ChatResult):
                return event
        raise RuntimeError("the gateway ended without a result")  # pragma: no cover

    def stream(self, request: ChatRequest) -> Iterator[str | ChatResult]:
        """Yield the answer's text pieces as they arrive, then one ChatResult."""
        started = self.clock()
        conversation_id = request.conversation_id or uuid.uuid4().hex
        pipeline = self.policy.pipeline_for(request.role)
        ctx = GuardContext(user=request.user, role=request.role, model=request.model,
                           conversation_id=conversation_id)
        ctx.state["history"] = request.history
        forwarded, verdicts = run_guards(pipeline.input, request.prompt, ctx)
        route = None
        if pipeline.router is not None and overall(verdicts) is not Decision.BLOCK:
            route = pipeline.router.decide(RouteFacts.gather(
                forwarded, request.model, verdicts, ctx.state.get("prompt_tokens", 0), detect_language(forwarded)))
            if route.blocked or route.notice():
                verdicts.append(route.verdict())
        model = route.model if route and not route.blocked else request.model
        guard_ms = (self.clock() - started) * 1000
        blocked = overall(verdicts) is Decision.BLOCK
        try:
            record = dict(
                user=request.user, role=request.role, model=model,
                conversation_id=conversation_id, turn=self.log.next_turn(conversation_id),
                policy_version=pipeline.policy_version, tokens_in=ctx.state.get("prompt_tokens", 0),
                channel=request.channel, api_key_id=request.api_key_id,
                **({"requested_model": request.model, "route_rule": route.rule or None,
                    "route_reason": route.reason or None} if route else {}),
            )
            stored_prompt = _recordable_prompt(pipeline, forwarded, verdicts, ctx) if blocked else forwarded
            # Recorded before the call: a crash or a hung model still leaves the interaction in the log.
            interaction_id = self.log.start(**record, id=request.interaction_id or None, prompt=stored_prompt,
                                            verdicts=_records(verdicts))
        except StoreError as exc:  # fail closed: no record, no model call
            try:
                _settle(pipeline, ctx, 0, "")
            except DB_ERRORS:  # the database is down: the reservation is released by the stale sweep
                pass
            yield ChatResult("", conversation_id, "error", "block", "", str(exc), "", _records(verdicts),
                             request.model, 0, 0, (self.clock() - started) * 1000)
            return
        if blocked:
            blocker = verdicts[-1]
            latency = (self.clock() - started) * 1000
            unrecorded = self._finish(pipeline, ctx, interaction_id, 0, status="blocked", decision="block", answer="",
                                      latency_ms=latency, guard_ms=guard_ms, tokens_in=record["tokens_in"])
            yield ChatResult(interaction_id, conversation_id, "blocked", "block", "", unrecorded or blocker.message,
                             "", _records(verdicts), model, record["tokens_in"], 0, latency)
            return

        if route and route.send_original:  # the policy sends this prompt as typed, to a private or local model
            forwarded = request.prompt
        messages = [*request.history, {"role": "user", "content": forwarded}]
        outcome = StreamOutcome(tokens_in=record["tokens_in"])
        max_tokens = _answer_cap(request.max_tokens, pipeline.max_output_tokens, forwarded, ctx)
        parts: list[str] = []
        shown = SafeStream(ctx.state["stream_display"]) if "stream_display" in ctx.state else None
        model_started = self.clock()
        failure: ModelCallError | None = None
        pieces = self.client.stream(model, messages, max_tokens, outcome,
                                    keep_private=bool(route and route.keep_private))
        out_ctx = GuardContext(user=request.user, role=request.role, model=model, stage="output",
                               conversation_id=conversation_id, state=ctx.state)
        try:
            for piece in pieces:
                parts.append(piece)
                safe = shown.feed(piece) if shown else piece  # never a half value on screen
                if safe:
                    yield safe
            if shown and (tail := shown.flush()):
                yield tail
        except ModelCallError as exc:  # before or during the answer: what was streamed is checked and kept
            failure = exc
        except GeneratorExit:  # the caller stopped reading (the employee pressed Stop): record what arrived
            pieces.close()
            answer, out_verdicts = run_guards(pipeline.output, "".join(parts), out_ctx) if parts else ("", [])
            tokens_out = count_tokens("".join(parts)) if parts else 0
            self._finish(pipeline, ctx, interaction_id, outcome.tokens_in + tokens_out, status="interrupted",
                         decision=overall(verdicts + out_verdicts).value, answer=answer,
                         verdicts=_records(verdicts) + _records(out_verdicts, "output"),
                         tokens_in=outcome.tokens_in, tokens_out=tokens_out, latency_ms=(self.clock() - started) * 1000,
                         guard_ms=guard_ms, model_ms=(self.clock() - model_started) * 1000, error_class="Stopped",
                         error_message=f"Stopped by the caller after {tokens_out} tokens.")
            raise
        model_ms = (self.clock() - model_started) * 1000

        answer, out_verdicts = run_guards(pipeline.output, "".join(parts), out_ctx) if parts else ("", [])
        all_verdicts = verdicts + out_verdicts
        decision = overall(all_verdicts)
        status, message = "ok", ""
        if decision is Decision.BLOCK:
            status, message, answer = "blocked", out_verdicts[-1].message, ""
        fields = {}
        if failure is not None:
            status, message = "error", str(failure)
            if parts:
                message += f" The answer stopped after {outcome.tokens_out} tokens."
            fields = {"error_class": failure.error_class, "error_message": message}
        latency = (self.clock() - started) * 1000
        used = outcome.tokens_in + outcome.tokens_out if failure is None or outcome.tokens_out else 0
        unrecorded = self._finish(pipeline, ctx, interaction_id, used, status=status, decision=decision.value,
                                  answer=answer, verdicts=_records(verdicts) + _records(out_verdicts, "output"),
                                  tokens_in=outcome.tokens_in,
                                  tokens_out=outcome.tokens_out, cost=outcome.cost, latency_ms=latency,
                                  guard_ms=guard_ms, model_ms=model_ms, **fields)
        if unrecorded:  # an answer the audit log does not hold is not shown
            status, message, answer = "error", unrecorded, ""
        display = ctx.state.get("restore", lambda text: text)(answer)
        knows = ctx.state.get("knows_placeholder")
        invented = sorted({m.group(0) for m in PLACEHOLDER.finditer(answer) if knows and not knows(m.group(0))})
        yield ChatResult(interaction_id, conversation_id, status, decision.value, display, message, forwarded,
                         _records(verdicts) + _records(out_verdicts, "output"), model, outcome.tokens_in,
                         outcome.tokens_out, latency, recorded_answer=answer,
                         notice=route.notice() if route else "", recorded_prompt=stored_prompt, invented=invented)

    def _finish(self, pipeline: GuardPipeline, ctx: GuardContext, interaction_id: str, used: int,
                **fields) -> str:
        """Complete the record and settle the budget; returns "" or, when the store failed, what to tell the user
        (the record stays pending and its reservation held until the stale sweep closes them)."""
        try:
            self.log.finish(interaction_id, **fields)
            _settle(pipeline, ctx, used, interaction_id)
        except (StoreError, *DB_ERRORS) as exc:
            what = str(exc).rstrip(".") if isinstance(exc, StoreError) else \
                f"The budget could not be settled ({type(exc).__name__})"
            sent = "The model was called, but " if fields.get("status") != "blocked" else "The request was blocked, but "
            return f"{sent}{what[0].lower()}{what[1:]}."
        return ""


def _recordable_prompt(pipeline: GuardPipeline, text: str, verdicts: list[Verdict], ctx: GuardContext) -> str:
    """The blocked prompt as the audit log may keep it: redacted by the policy's PII guard, or nothing.

    A guard that runs before the PII guard (size, model access, rate limit) can block a prompt nobody redacted.
    """
    if ctx.state.get("withhold_prompt"):
        return ""
    pii = next((g for g in pipeline.input if g.name == "pii"), None)
    if pii is None or any(v.guard == "pii" for v in verdicts):
        return text  # no PII protection in this policy, or the text already went through it
    check_ctx = GuardContext(user=ctx.user, role=ctx.role, model=ctx.model, conversation_id=ctx.conversation_id,
                             dry_run=True)
    _, checked = run_guards([pii], text, check_ctx)
    verdict = checked[-1]
    if verdict.decision is Decision.BLOCK:
        return ""
    return verdict.text if verdict.decision is Decision.REDACT and verdict.text is not None else text


def _answer_cap(asked: int, policy_max: int, forwarded: str, ctx: GuardContext) -> int:
    """The longest answer to ask for: what the caller and the policy allow, and never more than the budget
    reserved once the prompt as sent is counted (a guard after the reservation may have lengthened it)."""
    cap = min(asked, policy_max)
    reserved = ctx.state.get("reserved")
    if reserved and "count_prompt" in ctx.state:
        cap = min(cap, reserved["answer"] - max(0, ctx.state["count_prompt"](forwarded) - reserved["prompt"]))
    return max(1, cap)


def _settle(pipeline: GuardPipeline, ctx: GuardContext, used: int, interaction_id: str) -> None:
    """Tell budget guards what the request really used (releases a reservation when nothing was)."""
    for guard in pipeline.input:
        settle = getattr(guard, "settle", None)
        if settle is not None:
            settle(ctx, used, interaction_id)


def _records(verdicts: list[Verdict], stage: str = "") -> list[dict]:
    """Verdicts as stored; the answer's checks carry `stage: output` so a reader can tell them from the prompt's."""
    return [{**v.record(), "stage": stage} if stage else v.record() for v in verdicts]
