"""Usage dashboard for admins (everyone's usage) and 'My usage' for everyone (the signed-in user's only)."""

from __future__ import annotations

import gradio as gr
import pandas as pd

from sandbox.app import Sandbox
from sandbox.audit import stats
from sandbox.guards.token_budget import budget_limits

DAYS = 30


def build_dashboard_tab(sandbox: Sandbox, access):
    """Admin tab. Returns (load, outputs) for the caller to run when the tab is opened."""
    with gr.Row():
        by_model = gr.LinePlot(x="day", y="tokens", color="model", title="Tokens per day by model",
                               elem_id="dash-model")
        by_role = gr.LinePlot(x="day", y="tokens", color="role", title="Tokens per day by role")
    by_user = gr.BarPlot(x="day", y="tokens", color="user", title="Tokens per day, heaviest users")
    with gr.Row():
        blocked = gr.BarPlot(x="guard", y="requests", title="Requests blocked, by guard", elem_id="dash-blocked")
        entities = gr.BarPlot(x="entity_type", y="entities", title="Personal data redacted, by type",
                              elem_id="dash-entities")
    latency = gr.BarPlot(x="part", y="p95", color="model", title="Latency p95 (ms) by part and model")
    latency_table = gr.Dataframe(label="Latency percentiles (ms), last 7 days", interactive=False)
    budgets = gr.Dataframe(label="Top users this month against their budgets", interactive=False,
                           elem_id="dash-budgets")
    routed = gr.Dataframe(label="Prompts routed by a policy rule (kept private), per day and reason",
                          interactive=False, elem_id="dash-routed")

    def load(request: gr.Request):
        access.admin(request)
        db = sandbox.log.db
        percentiles = stats.latency_percentiles(db)
        return (stats.tokens_per_day(db, "model", DAYS), stats.tokens_per_day(db, "role", DAYS),
                stats.tokens_per_day(db, "user", DAYS), stats.blocked_by_guard(db, DAYS),
                stats.entities_by_type(db, DAYS), percentiles, percentiles,
                stats.top_users_vs_budget(db, sandbox.policy.current.roles), stats.kept_private_by_reason(db, DAYS))

    return load, [by_model, by_role, by_user, blocked, entities, latency, latency_table, budgets, routed]


def build_my_usage_tab(sandbox: Sandbox, access):
    """Everyone's tab; every figure is computed on the server for the signed-in user only."""
    summary = gr.Markdown("", elem_id="my-usage-summary")
    tokens = gr.BarPlot(x="day", y="tokens", color="model", title="My tokens per day", elem_id="my-usage-plot")
    refresh = gr.Button("Refresh")

    def load(request: gr.Request):
        user, role = access.identity(request)
        frame = stats.tokens_per_day(sandbox.log.db, "model", DAYS, user=user)
        rules = sandbox.policy.role(role)
        limits = budget_limits(rules.budgets) if rules else []
        left = sandbox.policy.ledger.remaining(user, role, [l for l in limits if l.scope == "user"])
        budget = ", ".join(f"{n} tokens left {'today' if k.endswith('day') else 'this month'}"
                           for k, n in left.items()) or "no personal token budget"
        text = (f"**{user}** ({role}), last {DAYS} days: {int(frame['requests'].sum()) if len(frame) else 0} "
                f"request(s), {int(frame['tokens'].sum()) if len(frame) else 0} token(s), "
                f"{int(frame['blocked'].sum()) if len(frame) else 0} blocked. Budget: {budget}.")
        return text, frame if len(frame) else pd.DataFrame(columns=["day", "model", "tokens"])

    refresh.click(load, None, [summary, tokens], api_visibility="private")
    return load, [summary, tokens]
