"""A process killed mid-request leaves its record pending and its tokens reserved; the next start-up (or age)
closes the record as `interrupted` and gives the tokens back. Real `sandbox ask` process, real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from browser import add_account
from conftest import ROOT, cli_env
from sandbox.app import build_sandbox
from sandbox.store.stale import close_interrupted
from sandbox.store.usage import UsageLedger


def test_a_request_killed_mid_way_is_closed_and_its_reservation_released(settings, data_dir, local_model_url):
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url)
    add_account(data_dir, "ann")
    asking = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "ask", "--user", "ann", "--max-tokens", "400",
                               "Write a long story about a lighthouse keeper, in many paragraphs."],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ledger = UsageLedger(settings.db_path)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if settings.db_path.exists() and ledger.db.execute(
                "select count(*) from interactions where status = 'pending'").fetchone()[0]:
            break
        assert asking.poll() is None, f"finished before it could be interrupted: {asking.stderr.read()[-500:]}"
        time.sleep(0.05)
    os.kill(asking.pid, signal.SIGKILL)
    asking.wait()
    reserved = ledger.spent("user", "ann", "day")
    assert reserved > 0  # held by a process that no longer exists

    sandbox = build_sandbox(settings, local_model_url)  # start-up
    rows = list(sandbox.log.recent(user="ann"))
    assert [r["status"] for r in rows] == ["interrupted"]
    assert rows[0]["error_class"] == "Interrupted" and rows[0]["finished_at"]
    assert ledger.spent("user", "ann", "day") == 0
    assert sandbox.log.db.execute("select count(*) from audit_chain where ref_id = ?", [rows[0]["id"]]).fetchone()[0]


def test_a_pending_record_older_than_the_limit_is_closed_even_if_its_owner_lives(sandbox):
    interaction_id = sandbox.log.start(user="ann", role="employee", model="local", conversation_id="c", turn=1,
                                       prompt="hello", verdicts=[])
    assert close_interrupted(sandbox.log, sandbox.policy.ledger, max_age_s=3600) == {"interrupted": 0,
                                                                                      "released": 0}
    assert close_interrupted(sandbox.log, sandbox.policy.ledger, max_age_s=0)["interrupted"] == 1
    assert sandbox.log.get(interaction_id)["status"] == "interrupted"
