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
from sandbox.files import atomic_open
from sandbox.settings import Settings
from sandbox.store.db import DB_ERRORS, StoreError, ThreadLocalDb, connect
from sandbox.store.policy_versions import PolicyVersions
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
        self.versions = PolicyVersions(db_path)
        self.errors: list[PolicyProblem] = []
        self._lock = threading.Lock()
        self._signature: tuple = ()
        self._checked = 0.0
        self._pipelines: dict[str, GuardPipeline] = {}
        self.current: PolicySet = self._load_or_raise()
        self._record(self.current, "startup", newest=False)
        if self.url is not None:  # a database shared by instances: the newest version recorded there is in force
            self.refresh(force=True, applied_by="startup")

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
            synced = self.url is not None and self._adopt_newest()
            signature = self._files_signature()
            if not force and not synced and signature == self._signature:
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
            self._record(candidate, "instance-sync" if synced else applied_by, previous, newest=not synced)
            log.warning("policy version %s applied by %s", candidate.version, applied_by)
            return True

    def _record(self, policy: PolicySet, applied_by: str, previous: PolicySet | None = None,
                newest: bool = True) -> None:
        sources = {p.name: p.read_bytes().decode("utf-8") for p in policy_files(self.directory)}
        self.versions.record(policy.version, applied_by, json.dumps(policy.files), _diff_summary(previous, policy),
                             sources, newest)

    def _adopt_newest(self) -> bool:
        """On a database several instances share (PostgreSQL), the newest version recorded there is the one in
        force: its files are written into this instance's policies directory when they differ, and the usual
        reload applies them. A database error keeps the version in force (requests then fail at the audit log)."""
        try:
            newest = self.versions.newest()
            if newest is None or newest == self.current.version:
                return False
            wanted = {name: text.encode("utf-8") for name, text in self.versions.sources(newest).items()}
        except (StoreError, *DB_ERRORS) as exc:
            log.warning("could not read the newest policy version from the database: %s", type(exc).__name__)
            return False
        local = {p.name: p.read_bytes() for p in policy_files(self.directory)}
        if not wanted or wanted == local:
            return False
        for name, data in wanted.items():
            if local.get(name) != data:
                with atomic_open(self.directory / name, "wb") as out:
                    out.write(data)
        for name in set(local) - set(wanted):
            (self.directory / name).unlink(missing_ok=True)
        log.warning("policy version %s, applied on another instance, written to %s", newest, self.directory)
        return True

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
    connect(settings.database, key_dir=settings.data_dir)  # PostgreSQL: the audit key is in this data directory
    names = available if available is not None else {m.name for m in registry.available()}
    policy = ActivePolicy(policy_path or settings.policies_dir, registry, names, settings.database,
                          redactor=shared_redactor())  # Presidio built once per process, warmed
    return policy, registry
