"""Wiring: builds the registry, model client, policy, users, audit log and gateway for one process."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from sandbox.api.keys import ApiKeyService
from sandbox.audit.chain import ensure_keying
from sandbox.auth import Authenticator
from sandbox.feedback import FeedbackService
from sandbox.gateway import Gateway
from sandbox.llm.client import ModelClient
from sandbox.llm.registry import ModelRegistry
from sandbox.metrics import SandboxMetrics
from sandbox.policy.active import ActivePolicy, build_policy
from sandbox.settings import Settings
from sandbox.store import InteractionLog
from sandbox.store.api_keys import ApiKeyStore
from sandbox.store.db import connect
from sandbox.store.feedback import FeedbackStore
from sandbox.store.stale import close_interrupted
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
    model_status: Callable[[], dict]  # the embedded model's process: ready, restarting, failed (or external)
    api_keys: ApiKeyService

    def model_names(self, role: str | None = None) -> list[str]:
        """Models a user can pick: available here and, given a role, allowed for it; the embedded one first."""
        names = [m.name for m in self.registry.available()
                 if m.name in self.client.names and not self.client.unavailable_reason(m.name)]
        rules = self.policy.role(role) if role else None
        if rules is not None and "*" not in rules.models:
            names = [n for n in names if n in rules.models]
        if rules is not None and rules.routing is not None and names:
            names.append("auto")  # the policy picks the model
        return names

    def role_of(self, user: str) -> str:
        """The role of a user acting outside a browser session (CLI): their account's, else the default."""
        account = self.users.get(user)
        return account.role if account else self.policy.current.settings.default_role

    def is_admin(self, role: str) -> bool:
        rules = self.policy.role(role)
        return bool(rules and rules.can_admin)

    def warm_up(self) -> None:
        """Run each role's input checks once on a neutral text, counting and recording nothing, and ask the embedded
        model for one token through the model client, so the first employee does not wait while the detectors,
        tokenizers and the client load (about 2 s and 1 s on 2 cores). Hosted models are never called here."""
        from sandbox.llm.client import StreamOutcome
        from sandbox.policy.dry_run import dry_run

        embedded = [m.name for m in self.registry.available() if m.embedded and m.name in self.client.names]
        try:
            if embedded and not self.client.unavailable_reason(embedded[0]):
                for _ in self.client.stream(embedded[0], [{"role": "user", "content": "Hi"}], 1, StreamOutcome()):
                    pass
        except Exception as exc:  # noqa: BLE001 - the first request will meet and report the same problem
            logging.getLogger(__name__).warning("Warming the embedded model's client failed (%s).",
                                                type(exc).__name__)

        for role in sorted(self.policy.current.roles):
            names = self.model_names(role)
            try:
                if names:
                    dry_run(self.policy, "Is the sandbox ready for a question?", role=role, user="warm-up",
                            model=names[0])
            except Exception as exc:  # noqa: BLE001 - a request would fail closed the same way; serving goes on
                logging.getLogger(__name__).warning("Warming the checks of role %s failed (%s); its first request "
                                                    "will load them.", role, type(exc).__name__)


def build_sandbox(settings: Settings, local_url: str | None, local_key: str | None = None,
                  unavailable_reason: Callable[[str], str | None] = lambda model: None,
                  model_status: Callable[[], dict] | None = None) -> Sandbox:
    """`unavailable_reason(model)` says why a model cannot be called right now (None when it can)."""
    settings.ensure_data_dir()
    registry = ModelRegistry.from_file(settings.models_file)
    client = ModelClient(registry, local_url, local_key or settings.local_model_key, unavailable_reason)
    metrics = SandboxMetrics()
    connect(settings.database, key_dir=settings.data_dir)  # PostgreSQL: the audit key file is in this data dir
    log = InteractionLog(settings.database, on_finish=[metrics.observe])
    ensure_keying(log.db)  # the audit key (audit.key, 0600) and where the keyed chain starts, from the first start
    policy, _ = build_policy(settings, registry=registry, available=client.names)
    close_interrupted(log, policy.ledger)  # what a process killed mid-request left pending or reserved
    users = UserDirectory(settings.database)
    auth = Authenticator(users, lambda: policy.current.settings.sso, lambda: set(policy.current.roles))
    feedback = FeedbackService.from_parts(FeedbackStore(settings.database), policy, users, log.record_event)
    return Sandbox(
        settings=settings, registry=registry, client=client, log=log, policy=policy, users=users, auth=auth,
        gateway=Gateway(log, client, policy), templates=load_templates(settings.prompts_dir), feedback=feedback,
        metrics=metrics, model_status=model_status or (lambda: {"state": "external" if local_url else "none"}),
        api_keys=ApiKeyService(ApiKeyStore(settings.database), users, policy),
    )
