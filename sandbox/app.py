"""Wiring: builds the registry, model client, policy, users, audit log and gateway for one process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sandbox.audit.chain import ensure_keying
from sandbox.auth import Authenticator
from sandbox.feedback import FeedbackService
from sandbox.gateway import Gateway
from sandbox.llm.client import ModelClient
from sandbox.llm.registry import ModelRegistry
from sandbox.metrics import SandboxMetrics
from sandbox.pii import shared_redactor
from sandbox.policy.active import ActivePolicy
from sandbox.settings import Settings
from sandbox.store import InteractionLog
from sandbox.store.feedback import FeedbackStore
from sandbox.store.users import UserDirectory
from sandbox.templates import PromptTemplate, load_templates


@dataclass
class Sandbox:
    settings: Settings
    registry: ModelRegistry
    client: ModelClient
    log: InteractionLog
    policy: ActivePolicy
    users: UserDirectory
    auth: Authenticator
    gateway: Gateway
    templates: dict[str, PromptTemplate]
    feedback: FeedbackService
    metrics: SandboxMetrics

    def model_names(self, role: str | None = None) -> list[str]:
        """Models a user can pick: available here and, given a role, allowed for it; the embedded one first."""
        names = [m.name for m in self.registry.available() if m.name in self.client.names]
        rules = self.policy.role(role) if role else None
        if rules is not None and "*" not in rules.models:
            names = [n for n in names if n in rules.models]
        return names

    def role_of(self, user: str) -> str:
        """The role of a user acting outside a browser session (CLI): their account's, else the default."""
        account = self.users.get(user)
        return account.role if account else self.policy.current.settings.default_role

    def is_admin(self, role: str) -> bool:
        rules = self.policy.role(role)
        return bool(rules and rules.can_admin)


def build_policy(settings: Settings, policy_path: Path | None = None, registry: ModelRegistry | None = None,
                 available: set[str] | None = None) -> tuple[ActivePolicy, ModelRegistry]:
    registry = registry or ModelRegistry.from_file(settings.models_file)
    settings.ensure_data_dir()
    names = available if available is not None else {m.name for m in registry.available()}
    policy = ActivePolicy(policy_path or settings.policies_dir, registry, names, settings.db_path,
                          redactor=shared_redactor())  # Presidio built once per process, warmed
    return policy, registry


def build_sandbox(settings: Settings, local_url: str | None) -> Sandbox:
    settings.ensure_data_dir()
    registry = ModelRegistry.from_file(settings.models_file)
    client = ModelClient(registry, local_url)
    metrics = SandboxMetrics()
    log = InteractionLog(settings.db_path, on_finish=[metrics.observe])
    ensure_keying(log.db)  # the audit key (audit.key, 0600) and where the keyed chain starts, from the first start
    policy, _ = build_policy(settings, registry=registry, available=client.names)
    users = UserDirectory(settings.db_path)
    auth = Authenticator(users, lambda: policy.current.settings.sso, lambda: set(policy.current.roles))
    feedback = FeedbackService.from_parts(FeedbackStore(settings.db_path), policy, users, log.record_event)
    return Sandbox(
        settings=settings, registry=registry, client=client, log=log, policy=policy, users=users, auth=auth,
        gateway=Gateway(log, client, policy), templates=load_templates(settings.prompts_dir), feedback=feedback,
        metrics=metrics,
    )
