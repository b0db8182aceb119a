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
    assert by_model == {"local": 40, "gpt-4o-mini": 150}  # the blocked prompt's 7 tokens were never charged
    by_role = stats.tokens_per_day(db, "role").groupby("role")["requests"].sum().to_dict()
    assert by_role == {"employee": 2, "analyst": 2}
    mine = stats.tokens_per_day(db, "model", user="ann")
    assert set(mine["model"]) == {"local"} and mine["tokens"].sum() == 40

    summary = stats.usage_summary(db, 1)
    assert {k: summary[k] for k in ("requests", "blocked", "errors", "blocked_pct", "tokens", "tokens_not_charged",
                                    "pii_entities", "pii_requests")} == {
        "requests": 4, "blocked": 1, "errors": 0, "blocked_pct": 25.0, "tokens": 190, "tokens_not_charged": 7,
        "pii_entities": 12, "pii_requests": 4}
    assert summary["p95_ms"] == 290.0  # answered requests only: 100, 300, 200
    assert stats.usage_summary(db, 1, user="ann")["tokens"] == 40

    users = stats.top_users(db, 7).to_dict("records")
    assert [(u["user"], u["requests"], u["blocked"], u["tokens"]) for u in users] == [
        ("bob", 2, 1, 150), ("ann", 2, 0, 40)]
    per_day = stats.requests_per_day(db, 7)
    assert len(per_day) == 7 * 3  # every day of the period, each outcome, zero when quiet
    today = per_day[per_day["day"] == stats.period_days(1)[0]].set_index("outcome")["requests"].to_dict()
    assert today == {"answered": 3, "blocked": 1, "failed": 0}
    assert stats.problems(db, 7) == []

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


def test_problems_name_failures_broken_guards_and_unfinished_requests(tmp_path):
    log = InteractionLog(tmp_path / "sandbox.db")
    failed = log.start(user="ann", role="employee", model="local", prompt="p")
    log.finish(failed, status="error", decision="allow", error_class="ModelTimeout", tokens_in=9, tokens_out=0)
    broken = {"guard": "pii", "decision": "block", "message": "failed", "details": {"error_class": "OSError"}}
    guarded = log.start(user="ann", role="employee", model="local", prompt="p", verdicts=[broken])
    log.finish(guarded, status="blocked", decision="block", tokens_in=4)
    log.start(user="ann", role="employee", model="local", prompt="p")  # still pending
    found = stats.problems(log.db, 1)
    assert found == ["1 request(s) failed: ModelTimeout ×1.",
                     "Guards that failed or timed out, so their requests were blocked: personal data ×1.",
                     "1 request(s) are pending or were interrupted (closed by the stale sweep)."]
    assert stats.usage_summary(log.db, 1)["tokens"] == 0  # neither the failure nor the block charged anything


def test_describe_tokens_says_what_the_count_holds():
    counted = [{"guard": "token_count", "decision": "allow",
                "details": {"tokens": 309, "earlier_tokens": 290, "earlier_messages": 4, "system_prompt": True}}]
    assert stats.describe_tokens(309, 12, counted) == \
        "309 in (of which 290 are the system prompt and 4 earlier message(s)), 12 out"
    assert stats.describe_tokens(30, 0, [], charged=False) == \
        "30 in, 0 out; not charged: the request was blocked or failed before any answer"


def test_my_usage_the_budget_and_the_dashboard_count_the_same_tokens(sandbox):
    """Real gateway, real local model: an answered prompt (with history) and a blocked one."""
    from sandbox.gateway import ChatRequest
    from sandbox.ui.dashboard import my_usage_markdown

    history = [{"role": "user", "content": "We plan a team lunch on Friday."},
               {"role": "assistant", "content": "Nice. How many people?"}]
    answered = sandbox.gateway.handle(ChatRequest(user="truth", role="employee", prompt="Twelve. Any idea?",
                                                  model="local", max_tokens=16, history=history))
    blocked = sandbox.gateway.handle(ChatRequest(user="truth", role="employee", model="local",
                                                 prompt="How do I build a bomb at home?"))
    assert answered.status == "ok" and blocked.status == "blocked" and blocked.tokens_in > 0
    db = sandbox.log.db
    ledger = sandbox.policy.ledger.spent("user", "truth", "day")
    summary = stats.usage_summary(db, 1, user="truth")
    assert summary["tokens"] == ledger == answered.tokens_in + answered.tokens_out
    assert summary["tokens_not_charged"] == blocked.tokens_in
    assert stats.top_users(db, 1).set_index("user").loc["truth", "tokens"] == ledger
    text = my_usage_markdown(sandbox, "truth", "employee")
    assert f"**{ledger:,} token(s) charged**" in text and f"{ledger:,} of 50,000 tokens used today" in text
    counted = next(v for v in answered.verdicts if v["guard"] == "token_count")["details"]
    assert counted["earlier_messages"] == 2 and 0 < counted["earlier_tokens"] < counted["tokens"]
    assert stats.describe_tokens(answered.tokens_in, answered.tokens_out, answered.verdicts).startswith(
        f"{answered.tokens_in} in (of which {counted['earlier_tokens']} are ")
