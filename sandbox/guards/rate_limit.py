"""Rate limit: requests per user per minute and per hour, counted in the database."""

from __future__ import annotations

import math

from sandbox.guards.base import Decision, GuardContext, Verdict
from sandbox.store.usage import RateCounter


class RateLimit:
    name = "rate_limit"

    def __init__(self, counter: RateCounter, per_minute: int | None, per_hour: int | None):
        self.counter = counter
        self.per_minute = per_minute
        self.per_hour = per_hour

    def check(self, text: str, ctx: GuardContext) -> Verdict:
        if self.per_minute is None and self.per_hour is None:
            return Verdict(self.name, Decision.ALLOW)
        allowed, window, wait = self.counter.hit(ctx.user, self.per_minute, self.per_hour, dry_run=ctx.dry_run)
        if allowed:
            return Verdict(self.name, Decision.ALLOW)
        limit = self.per_minute if window == "minute" else self.per_hour
        return Verdict(self.name, Decision.BLOCK,
                       f"You have sent {limit} requests in the last {window}, the most your policy allows. "
                       f"Try again in {math.ceil(wait)} seconds.",
                       details={"window": window, "limit": limit, "retry_after_s": math.ceil(wait)})
