"""The dashboard's figures, computed from a real audit log and budget ledger."""

from sandbox.audit import stats
from sandbox.policy.schema import Budgets, RolePolicy
from sandbox.store import InteractionLog
from sandbox.store.usage import Limit, UsageLedger

PII = {"guard": "pii", "decision": "redact", "details": {"entities": {"PERSON": 2, "EMAIL_ADDRESS": 1}}}
BLOCK = {"guard": "deny_rules", "decision": "block", "message": "no"}


def record(log, user, role, model, tokens_in, tokens_out, blocked=False, latency=100.0):
    iid = log.start(user=user, role=role, model=model, prompt="p", verdicts=[PII, BLOCK] if blocked else [PII])
    log.finish(iid, status="blocked" if blocked else "ok", decision="block" if blocked else "redact", answer="a",
               tokens_in=tokens_in, tokens_out=tokens_out, latency_ms=latency, guard_ms=latency / 10,
               model_ms=latency * 0.9)


def test_dashboard_figures(store_target):  # on SQLite and on PostgreSQL
    path = store_target
    log = InteractionLog(path)
    record(log, "ann", "employee", "local", 10, 20, latency=100)
    record(log, "ann", "employee", "local", 5, 5, latency=300)
    record(log, "bob", "analyst", "gpt-4o-mini", 100, 50, latency=200)
    record(log, "bob", "analyst", "local", 7, 0, blocked=True)
    db = log.db

    by_model = stats.tokens_per_day(db, "model").groupby("model")["tokens"].sum().to_dict()
    assert by_model == {"local": 47, "gpt-4o-mini": 150}
    by_role = stats.tokens_per_day(db, "role").groupby("role")["requests"].sum().to_dict()
    assert by_role == {"employee": 2, "analyst": 2}
    mine = stats.tokens_per_day(db, "model", user="ann")
    assert set(mine["model"]) == {"local"} and mine["tokens"].sum() == 40

    blocked = stats.blocked_by_guard(db)
    assert blocked.to_dict("records") == [{"guard": "deny_rules", "requests": 1}]
    entities = dict(zip(*stats.entities_by_type(db).values.T))
    assert entities == {"PERSON": 8, "EMAIL_ADDRESS": 4}

    latency = stats.latency_percentiles(db)
    total = latency[(latency["model"] == "local") & (latency["part"] == "total")].iloc[0]
    assert total["requests"] == 3 and total["p50"] == 100.0

    ledger = UsageLedger(path)
    for used in (300, 200):
        reservation = ledger.reserve(user="ann", role="employee", model="local", tokens=600,
                                     limits=[Limit("user", "day", 10_000)])
        ledger.settle(reservation.ledger_id, used)
    roles = {"employee": RolePolicy(models=["local"], budgets=Budgets(user_tokens_per_day=1000,
                                                                       user_tokens_per_month=2000))}
    top = stats.top_users_vs_budget(db, roles).to_dict("records")
    assert top == [{"user": "ann", "role": "employee", "today": 500, "this_month": 500, "day_budget": 1000,
                    "month_budget": 2000, "month_used_pct": 25.0}]
