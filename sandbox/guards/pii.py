"""PII: redact personal data in prompts to per-conversation pseudonyms, and in answers; fail closed."""

from __future__ import annotations

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.pii.config import PiiPolicy
from sandbox.pii.vault import VaultRegistry

VAULTS = VaultRegistry()  # process memory only: pseudonym mappings never reach the database


class PiiGuard:
    name = "pii"

    def __init__(self, policy: PiiPolicy, redactor, vaults: VaultRegistry = VAULTS):
        self.policy = policy
        self.redactor = redactor
        self.timeout_s = policy.timeout_s  # the scan's own limit; run_guards adds a margin
        self.vaults = vaults

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if self.redactor is None:
            ctx.state["withhold_prompt"] = True
            return Verdict(self.name, Decision.BLOCK, "Personal-data protection is not available, so nothing was "
                           "sent. Tell an admin.", details={"error_class": "NoRedactor"})
        vault = self.vaults.get(ctx.user, ctx.conversation_id or "dry-run")
        if ctx.stage == "input":
            for turn in ctx.state.get("history") or []:
                vault.reserve(str(turn.get("content") or ""))
        result = self.redactor.redact(text, self.policy, vault, restorable=ctx.stage == "input")
        if result.blocked:
            if ctx.stage == "input":
                ctx.state["withhold_prompt"] = True
            return Verdict(self.name, Decision.BLOCK, result.message,
                           details={"entities": result.counts} if result.counts else {})
        if ctx.stage == "input":
            ctx.state["restore"] = vault.restore
            ctx.state["knows_placeholder"] = vault.knows
            if self.policy.scan_output:
                ctx.state["stream_display"] = lambda segment: vault.restore(self._output_text(segment, vault))
        details = {"entities": result.counts}
        if not result.counts:
            return Verdict(self.name, Decision.ALLOW, details=details)
        summary = ", ".join(f"{n} {t}" for t, n in sorted(result.counts.items()))
        return Verdict(self.name, Decision.REDACT, f"Redacted {summary}.", text=result.text, details=details)

    def _output_text(self, segment: str, vault) -> str:
        result = self.redactor.redact(segment, self.policy, vault, restorable=False)
        return "[withheld: the answer could not be checked for personal data]" if result.blocked else result.text
