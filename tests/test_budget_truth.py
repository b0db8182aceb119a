"""Budgets hold against what the model itself counts: the reservation covers the system prompt, the history and
the chat template, the answer is capped at what was reserved, and 50 concurrent requests never overspend.
Real local model (its reported counts include its system prompt and template), real SQLite."""

from __future__ import annotations

import dataclasses
import threading

import yaml

from conftest import ROOT
from sandbox.app import build_sandbox
from sandbox.gateway import ChatRequest
from sandbox.store.usage import UsageLedger

BUDGET = 700


def tight_policy(tmp_path):
    policy = yaml.safe_load((ROOT / "policies" / "company.yaml").read_text())
    employee = policy["roles"]["employee"]
    employee["budgets"] = {"max_prompt_tokens": 1500, "max_output_tokens": 24, "user_tokens_per_day": BUDGET}
    employee["rate_limits"] = {}
    directory = tmp_path / "policies"
    directory.mkdir()
    (directory / "company.yaml").write_text(yaml.safe_dump(policy))
    (directory / "analysts.yaml").write_text((ROOT / "policies" / "analysts.yaml").read_text())
    return directory


def test_fifty_concurrent_requests_never_spend_more_than_the_budget_as_the_model_counts(tmp_path, settings,
                                                                                        local_model_url):
    settings = dataclasses.replace(settings, policies_dir=tight_policy(tmp_path))
    sandbox = build_sandbox(settings, local_model_url)
    history = [{"role": "user", "content": "We are planning a team lunch for Friday."},
               {"role": "assistant", "content": "Sounds good. How many people are coming?"}]
    barrier = threading.Barrier(50)
    results = []

    def one(i):
        barrier.wait()
        results.append(sandbox.gateway.handle(ChatRequest(
            user="ann", prompt=f"Suggest lunch option number {i} in one short sentence.", model="local",
            history=history, max_tokens=200)))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    answered = [r for r in results if r.ok]
    assert answered and len(answered) < 50  # the budget let some through and stopped the rest
    assert all(r.tokens_out <= 24 for r in answered)  # capped at the reserved answer, not the 200 asked
    as_the_model_counts = sum(r.tokens_in + r.tokens_out for r in answered)
    assert as_the_model_counts <= BUDGET
    assert UsageLedger(settings.db_path).spent("user", "ann", "day") <= BUDGET
    rows = list(sandbox.log.recent(limit=100, user="ann"))
    assert len(rows) == 50 and {r["status"] for r in rows} <= {"ok", "blocked"}
