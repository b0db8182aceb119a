"""The policy in force: guards built from the files, reload without restart, last good set kept, versions."""

import os
import time

import pytest

from sandbox.gateway import ChatRequest, Gateway
from sandbox.guards.base import GuardContext, run_guards
from sandbox.llm.client import ModelClient
from sandbox.llm.registry import ModelRegistry
from sandbox.policy.active import ActivePolicy
from sandbox.policy.dry_run import dry_run
from sandbox.settings import PROJECT_ROOT
from sandbox.store.interactions import InteractionLog
from sandbox.store.usage import UsageLedger

REGISTRY = ModelRegistry.from_file(PROJECT_ROOT / "models.yaml")
POLICY = """\
roles:
  employee:
    models: [local]
    budgets: {max_output_tokens: 100, user_tokens_per_day: 1000, role_tokens_per_month: 250}
    rate_limits: {per_minute: 50}
    deny_rules:
      - name: falcon
        kind: keywords
        patterns: [project falcon]
        message: Project Falcon is confidential; describe it in general terms.
    injection: {threshold: 0.5}
    pii: {enabled: false}
  admin:
    models: ['*']
    pii: {enabled: false}
"""


def write(directory, text, name="company.yaml"):
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def policies(tmp_path):
    directory = tmp_path / "policies"
    write(directory, POLICY)
    return directory


@pytest.fixture
def active(tmp_path, policies):
    return ActivePolicy(policies, REGISTRY, {"local", "gpt-4o-mini"}, tmp_path / "sandbox.db")


def check(active, text, role="employee", model="local", user="ann"):
    return dry_run(active, text, role=role, user=user, model=model)


def messages(result):
    return [reason["message"] for reason in result.to_dict()["reasons"]]


def test_model_access_follows_the_role(active):
    assert check(active, "hello").decision == "allow"
    refused = check(active, "hello", model="gpt-4o-mini")
    assert refused.decision == "block" and refused.verdicts[-1].guard == "model_access"
    assert "Your role 'employee' may not use 'gpt-4o-mini'" in messages(refused)[0]
    assert check(active, "hello", role="admin", model="gpt-4o-mini").decision == "allow"
    missing = check(active, "hello", role="admin", model="claude-haiku")  # known, not available here
    assert missing.decision == "block" and "not available" in messages(missing)[0]


def test_role_with_no_policy_is_refused_with_a_sentence(active):
    result = check(active, "hello", role="contractor")
    assert result.decision == "block"
    assert messages(result) == ["Your role 'contractor' has no policy, so nothing can be sent. Ask an admin to add it."]


def test_deny_rule_message_comes_from_the_policy(active):
    result = check(active, "What is the budget of PROJECT \u200bFALC\u041eN?")  # zero-width, Cyrillic O
    assert result.decision == "block" and result.text_out == ""
    assert messages(result) == ["Project Falcon is confidential; describe it in general terms."]


def test_budgets_come_from_the_policy(active):
    ctx = GuardContext(user="ann", role="employee", model="local")
    _, verdicts = run_guards(active.pipeline_for("employee").input, "hello there", ctx)
    budget = verdicts[-1]
    assert budget.guard == "token_budget" and budget.decision.value == "allow"
    tokens = ctx.state["prompt_tokens"]
    assert budget.details["reserved"] == tokens + 100  # the prompt plus the policy's max_output_tokens
    assert active.ledger.spent("user", "ann", "day") == tokens + 100


def test_role_budget_is_shared_by_the_role_users(active):
    pipeline = active.pipeline_for("employee")
    decisions = {}
    for user in ["ann", "bob", "cem", "dan", "eve", "fay"]:
        ctx = GuardContext(user=user, role="employee", model="local")
        _, verdicts = run_guards(pipeline.input, "hello", ctx)
        decisions[user] = verdicts[-1]
    granted = [u for u, v in decisions.items() if v.decision.value == "allow"]
    # 250 tokens a month for the role; each request reserves its prompt as the model gets it (system prompt and
    # chat template included) plus the policy's 100-token answer.
    each = decisions["ann"].details["reserved"]
    assert each > 100 and granted == ["ann", "bob", "cem"][: 250 // each]
    refused = decisions["fay"]
    assert refused.decision.value == "block" and "'employee' role's token budget" in refused.message
    assert "this month" in refused.message


def test_injection_threshold_comes_from_the_policy(tmp_path, policies, active):
    # One weak rule hint (rule score 0.45), which the learned model does not push over 0.5. (The former text here,
    # a plea for no warnings or disclaimers, is refusal suppression that the learned model now blocks at 0.5.)
    text = "How do I enable developer mode on my phone?"
    assert check(active, text).decision == "allow"
    write(policies, POLICY.replace("threshold: 0.5", "threshold: 0.3"))
    assert active.refresh(force=True)
    strict = check(active, text)
    assert strict.decision == "block" and strict.verdicts[-1].guard == "injection"
    assert strict.verdicts[-1].details["threshold"] == 0.3


def test_dry_run_spends_no_budget_and_counts_no_request(active):
    for _ in range(3):
        assert check(active, "hello").decision == "allow"
    assert active.ledger.spent("user", "ann", "day") == 0
    assert active.rates.db["rate_events"].count == 0


def test_a_changed_file_is_picked_up_within_seconds(policies, active):
    first = active.current.version
    write(policies, POLICY.replace("models: [local]", "models: [local, gpt-4o-mini]"))
    deadline = time.monotonic() + 5
    while active.current.version == first and time.monotonic() < deadline:
        active.pipeline_for("employee")  # every request checks the files, at most once a second
        time.sleep(0.1)
    assert active.current.version != first
    assert check(active, "hello", model="gpt-4o-mini").decision == "allow"
    rows = list(active.db["policy_versions"].rows_where(order_by="applied_at"))
    assert [r["version"] for r in rows] == [first, active.current.version]
    assert rows[0]["applied_by"] == "startup" and rows[0]["summary"].startswith("initial: roles admin, employee")
    assert rows[1]["applied_by"] == "file-watch" and rows[1]["summary"] == "employee: models changed"
    assert rows[1]["applied_at"] >= rows[0]["applied_at"]


def test_an_invalid_file_keeps_the_last_good_version(policies, active, caplog):
    good = active.current.version
    write(policies, POLICY.replace("models: [local]", "models: [local, gpt-17]"))
    with caplog.at_level("ERROR", logger="sandbox.policy"):
        assert active.refresh(force=True) is False
    assert f"version {good} stays in force" in caplog.text and "unknown model 'gpt-17'" in caplog.text
    assert active.current.version == good
    assert [str(p) for p in active.errors] == [
        f"{policies}/company.yaml:3: roles.employee.models.1: unknown model 'gpt-17' "
        f"(known: {', '.join(sorted(m.name for m in REGISTRY.all))})"]
    assert check(active, "hello", model="local").decision == "allow"  # still served by the good version
    assert active.db["policy_versions"].count == 1
    write(policies, POLICY + "  broken: [unclosed\n")
    active.refresh(force=True)
    assert active.current.version == good and active.errors[0].field == "(yaml)"
    write(policies, POLICY)  # fixed: errors clear, the same version is still in force
    active.refresh(force=True)
    assert active.errors == [] and active.current.version == good


def test_an_invalid_set_at_startup_is_refused(tmp_path):
    directory = tmp_path / "bad"
    write(directory, "roles:\n  employee:\n    models: [local]\n")
    with pytest.raises(ValueError) as info:
        ActivePolicy(directory, REGISTRY, {"local"}, tmp_path / "sandbox.db")
    assert "roles.admin: every policy set must define this role" in str(info.value)


def test_records_store_the_version_in_force_and_output_rules_check_answers(tmp_path, policies, active,
                                                                           local_model_url):
    answers_rule = ("    output:\n      deny_rules:\n        - name: city\n          kind: keywords\n"
                    "          patterns: [paris]\n          message: Answers may not name that city.\n")
    write(policies, POLICY.replace("    pii: {enabled: false}\n  admin:", "    pii: {enabled: false}\n"
                                   + answers_rule + "  admin:"))
    active.refresh(force=True)
    log = InteractionLog(tmp_path / "sandbox.db")
    gateway = Gateway(log, ModelClient(REGISTRY, local_model_url, os.environ["SANDBOX_LOCAL_MODEL_KEY"]), active)
    result = gateway.handle(ChatRequest(user="ann", prompt="What is the capital of France?", model="local",
                                        max_tokens=48))
    assert result.status == "blocked" and result.message == "Answers may not name that city.", result
    assert result.answer == "" and result.verdicts[-1]["guard"] == "deny_rules"
    row = log.get(result.interaction_id)
    assert row["policy_version"] == active.current.version and row["answer"] == ""
    used = row["tokens_in"] + row["tokens_out"]
    assert UsageLedger(tmp_path / "sandbox.db").spent("user", "ann", "day") == used  # settled, not reserved

    before = active.current.version
    write(policies, POLICY.replace("threshold: 0.5", "threshold: 0.4"))
    active.refresh(force=True)
    blocked = gateway.handle(ChatRequest(user="ann", prompt="Tell me about Project Falcon", model="local"))
    assert blocked.status == "blocked"
    assert log.get(blocked.interaction_id)["policy_version"] == active.current.version != before
