"""Usage figures for the dashboards, as pandas DataFrames ready for gr.LinePlot / gr.BarPlot."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlite_utils


def _since(days: int) -> str:
    return (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).strftime("%Y-%m-%d")


def _frame(db: sqlite_utils.Database, sql: str, args: list) -> pd.DataFrame:
    cursor = db.execute(sql, args)
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])


def tokens_per_day(db: sqlite_utils.Database, by: str = "model", days: int = 30, user: str | None = None,
                   top: int = 10) -> pd.DataFrame:
    """Columns day, <by>, tokens, requests, blocked; for `user` only when given (an employee's own view)."""
    if by not in ("model", "role", "user"):
        raise ValueError("by must be model, role or user")
    where, args = "day >= ?", [_since(days)]
    if user is not None:
        where, args = where + " and user = ?", args + [user]
    frame = _frame(db, f"select day, [{by}], sum(tokens) as tokens, sum(requests) as requests, "
                       f"sum(blocked) as blocked from usage_by_day where {where} group by day, [{by}] "
                       "order by day", args)
    if by == "user" and not frame.empty:  # the heaviest users only, or the plot is unreadable
        keep = frame.groupby("user")["tokens"].sum().nlargest(top).index
        frame = frame[frame["user"].isin(keep)]
    return frame


def blocked_by_guard(db: sqlite_utils.Database, days: int = 30) -> pd.DataFrame:
    return _frame(db, "select coalesce(guard, 'unknown') as guard, sum(requests) as requests from blocked_by_guard "
                      "where day >= ? group by guard order by requests desc", [_since(days)])


def kept_private_by_reason(db: sqlite_utils.Database, days: int = 30) -> pd.DataFrame:
    """Prompts a routing rule sent to a model other than the one asked for, or kept private, per day and reason."""
    return _frame(db, "select day, rule, reason, model, sum(requests) as requests from kept_private_by_reason "
                      "where day >= ? group by day, rule, reason, model order by day desc, requests desc",
                  [_since(days)])


def entities_by_type(db: sqlite_utils.Database, days: int = 30) -> pd.DataFrame:
    return _frame(db, "select entity_type, sum(entities) as entities from pii_entities_by_type where day >= ? "
                      "group by entity_type order by entities desc", [_since(days)])


def latency_percentiles(db: sqlite_utils.Database, days: int = 7) -> pd.DataFrame:
    """p50/p95/p99 in ms of guards, model and total time per model, over finished requests."""
    raw = _frame(db, "select model, guard_ms as guards, model_ms as model_call, latency_ms as total "
                     "from interactions where created_at >= ? and status != 'pending'", [_since(days)])
    rows = []
    for model, group in raw.groupby("model"):
        for part in ("guards", "model_call", "total"):
            values = group[part].dropna()
            if len(values):
                rows.append({"model": model, "part": part, "requests": len(values),
                             **{f"p{q}": round(float(values.quantile(q / 100)), 1) for q in (50, 95, 99)}})
    return pd.DataFrame(rows, columns=["model", "part", "requests", "p50", "p95", "p99"])


def top_users_vs_budget(db: sqlite_utils.Database, roles: dict, top: int = 20) -> pd.DataFrame:
    """Users spending most this month (from the budget ledger) beside their role's per-user limits."""
    now = dt.datetime.now(dt.timezone.utc)
    frame = _frame(db, "select user, role, sum(case when day = ? then spent else 0 end) as today, "
                       "sum(spent) as this_month from (select user, role, day, case when state = 'reserved' "
                       "then reserved else used end as spent from usage_ledger where month = ?) as spending "
                       "group by user, role order by this_month desc limit ?",
                   [now.strftime("%Y-%m-%d"), now.strftime("%Y-%m"), top])
    day_limit, month_limit = [], []
    for role in frame["role"]:
        budgets = getattr(roles.get(role), "budgets", None)
        day_limit.append(getattr(budgets, "user_tokens_per_day", None))
        month_limit.append(getattr(budgets, "user_tokens_per_month", None))
    frame["day_budget"], frame["month_budget"] = day_limit, month_limit
    frame["month_used_pct"] = [round(100 * used / limit, 1) if limit else None
                               for used, limit in zip(frame["this_month"], month_limit)]
    return frame
