"""Usage dashboard for admins (everyone's usage) and 'My usage' for everyone (the signed-in user's only).

Every token figure is the charged count of sandbox.audit.stats (what the budget ledger settles), so the dashboard,
My usage and the budget agree. Plots are bars on a zero baseline with integer ticks: one day or one event reads.
"""

from __future__ import annotations

import html

import gradio as gr
import pandas as pd

from sandbox.app import Sandbox
from sandbox.audit import stats
from sandbox.guards.token_budget import budget_limits

PERIODS = [("Today", 1), ("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90)]
DAYS = 30
NEAR_BUDGET_PCT = 80  # a user this close to their monthly budget is worth an admin's glance
NO_USERS = "No requests in this period yet: each user who sends one appears here."
TOKENS_COUNTED = ("Tokens are those charged: prompts blocked before the model, and calls that failed before any "
                  "answer, cost nothing (they are counted apart).")


def bar_plot(x: str, y: str, title: str, elem_id: str, color: str | None = None, **more) -> gr.BarPlot:
    if x == "day":  # one bar per day, labelled MM-DD (UTC), turned so a month of labels does not overlap
        more = {"x_title": "day (UTC)", "x_label_angle": -60, **more}
    return gr.BarPlot(x=x, y=y, color=color, title=title, elem_id=elem_id, y_lim=[0, None], y_axis_format="d",
                      height=280, **more)


def by_day(frame: pd.DataFrame, days: int, y: str, color: str | None = None) -> pd.DataFrame:
    """Every day of the period (zero where quiet), labelled MM-DD so 30 or 90 of them fit under a plot."""
    if frame.empty:
        return frame
    groups = sorted(frame[color].unique()) if color else [None]
    filled = {(r["day"], r[color] if color else None): r[y] for r in frame.to_dict("records")}
    rows = [{"day": day[5:], **({color: g} if color else {}), y: int(filled.get((day, g), 0))}
            for day in stats.period_days(days) for g in groups]
    return pd.DataFrame(rows)


def table_or_note(frame: pd.DataFrame, note: str) -> pd.DataFrame:
    """A table, or with no rows a one-cell table saying what will appear (an empty grid of headers says nothing)."""
    return frame if len(frame) else pd.DataFrame({"": [note]})


def bars(frame: pd.DataFrame, x: str, y: str, empty: str) -> tuple:
    """(plot update, note update): the bars with a y axis from zero to a round top of at least 5, so the ticks are
    whole numbers; or, with nothing to draw, the plot hidden and a sentence saying what will appear."""
    if frame.empty or not frame[y].sum():
        return gr.update(visible=False, value=None), gr.update(visible=True, value=f"*{empty}*")
    peak = float(frame.groupby(x)[y].sum().max())
    top = max(5, int(-(-peak * 1.1 // 1)))
    return gr.update(visible=True, value=frame, y_lim=[0, top]), gr.update(visible=False, value="")


def tiles_html(summary: dict) -> str:
    """Headline figures as tiles; every value is a number or an escaped word."""
    p95 = f"{summary['p95_ms'] / 1000:.1f} s" if summary["p95_ms"] is not None else "–"
    tiles = [("Requests", f"{summary['requests']:,}", f"{summary['errors']} failed"),
             ("Blocked", f"{summary['blocked_pct']:g} %", f"{summary['blocked']:,} request(s)"),
             ("Personal data redacted", f"{summary['pii_entities']:,}", f"in {summary['pii_requests']:,} request(s)"),
             ("Tokens charged", f"{summary['tokens']:,}", f"+{summary['tokens_not_charged']:,} counted, not charged"),
             ("Cost", f"${summary['cost']:,.4f}", "hosted models only"),
             ("Latency p95", p95, "answered requests")]
    cells = "".join(f'<div class="sbx-tile" data-tile="{html.escape(name)}"><div class="sbx-tile-name">'
                    f'{html.escape(name)}</div><div class="sbx-tile-value">{html.escape(value)}</div>'
                    f'<div class="sbx-tile-note">{html.escape(note)}</div></div>' for name, value, note in tiles)
    return f'<style>{TILE_CSS}</style><div class="sbx-tiles">{cells}</div>'


TILE_CSS = """
.sbx-tiles {display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px;}
.sbx-tile {border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 14px;}
.sbx-tile-name {font-size: 0.85em; opacity: 0.75;}
.sbx-tile-value {font-size: 1.6em; font-weight: 600; white-space: nowrap;}
.sbx-tile-note {font-size: 0.8em; opacity: 0.7;}
"""


def problems_markdown(found: list[str]) -> str:
    if not found:
        return ("**Is anything wrong?** No failed requests, no failed guards, nothing left unfinished in this period, "
                f"nobody above {NEAR_BUDGET_PCT} % of their monthly budget.")
    return "**Is anything wrong?**\n\n" + "\n".join(f"- {html.escape(line)}" for line in found)


def build_dashboard_tab(sandbox: Sandbox, access):
    """Admin tab. Returns (load, outputs) for the caller to run when the tab is opened."""
    with gr.Row():
        period = gr.Dropdown(PERIODS, value=30, label="Period", scale=1, elem_id="dash-period")
        refresh = gr.Button("Refresh", scale=0)
    tiles = gr.HTML("", elem_id="dash-tiles")
    gr.Markdown(TOKENS_COUNTED)
    health = gr.Markdown("", elem_id="dash-problems")
    users = gr.Dataframe(label="Who used how much (heaviest first)", interactive=False, elem_id="dash-users")
    with gr.Row():
        with gr.Column():
            outcomes = bar_plot("day", "requests", "Requests per day, by outcome", "dash-requests", color="outcome")
            outcomes_empty = gr.Markdown(visible=False)
        with gr.Column():
            by_model = bar_plot("day", "tokens", "Tokens charged per day, by model", "dash-model", color="model")
            by_model_empty = gr.Markdown(visible=False)
    with gr.Row():
        with gr.Column():
            blocked = bar_plot("guard", "requests", "Requests blocked, by guard", "dash-blocked", sort="-y")
            blocked_empty = gr.Markdown(visible=False, elem_id="dash-blocked-empty")
        with gr.Column():
            entities = bar_plot("entity_type", "entities", "Personal data redacted, by type", "dash-entities",
                                sort="-y", x_title="type")
            entities_empty = gr.Markdown(visible=False)
    latency_table = gr.Dataframe(label="Latency percentiles (ms) by model and part", interactive=False)
    budgets = gr.Dataframe(label="Top users this month against their budgets", interactive=False,
                           elem_id="dash-budgets")
    routed = gr.Dataframe(label="Prompts routed by a policy rule (kept private), per day and reason",
                          interactive=False, elem_id="dash-routed")

    def figures(days: int):
        db = sandbox.log.db
        days = int(days or DAYS)
        guards = stats.blocked_by_guard(db, days)
        guards["guard"] = [stats.GUARD_NAMES.get(g, g) for g in guards["guard"]]
        budgets_frame = stats.top_users_vs_budget(db, sandbox.policy.current.roles)
        near = [f"{r['user']} has used {r['month_used_pct']:g} % of their monthly token budget."
                for r in budgets_frame.to_dict("records") if (r["month_used_pct"] or 0) >= NEAR_BUDGET_PCT]
        return (tiles_html(stats.usage_summary(db, days)), problems_markdown(stats.problems(db, days) + near),
                table_or_note(stats.top_users(db, days), NO_USERS),
                *bars(by_day(stats.requests_per_day(db, days), days, "requests", "outcome"), "day", "requests",
                      "No requests in this period. Bars per day (answered, blocked, failed) appear with the first."),
                *bars(by_day(stats.tokens_per_day(db, "model", days), days, "tokens", "model"), "day", "tokens",
                      "No tokens charged in this period. A bar per day and model appears once a model answers."),
                *bars(guards, "guard", "requests",
                      "Nothing was blocked in this period. When a guard blocks a request, a bar for it appears here."),
                *bars(stats.entities_by_type(db, days), "entity_type", "entities",
                      "No personal data was redacted in this period. Each type replaced (names, e-mails, ...) "
                      "appears here with its count."),
                table_or_note(stats.latency_percentiles(db, days), "No finished request in this period: the "
                              "p50, p95 and p99 of guard, model and total time per model appear with the first."),
                table_or_note(budgets_frame, "No tokens were "
                              "reserved against a budget this month: each user with a budget appears here."),
                table_or_note(stats.kept_private_by_reason(db, days), "No prompt was routed by a policy rule in "
                              "this period: a routing rule's choices, per day and reason, appear here."))

    def load(request: gr.Request):
        access.admin(request)
        return figures(DAYS)

    def reload(days, request: gr.Request):
        access.admin(request)
        return figures(days)

    outputs = [tiles, health, users, outcomes, outcomes_empty, by_model, by_model_empty, blocked, blocked_empty,
               entities, entities_empty, latency_table, budgets, routed]
    period.change(reload, [period], outputs, api_visibility="private")
    refresh.click(reload, [period], outputs, api_visibility="private")
    return load, outputs


def my_usage_markdown(sandbox: Sandbox, user: str, role: str, days: int = DAYS) -> str:
    """The signed-in user's figures and budget, in the same charged tokens as the budget ledger."""
    mine = stats.usage_summary(sandbox.log.db, days, user=user)
    rules = sandbox.policy.role(role)
    limits = [l for l in (budget_limits(rules.budgets) if rules else []) if l.scope == "user"]
    left = sandbox.policy.ledger.remaining(user, role, limits)
    today = stats.usage_summary(sandbox.log.db, 1, user=user)["tokens"] if limits else 0
    words = {"day": "today", "month": "this month"}
    budget = "; ".join(f"{limit.tokens - left[f'user/{limit.period}']:,} of {limit.tokens:,} tokens used "
                       f"{words[limit.period]} ({left[f'user/{limit.period}']:,} left)" for limit in limits) \
        or "no personal token budget"
    not_charged = (f" ({mine['tokens_not_charged']:,} more were counted for blocked or failed requests, which cost "
                   "nothing)") if mine["tokens_not_charged"] else ""
    return (f"**{html.escape(user)}** ({html.escape(role)}), last {days} days: {mine['requests']:,} request(s), "
            f"{mine['blocked']:,} blocked, {mine['errors']:,} failed; **{mine['tokens']:,} token(s) charged**"
            f"{not_charged}.\n\n**Budget:** {budget}." +
            (f" Charged today: {today:,} token(s)." if limits else "") +
            "\n\nCharged tokens are the prompt as the model received it (with the conversation so far) plus the "
            "answer; prompts blocked before the model cost nothing.")


def build_my_usage_tab(sandbox: Sandbox, access):
    """Everyone's tab; every figure is computed on the server for the signed-in user only."""
    summary = gr.Markdown("", elem_id="my-usage-summary")
    tokens = bar_plot("day", "tokens", "My tokens charged per day", "my-usage-plot", color="model")
    tokens_empty = gr.Markdown(visible=False, elem_id="my-usage-empty")
    refresh = gr.Button("Refresh")

    def load(request: gr.Request):
        user, role = access.identity(request)
        frame = by_day(stats.tokens_per_day(sandbox.log.db, "model", DAYS, user=user), DAYS, "tokens", "model")
        return (my_usage_markdown(sandbox, user, role),
                *bars(frame, "day", "tokens", "No tokens charged in the last 30 days. Once a model answers you, "
                                              "a bar per day appears here."))

    refresh.click(load, None, [summary, tokens, tokens_empty], api_visibility="private")
    return load, [summary, tokens, tokens_empty]
