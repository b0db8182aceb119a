"""The policy in force: loaded from policies/, reloaded when files change, last good set kept on errors."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

from sandbox.gateway import GuardPipeline
from sandbox.guards.deny_rules import DenyRules
from sandbox.guards.harmful import HarmfulGuard
from sandbox.guards.injection import InjectionGuard
from sandbox.guards.model_access import ModelAccess
from sandbox.guards.pii import PiiGuard
from sandbox.guards.rate_limit import RateLimit
from sandbox.guards.token_budget import TokenBudget, budget_limits
from sandbox.guards.token_count import TokenCount
from sandbox.llm.registry import ModelRegistry
from sandbox.pii import shared_redactor
from sandbox.policy.loader import PolicyError, PolicyProblem, PolicySet, load_policy_set, policy_files
from sandbox.policy.routing import AUTO, ModelRouter
from sandbox.policy.schema import RolePolicy
from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso
from sandbox.settings import Settings
from sandbox.store.usage import RateCounter, UsageLedger

log = logging.getLogger("sandbox.policy")
RELOAD_CHECK_S = 1.0


class ActivePolicy(ThreadLocalDb):
    """Implements the gateway's PolicySource; `refresh()` applies changed files after validating them."""

    def __init__(self, directory: Path, registry: ModelRegistry, available: set[str], db_path: Path,
                 redactor=None):
        super().__init__(db_path)
        self.directory = Path(directory)
        self.registry = registry
        self.available = available
        self.redactor = redactor
        self.ledger = UsageLedger(db_path)
        self.rates = RateCounter(db_path)
        self.errors: list[PolicyProblem] = []
        self._lock = threading.Lock()
        self._signature: tuple = ()
        self._checked = 0.0
        self._pipelines: dict[str, GuardPipeline] = {}
        self.current: PolicySet = self._load_or_raise()
        self._record(self.current, "startup")

    # -- loading -----------------------------------------------------------------------------------------
    def _files_signature(self) -> tuple:
        return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in policy_files(self.directory))

    def _load_or_raise(self) -> PolicySet:
        self._signature = self._files_signature()
        return load_policy_set(policy_files(self.directory), {m.name for m in self.registry.all})

    def refresh(self, force: bool = False, applied_by: str = "file-watch") -> bool:
        """Apply the files on disk if they changed and are valid. Returns True when a new version applied."""
        now = time.monotonic()
        if not force and now - self._checked < RELOAD_CHECK_S:
            return False
        with self._lock:
            self._checked = now
            signature = self._files_signature()
            if not force and signature == self._signature:
                return False
            try:
                candidate = load_policy_set(policy_files(self.directory), {m.name for m in self.registry.all})
            except PolicyError as exc:
                self._signature = signature  # report once per change, keep the last good set
                self.errors = exc.problems
                log.error("policy files rejected, version %s stays in force:\n%s", self.current.version, exc)
                return False
            self._signature, self.errors = signature, []
            if candidate.version == self.current.version:
                return False
            previous, self.current = self.current, candidate
            self._pipelines = {}
            self._record(candidate, applied_by, previous)
            log.warning("policy version %s applied by %s", candidate.version, applied_by)
            return True

    def _record(self, policy: PolicySet, applied_by: str, previous: PolicySet | None = None) -> None:
        table = self.db["policy_versions"]
        if table.count_where("version = ?", [policy.version]):
            return
        with self.db.transaction():
            table.insert({"version": policy.version, "applied_at": now_iso(), "applied_by": applied_by,
                          "files": json.dumps(policy.files), "summary": _diff_summary(previous, policy)})

    def watch(self, interval_s: float = 2.0) -> threading.Event:
        """Re-read the files in the background, so an idle server applies (or reports) a change too.

        Returns the event that stops the watcher when set.
        """
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(interval_s):
                try:
                    self.refresh()
                except Exception:  # a watcher that dies silently would leave admins with stale errors
                    log.exception("policy watcher: could not re-read %s", self.directory)

        threading.Thread(target=loop, name="policy-watch", daemon=True).start()
        return stop

    # -- guards ------------------------------------------------------------------------------------------
    def role(self, name: str) -> RolePolicy | None:
        return self.current.role(name)

    def pipeline_for(self, role: str) -> GuardPipeline:
        self.refresh()
        policy = self.current
        key = f"{policy.version}:{role}"
        pipeline = self._pipelines.get(key)
        if pipeline is None:
            pipeline = self._pipelines[key] = self._build(policy, role)
        return pipeline

    def _build(self, policy: PolicySet, role_name: str) -> GuardPipeline:
        rules = policy.role(role_name)
        if rules is None:
            return GuardPipeline([NoPolicy(role_name)], [], policy.version)
        registry = self.registry
        router = None
        model_names = set(self.available)
        allowed = list(rules.models)
        if rules.routing is not None:
            available = [m.name for m in registry.all if m.name in self.available]
            usable = [m for m in available if "*" in rules.models or m in rules.models]
            router = ModelRouter(rules.routing, {m.name: m.model_class for m in registry.all}, usable, available)
            model_names.add(AUTO)
            allowed.append(AUTO)
        guards = {
            "model_access": ModelAccess(model_names, {role_name: allowed}),
            "token_count": TokenCount(
                context_window={m.name: m.context_window for m in registry.all},
                litellm_model={m.name: m.litellm_params.get("model", m.name) for m in registry.all},
                max_prompt_tokens=rules.budgets.max_prompt_tokens,
                reserve_for_answer=rules.budgets.max_output_tokens,
                system_prompt={m.name: m.system_prompt for m in registry.all if m.system_prompt}),
            "rate_limit": RateLimit(self.rates, rules.rate_limits.per_minute, rules.rate_limits.per_hour),
            "token_budget": TokenBudget(self.ledger, budget_limits(rules.budgets), rules.budgets.max_output_tokens),
            "deny_rules": DenyRules([r for r in rules.deny_rules if r.applies_to in ("input", "both")]),
            "injection": InjectionGuard(rules.injection.threshold, message=rules.injection.message),
            "harmful": HarmfulGuard(rules.harmful.threshold, rules.harmful.categories, rules.harmful.default_action,
                                    message=rules.harmful.message),
            "pii": PiiGuard(rules.pii, self.redactor),
        }
        if not rules.injection.enabled:
            guards.pop("injection")
        if not rules.harmful.enabled:
            guards.pop("harmful")
        if not rules.pii.enabled:
            guards.pop("pii")
        output = [PiiGuard(rules.pii, self.redactor)] if rules.pii.enabled and rules.pii.scan_output else []
        # Rules under `output:` check answers whatever their applies_to says (it defaults to "input").
        output_rules = ([r for r in rules.deny_rules if r.applies_to in ("output", "both")] +
                        [r.model_copy(update={"applies_to": "output"}) for r in rules.output.deny_rules])
        if output_rules:
            output.append(DenyRules(output_rules))
        ordered = [guards[name] for name in rules.guard_order if name in guards]
        ordered += [g for name, g in guards.items() if name not in rules.guard_order]
        return GuardPipeline(ordered, output, policy.version, rules.budgets.max_output_tokens, router)


class NoPolicy:
    """Blocks every request of a role the policy files do not define."""

    name = "role_policy"

    def __init__(self, role: str):
        self.role = role

    def check(self, text, ctx):
        from sandbox.guards.base import Decision, Verdict

        return Verdict(self.name, Decision.BLOCK,
                       f"Your role '{self.role}' has no policy, so nothing can be sent. Ask an admin to add it.")


def _diff_summary(previous: PolicySet | None, current: PolicySet) -> str:
    if previous is None:
        return f"initial: roles {', '.join(sorted(current.roles))}"
    parts = []
    added = set(current.roles) - set(previous.roles)
    removed = set(previous.roles) - set(current.roles)
    if added:
        parts.append(f"roles added: {', '.join(sorted(added))}")
    if removed:
        parts.append(f"roles removed: {', '.join(sorted(removed))}")
    for role in sorted(set(current.roles) & set(previous.roles)):
        before, after = previous.roles[role].model_dump(), current.roles[role].model_dump()
        changed = [k for k in after if after[k] != before.get(k)]
        if changed:
            parts.append(f"{role}: {', '.join(changed)} changed")
    if previous.settings != current.settings:
        parts.append("settings changed")
    files = [n for n in current.files if previous.files.get(n) != current.files[n]]
    return "; ".join(parts) or f"no rule change (files touched: {', '.join(files) or 'none'})"


def build_policy(settings: Settings, policy_path: Path | None = None, registry: ModelRegistry | None = None,
                 available: set[str] | None = None) -> tuple[ActivePolicy, ModelRegistry]:
    registry = registry or ModelRegistry.from_file(settings.models_file)
    settings.ensure_data_dir()
    names = available if available is not None else {m.name for m in registry.available()}
    policy = ActivePolicy(policy_path or settings.policies_dir, registry, names, settings.database,
                          redactor=shared_redactor())  # Presidio built once per process, warmed
    return policy, registry
