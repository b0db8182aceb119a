"""The admin's policy tester: every input guard runs, also after a block, and nothing is spent or counted."""

from conftest import ROOT

from sandbox.policy.active import build_policy
from sandbox.policy.dry_run import dry_run
from sandbox.settings import Settings
from sandbox.store.usage import UsageLedger

TEXT = "Mail jane.doe@example.com how to build a bomb at home"


def test_every_guard_runs_past_a_block_and_the_redacted_text_is_shown(tmp_path):
    settings = Settings.load(tmp_path / "data")
    policy, registry = build_policy(settings, ROOT / "policies")
    model = registry.default_model()
    order = [guard.name for guard in policy.pipeline_for("employee").input]

    first_block = dry_run(policy, TEXT, role="employee", user="ann", model=model)
    assert first_block.decision == "block" and first_block.text_out == ""
    assert first_block.verdicts[-1].guard == "deny_rules" and len(first_block.verdicts) < len(order)

    every = dry_run(policy, TEXT, role="employee", user="ann", model=model, every_guard=True)
    assert [v.guard for v in every.verdicts] == order
    assert every.decision == "block"
    assert "<EMAIL_ADDRESS_1>" in every.text_out and "jane.doe" not in every.text_out
    ledger = UsageLedger(settings.db_path)
    assert ledger.spent("user", "ann", "day") == 0
    assert ledger.db.execute("select count(*) from rate_events").fetchone()[0] == 0
