"""Token ledger and request counts per user and role, kept in the database so processes agree."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso
from sandbox.store.stale import current_owner


@dataclass(frozen=True)
class Limit:
    scope: str  # "user" or "role"
    period: str  # "day" or "month"
    tokens: int


@dataclass(frozen=True)
class Reservation:
    granted: bool
    ledger_id: int | None = None
    exceeded: Limit | None = None
    remaining: int | None = None  # tokens left in the exceeded (or tightest) limit


def _periods(now: dt.datetime | None = None) -> tuple[str, str]:
    now = now or dt.datetime.now(dt.timezone.utc)
    return now.strftime("%Y-%m-%d"), now.strftime("%Y-%m")


class UsageLedger(ThreadLocalDb):
    """Reserve tokens before a model call, settle with the real usage after. Never overspends."""

    def spent(self, scope: str, who: str, period: str, key: str | None = None) -> int:
        day, month = _periods()
        column = "user" if scope == "user" else "role"
        value = key or (day if period == "day" else month)
        row = self.db.execute(
            f"select coalesce(sum(case when state = 'reserved' then reserved else used end), 0) "
            f"from usage_ledger where {column} = ? and {period} = ?", [who, value],
        ).fetchone()
        return int(row[0])

    def remaining(self, user: str, role: str, limits: list[Limit]) -> dict[str, int]:
        """Tokens left per limit, keyed like 'user/day'."""
        return {f"{l.scope}/{l.period}": max(0, l.tokens - self.spent(l.scope, user if l.scope == "user" else role,
                                                                     l.period)) for l in limits}

    def reserve(self, *, user: str, role: str, model: str, tokens: int, limits: list[Limit],
                interaction_id: str | None = None, dry_run: bool = False) -> Reservation:
        day, month = _periods()
        with self.immediate():
            tightest: int | None = None
            for limit in limits:
                who = user if limit.scope == "user" else role
                left = limit.tokens - self.spent(limit.scope, who, limit.period)
                if tokens > left:
                    return Reservation(False, exceeded=limit, remaining=max(0, left))
                tightest = left if tightest is None else min(tightest, left)
            if dry_run:
                return Reservation(True, remaining=tightest)
            cursor = self.db.execute(
                "insert into usage_ledger (interaction_id, user, role, model, day, month, reserved, used, state, "
                "created_at, owner) values (?, ?, ?, ?, ?, ?, ?, 0, 'reserved', ?, ?) returning id",
                [interaction_id, user, role, model, day, month, tokens, now_iso(), current_owner()],
            )
            return Reservation(True, ledger_id=cursor.fetchall()[0][0],
                               remaining=None if tightest is None else tightest - tokens)

    def settle(self, ledger_id: int, used: int, interaction_id: str | None = None) -> None:
        with self.immediate():
            self.db.execute(
                "update usage_ledger set used = ?, state = 'settled', "
                "interaction_id = coalesce(?, interaction_id) where id = ?",
                [used, interaction_id, ledger_id],
            )


class RateCounter(ThreadLocalDb):
    """Requests per user in sliding windows of a minute and an hour."""

    def hit(self, user: str, per_minute: int | None, per_hour: int | None,
            dry_run: bool = False, now: float | None = None) -> tuple[bool, str, float]:
        """Count a request unless a limit is reached; returns (allowed, window, seconds to wait)."""
        now = time.time() if now is None else now
        with self.immediate():
            self.db.execute("delete from rate_events where at < ?", [now - 3600])
            for window, seconds, limit in (("minute", 60, per_minute), ("hour", 3600, per_hour)):
                if limit is None:
                    continue
                rows = self.db.execute(
                    "select at from rate_events where user = ? and at > ? order by at", [user, now - seconds]
                ).fetchall()
                if len(rows) >= limit:
                    wait = rows[len(rows) - limit][0] + seconds - now
                    return False, window, max(wait, 0.0)
            if not dry_run:
                self.db.execute("insert into rate_events (user, at) values (?, ?)", [user, now])
            return True, "", 0.0
