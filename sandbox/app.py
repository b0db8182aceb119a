"""Wiring: builds the registry, model client, audit log, policy and gateway for one process."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.gateway import Gateway
from sandbox.llm.client import ModelClient
from sandbox.llm.registry import ModelRegistry
from sandbox.policy import BuiltinPolicy
from sandbox.settings import Settings
from sandbox.store import InteractionLog
from sandbox.templates import PromptTemplate, load_templates


@dataclass
class Sandbox:
    settings: Settings
    registry: ModelRegistry
    client: ModelClient
    log: InteractionLog
    gateway: Gateway
    templates: dict[str, PromptTemplate]

    def model_names(self) -> list[str]:
        """Models an employee can pick: available here, the embedded one first."""
        return [m.name for m in self.registry.available() if m.name in self.client.names]


def build_sandbox(settings: Settings, local_url: str | None) -> Sandbox:
    settings.ensure_data_dir()
    registry = ModelRegistry.from_file(settings.models_file)
    client = ModelClient(registry, local_url)
    log = InteractionLog(settings.db_path)
    policy = BuiltinPolicy(registry, available=client.names)
    return Sandbox(
        settings=settings, registry=registry, client=client, log=log,
        gateway=Gateway(log, client, policy), templates=load_templates(settings.prompts_dir),
    )
