"""Prompt size: blocks a prompt that does not fit the model's context or the allowed prompt size."""

from __future__ import annotations

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.llm.tokens import count_message_tokens


class TokenCount:
    """Counts the prompt's tokens as the model will receive them (its system prompt, the conversation so far and
    the chat template) and leaves, for later guards and the gateway, the count and a way to recount."""

    name = "token_count"

    def __init__(self, context_window: dict[str, int], litellm_model: dict[str, str],
                 max_prompt_tokens: int | None = None, reserve_for_answer: int = 256,
                 system_prompt: dict[str, str] | None = None):
        self.context_window = context_window
        self.litellm_model = litellm_model
        self.max_prompt_tokens = max_prompt_tokens
        self.reserve_for_answer = reserve_for_answer
        self.system_prompt = system_prompt or {}

    def counter(self, ctx: GuardContext):
        """text -> tokens of the whole message list the model gets with `text` as the last user turn."""
        system = self.system_prompt.get(ctx.model)
        before = ([{"role": "system", "content": system}] if system else []) + list(ctx.state.get("history", []))
        litellm_model = self.litellm_model.get(ctx.model, ctx.model)
        return lambda text: count_message_tokens([*before, {"role": "user", "content": text}], litellm_model)

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if not text.strip():
            return Verdict(self.name, Decision.BLOCK, "The prompt is empty. Type a question or pick a template.")
        count = self.counter(ctx)
        tokens = count(text)
        ctx.state["prompt_tokens"] = tokens
        ctx.state["count_prompt"] = count
        window = self.context_window.get(ctx.model)
        limits = []
        if window:
            limits.append((window - self.reserve_for_answer, f"the context of '{ctx.model}'"))
        if self.max_prompt_tokens:
            limits.append((self.max_prompt_tokens, "the prompt size your policy allows"))
        for limit, what in limits:
            if tokens > limit:
                return Verdict(
                    self.name, Decision.BLOCK,
                    f"The prompt has {tokens} tokens, more than {what} ({limit}). Shorten it or start a new chat.",
                    details={"tokens": tokens, "limit": limit},
                )
        # What of the count is not the prompt itself: the system prompt and the conversation so far, sent again.
        history = list(ctx.state.get("history", []))
        alone = count_message_tokens([{"role": "user", "content": text}],
                                     self.litellm_model.get(ctx.model, ctx.model))
        return Verdict(self.name, Decision.ALLOW, details={
            "tokens": tokens, "earlier_tokens": max(0, tokens - alone), "earlier_messages": len(history),
            "system_prompt": bool(self.system_prompt.get(ctx.model))})
