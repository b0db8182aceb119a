"""Model calls through litellm's Router: timeouts, retries, fallbacks and streaming from the models file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import litellm
from litellm import Router

from sandbox.llm.registry import ModelEntry, ModelRegistry
from sandbox.llm.tokens import count_tokens

litellm.telemetry = False
litellm.suppress_debug_info = True


class ModelCallError(RuntimeError):
    """A model call failed; `str()` is a sentence for the employee, `error_class` the underlying type."""

    def __init__(self, message: str, error_class: str):
        super().__init__(message)
        self.error_class = error_class


@dataclass
class StreamOutcome:
    """Filled while a stream is consumed: what the model used and which deployment answered."""

    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    answered_by: str = ""
    usage_reported: bool = False
    extra: dict = field(default_factory=dict)


class ModelClient:
    """Calls the available models of a registry; the embedded one at `local_url`."""

    def __init__(self, registry: ModelRegistry, local_url: str | None, local_key: str | None = None,
                 unavailable_reason: Callable[[str], str | None] = lambda model: None):
        self.registry = registry
        self.local_url = local_url
        self.local_key = local_key or "sk-no-key"  # an external local server may ask for none
        self.unavailable_reason = unavailable_reason  # e.g. the embedded model is restarting
        entries = [m for m in registry.available() if not m.embedded or local_url]
        self.names = {m.name for m in entries}
        self.router = self._router(entries, lambda name: True)
        # For prompts a routing rule kept private: the same models, with no fallback onto a public one.
        classes = {m.name: m.model_class for m in registry.all}
        self.private_router = self._router(entries, lambda name: classes.get(name) != "public")

    def _router(self, entries: list[ModelEntry], may_fall_back_to: Callable[[str], bool]) -> Router | None:
        if not entries:
            return None
        settings = self.registry.spec.settings
        chains = {name: [f for f in chain if f in self.names and may_fall_back_to(f)]
                  for name, chain in settings.fallbacks.items() if name in self.names}
        return Router(
            model_list=[{"model_name": m.name, "litellm_params": self._params(m)} for m in entries],
            timeout=settings.timeout,
            stream_timeout=settings.timeout,
            num_retries=settings.num_retries,
            fallbacks=[{name: chain} for name, chain in chains.items() if chain],
        )

    def _params(self, entry: ModelEntry) -> dict:
        params = entry.resolved_params(self.registry.env)
        if entry.embedded:
            params.update(api_base=self.local_url, api_key=self.local_key)
        return params

    def stream(self, model: str, messages: list[dict], max_tokens: int, outcome: StreamOutcome,
               keep_private: bool = False) -> Iterator[str]:
        """Yield the answer's text as it arrives; `outcome` holds usage once the generator is exhausted.
        `keep_private`: never fall back onto a public model."""
        if self.router is None or model not in self.names:
            raise ModelCallError(f"The model '{model}' is not available here.", "ModelUnavailable")
        if reason := self.unavailable_reason(model):
            raise ModelCallError(reason, "ModelRestarting")
        entry = self.registry.get(model)
        if entry and entry.system_prompt and (not messages or messages[0].get("role") != "system"):
            messages = [{"role": "system", "content": entry.system_prompt}, *messages]
        parts: list[str] = []
        try:
            router = self.private_router if keep_private else self.router
            response = router.completion(
                model=model, messages=messages, stream=True, max_tokens=max_tokens,
                stream_options={"include_usage": True},
            )
            for chunk in response:
                usage = getattr(chunk, "usage", None)
                if usage and getattr(usage, "completion_tokens", None):
                    outcome.tokens_in = usage.prompt_tokens or outcome.tokens_in
                    outcome.tokens_out = usage.completion_tokens
                    outcome.usage_reported = True
                outcome.answered_by = getattr(chunk, "model", "") or outcome.answered_by
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    text = chunk.choices[0].delta.content
                    parts.append(text)
                    yield text
        except ModelCallError:
            raise
        except Exception as exc:  # litellm raises many types; the employee gets one sentence
            if parts and not outcome.usage_reported:  # what was streamed before the failure still counts
                outcome.tokens_out = count_tokens("".join(parts), model=self._litellm_model(model))
            raise ModelCallError(_explain(model, exc), type(exc).__name__) from exc
        if not outcome.usage_reported:
            outcome.tokens_out = count_tokens("".join(parts), model=self._litellm_model(model))
        outcome.cost = self._cost(model, outcome)

    def _litellm_model(self, model: str) -> str:
        entry = self.registry.get(model)
        return entry.litellm_params.get("model", model) if entry else model

    def _cost(self, model: str, outcome: StreamOutcome) -> float:
        entry = self.registry.get(model)
        if entry is None or entry.embedded:
            return 0.0
        try:
            prompt_cost, completion_cost = litellm.cost_per_token(
                model=self._litellm_model(model),
                prompt_tokens=outcome.tokens_in, completion_tokens=outcome.tokens_out,
            )
            return float(prompt_cost + completion_cost)
        except Exception:  # no price known for this model: record zero rather than guess
            return 0.0


def _explain(model: str, exc: Exception) -> str:
    if isinstance(exc, litellm.ContextWindowExceededError):
        return f"The prompt is too long for '{model}'. Shorten it or pick a model with a larger context."
    if isinstance(exc, litellm.Timeout):
        return f"'{model}' did not answer in time. Try again, or pick another model."
    if isinstance(exc, litellm.AuthenticationError):
        return f"'{model}' refused the sandbox's credentials. Ask an admin to check its API key."
    if isinstance(exc, litellm.RateLimitError):
        return f"'{model}' is rate-limiting the sandbox. Wait a minute and try again."
    if isinstance(exc, (litellm.APIConnectionError, litellm.ServiceUnavailableError, litellm.InternalServerError)):
        return f"'{model}' cannot be reached right now. Try again in a moment, or pick another model."
    return f"'{model}' failed to answer ({type(exc).__name__}). Try again, or pick another model."
