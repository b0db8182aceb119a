"""The policy in force when no policy file applies: model availability and prompt size only."""

from __future__ import annotations

from sandbox.gateway import GuardPipeline
from sandbox.guards.model_access import ModelAccess
from sandbox.guards.token_count import TokenCount
from sandbox.llm.registry import ModelRegistry


class BuiltinPolicy:
    version = "builtin"

    def __init__(self, registry: ModelRegistry, available: set[str], max_output_tokens: int = 512):
        self.max_output_tokens = max_output_tokens
        self._pipeline = GuardPipeline(
            input=[
                ModelAccess(available),
                TokenCount(
                    context_window={m.name: m.context_window for m in registry.all},
                    litellm_model={m.name: m.litellm_params.get("model", m.name) for m in registry.all},
                    reserve_for_answer=max_output_tokens,
                ),
            ],
            output=[],
            policy_version=self.version,
            max_output_tokens=max_output_tokens,
        )

    def pipeline_for(self, role: str) -> GuardPipeline:
        return self._pipeline
