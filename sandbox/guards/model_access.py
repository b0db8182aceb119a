"""Model access: the requested model must exist, be available here, and be allowed for the user's role."""

from __future__ import annotations

from sandbox.guards.base import Decision, GuardContext, Verdict


class ModelAccess:
    name = "model_access"

    def __init__(self, available: set[str], allowed_by_role: dict[str, list[str]] | None = None):
        self.available = available
        self.allowed_by_role = allowed_by_role  # None: every available model for every role

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if ctx.model not in self.available:
            known = ", ".join(sorted(self.available)) or "none"
            return Verdict(self.name, Decision.BLOCK,
                           f"The model '{ctx.model}' is not available. Pick one of: {known}.")
        if self.allowed_by_role is not None:
            allowed = self.allowed_by_role.get(ctx.role, [])
            if ctx.model not in allowed and "*" not in allowed:
                return Verdict(self.name, Decision.BLOCK,
                               f"Your role '{ctx.role}' may not use '{ctx.model}'. "
                               f"Allowed: {', '.join(allowed) or 'none'}; ask an admin for access.")
        return Verdict(self.name, Decision.ALLOW)
