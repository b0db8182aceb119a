"""Token budgets per user and per role, per day and per month: reserve before the call, settle after."""

from __future__ import annotations

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.store.usage import Limit, UsageLedger

PERIOD_WORDS = {"day": "today", "month": "this month"}


def budget_limits(budgets) -> list[Limit]:
    """The limits a policy's Budgets section sets, skipping the unlimited ones."""
    pairs = [("user", "day", budgets.user_tokens_per_day), ("user", "month", budgets.user_tokens_per_month),
             ("role", "day", budgets.role_tokens_per_day), ("role", "month", budgets.role_tokens_per_month)]
    return [Limit(scope, period, tokens) for scope, period, tokens in pairs if tokens is not None]


class TokenBudget:
    """Reserves the prompt's tokens plus the longest allowed answer; `settle` records what was really used."""

    name = "token_budget"

    def __init__(self, ledger: UsageLedger, limits: list[Limit], max_output_tokens: int):
        self.ledger = ledger
        self.limits = limits
        self.max_output_tokens = max_output_tokens

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        prompt = ctx.state.get("prompt_tokens", 0)
        if "count_prompt" in ctx.state:  # the text as it is now: placeholders can be longer than what they replace
            prompt = max(prompt, ctx.state["count_prompt"](text))
        needed = prompt + self.max_output_tokens
        if not self.limits:
            return Verdict(self.name, Decision.ALLOW, details={"reserved": 0})
        reservation = self.ledger.reserve(user=ctx.user, role=ctx.role, model=ctx.model, tokens=needed,
                                          limits=self.limits, dry_run=ctx.dry_run)
        if not reservation.granted:
            limit = reservation.exceeded
            whose = "Your" if limit.scope == "user" else f"The '{ctx.role}' role's"
            return Verdict(self.name, Decision.BLOCK,
                           f"{whose} token budget has {reservation.remaining} tokens left {PERIOD_WORDS[limit.period]}"
                           f" and this request may need {needed}. Shorten the prompt, or wait for the budget "
                           f"to renew.",
                           details={"needed": needed, "remaining": reservation.remaining,
                                    "limit": f"{limit.scope}/{limit.period}"})
        if reservation.ledger_id is not None:
            ctx.state["ledger_id"] = reservation.ledger_id
            ctx.state["reserved"] = {"prompt": prompt, "answer": self.max_output_tokens}
        return Verdict(self.name, Decision.ALLOW, details={"reserved": needed, "remaining": reservation.remaining})

    def settle(self, ctx: GuardContext, used: int, interaction_id: str) -> None:
        """Charge what was used, never more than was reserved: the reservation is what the limits admitted
        (the audit record keeps the model's own counts)."""
        ledger_id = ctx.state.pop("ledger_id", None)
        if ledger_id is not None:
            reserved = ctx.state.get("reserved", {})
            self.ledger.settle(ledger_id, min(used, sum(reserved.values())) if reserved else used, interaction_id)
