"""Usage figures for the dashboards, as pandas DataFrames ready for gr.BarPlot / gr.Dataframe.

One token truth: a request's tokens are *charged* when the model was called and answered (status ok, or some of an
answer came back before a failure or an output block); a prompt blocked before the model, or a call that failed
before any answer, charges nothing. This is exactly what the gateway settles in the budget ledger, so *My usage*,
the budget and the dashboard agree. Periods are calendar days in UTC, today included ("7 days" = today and the six
days before).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import sqlite_utils

# Tokens a finished request charged, in plain SQL (the same rule as the gateway's settlement).
CHARGED = ("(case when status = 'ok' or coalesce(tokens_out, 0) > 0 "
           "then coalesce(tokens_in, 0) + coalesce(tokens_out, 0) else 0 end)")
FINISHED = "status in ('ok', 'blocked', 'error')"


def _since(days: int) -> str:
    """The first day of a period of `days` calendar days ending today (UTC)."""
    return (dt.datetime.now(dt.UTC) - dt.timedelta(days=max(1, days) - 1)).strftime("%Y-%m-%d")


def period_days(days: int) -> list[str]:
    """Every day of the period, oldest first, so a plot has a bar (maybe of zero) for each day."""
    first = dt.date.fromisoformat(_since(days))
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(max(1, days))]


def _frame(db: sqlite_utils.Database, sql: str, args: list) -> pd.DataFrame:
    cursor = db.execute(sql, args)
    return pd.DataFrame(cursor.fetchall(), columns=[d[0] for d in cursor.description])


def tokens_per_day(db: sqlite_utils.Database, by: str = "model", days: int = 30, user: str | None = None,
                   top: int = 10) -> pd.DataFrame:
    """Columns day, <by>, tokens (charged), requests, blocked; for `user` only when given (an employee's own view)."""
    if by not in ("model", "role", "user"):
        raise ValueError("by must be model, role or user")
    where, args = f"created_at >= ? and {FINISHED}", [_since(days)]
    if user is not None:
        where, args = where + ' and "user" = ?', args + [user]
    frame = _frame(db, f'select substr(created_at, 1, 10) as day, "{by}", sum({CHARGED}) as tokens, '
                       f"count(*) as requests, sum(case when status = 'blocked' then 1 else 0 end) as blocked "
                       f'from interactions where {where} group by substr(created_at, 1, 10), "{by}" order by day',
                   args)
    if by == "user" and not frame.empty:  # the heaviest users only, or the plot is unreadable
        keep = frame.groupby("user")["tokens"].sum().nlargest(top).index
        frame = frame[frame["user"].isin(keep)]
    return frame


def usage_summary(db: sqlite_utils.Database, days: int = 30, user: str | None = None) -> dict:
    """Headline figures of a period, everyone's or one user's: requests by outcome, tokens charged (and, apart,
    the tokens of blocked or failed requests that were counted but not charged), cost, personal data redacted,
    p95 latency in ms of answered requests (None without any)."""
    where, args = f"created_at >= ? and {FINISHED}", [_since(days)]
    if user is not None:
        where, args = where + ' and "user" = ?', args + [user]
    row = db.execute(
        "select count(*), "
        "coalesce(sum(case when status = 'blocked' then 1 else 0 end), 0), "
        "coalesce(sum(case when status = 'error' then 1 else 0 end), 0), "
        f"coalesce(sum({CHARGED}), 0), "
        "coalesce(sum(coalesce(tokens_in, 0) + coalesce(tokens_out, 0)), 0), "
        "coalesce(sum(cost), 0), coalesce(sum(entity_count), 0), "
        "coalesce(sum(case when entity_count > 0 then 1 else 0 end), 0) "
        f"from interactions where {where}", args).fetchone()
    requests, blocked, errors, charged, counted, cost, entities, redacted = row
    latencies = pd.Series([r[0] for r in db.execute(
        f"select latency_ms from interactions where {where} and status = 'ok' and latency_ms is not null", args)], dtype=float)
    return {"days": days, "requests": requests, "blocked": blocked, "errors": errors,
            "blocked_pct": round(100 * blocked / requests, 1) if requests else 0.0,
            "tokens": int(charged), "tokens_not_charged": int(counted - charged), "cost": float(cost),
            "pii_entities": int(entities), "pii_requests": int(redacted),
            "p95_ms": round(float(latencies.quantile(0.95)), 1) if len(latencies) else None}


def requests_per_day(db: sqlite_utils.Database, days: int = 30, user: str | None = None) -> pd.DataFrame:
    """Columns day, outcome (answered, blocked, failed), requests: every day of the period, zero when quiet."""
    where, args = f"created_at >= ? and {FINISHED}", [_since(days)]
    if user is not None:
        where, args = where + ' and "user" = ?', args + [user]
    found = _frame(db, "select substr(created_at, 1, 10) as day, status, count(*) as requests from interactions "
                       f"where {where} group by substr(created_at, 1, 10), status", args)
    counts = {(r.day, r.status): int(r.requests) for r in found.itertuples()}
    rows = [{"day": day, "outcome": word, "requests": counts.get((day, status), 0)}
            for day in period_days(days) for status, word in OUTCOMES]
    return pd.DataFrame(rows, columns=["day", "outcome", "requests"])


OUTCOMES = (("ok", "answered"), ("blocked", "blocked"), ("error", "failed"))


def top_users(db: sqlite_utils.Database, days: int = 30, top: int = 10) -> pd.DataFrame:
    """Who used how much: per user, requests, blocked, failed, tokens charged and cost, heaviest first."""
    frame = _frame(db, 'select "user", role, count(*) as requests, '
                       "sum(case when status = 'blocked' then 1 else 0 end) as blocked, "
                       "sum(case when status = 'error' then 1 else 0 end) as failed, "
                       f"sum({CHARGED}) as tokens, coalesce(sum(cost), 0) as cost "
                       f"from interactions where created_at >= ? and {FINISHED} "
                       'group by "user", role order by tokens desc, requests desc limit ?', [_since(days), top])
    frame["cost"] = frame["cost"].astype(float).round(4)
    return frame


def problems(db: sqlite_utils.Database, days: int = 30) -> list[str]:
    """What may be wrong in the period, as sentences: failed requests by cause, guards that failed (and so
    blocked), requests left unfinished. Empty when nothing is."""
    since = _since(days)
    found = []
    errors = db.execute("select coalesce(error_class, 'unknown'), count(*) from interactions where created_at >= ? "
                        "and status = 'error' group by coalesce(error_class, 'unknown') order by count(*) desc",
                        [since]).fetchall()
    if errors:
        found.append(f"{sum(n for _, n in errors)} request(s) failed: " +
                     ", ".join(f"{cause} ×{n}" for cause, n in errors) + ".")
    broken: dict[str, int] = {}
    for (verdicts,) in db.execute("select verdicts from interactions where created_at >= ? and status = 'blocked' "
                                  "and verdicts like ?", [since, '%"error_class"%']):
        for v in json.loads(verdicts or "[]"):
            if (v.get("details") or {}).get("error_class"):
                broken[v["guard"]] = broken.get(v["guard"], 0) + 1
    if broken:
        found.append("Guards that failed or timed out, so their requests were blocked: " +
                     ", ".join(f"{GUARD_NAMES.get(g, g)} ×{n}" for g, n in sorted(broken.items())) + ".")
    left = db.execute("select count(*) from interactions where created_at >= ? and status not in "
                      "('ok', 'blocked', 'error')", [since]).fetchone()[0]
    if left:
        found.append(f"{left} request(s) are pending or were interrupted (closed by the stale sweep).")
    return found


# Readable names for guard ids, for admins who did not write the policy file.
GUARD_NAMES = {"model_access": "model access", "role_policy": "your role's policy", "rate_limit": "rate limit",
               "token_count": "prompt size", "token_budget": "token budget", "deny_rules": "blocked topics and words",
               "injection": "prompt injection", "harmful": "harmful request", "pii": "personal data",
               "routing": "routing rule"}


def describe_tokens(tokens_in: int | None, tokens_out: int | None, verdicts: list[dict] | None,
                    charged: bool = True) -> str:
    """'309 in (of which 290 are the system prompt and 2 earlier messages), 12 out', and whether they were
    charged: what a per-message count means when the conversation so far is sent again with every prompt."""
    counted = next(((v.get("details") or {}) for v in verdicts or [] if v.get("guard") == "token_count"), {})
    earlier, messages = counted.get("earlier_tokens"), counted.get("earlier_messages")
    text = f"{tokens_in or 0} in"
    if earlier:
        what = "the system prompt" + (f" and {messages} earlier message(s)" if messages else "")
        if not counted.get("system_prompt", True):
            what = f"{messages} earlier message(s)"
        text += f" (of which {earlier} are {what})"
    text += f", {tokens_out or 0} out"
    return text + ("" if charged else "; not charged: the request was blocked or failed before any answer")


def is_charged(row: dict) -> bool:
    """The Python twin of CHARGED, for one record."""
    return row.get("status") == "ok" or bool(row.get("tokens_out"))


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
    now = dt.datetime.now(dt.UTC)
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
