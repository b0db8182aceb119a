"""`sandbox users ...` and `sandbox feedback ...` as people run them, in subprocesses, on a real interaction."""

from __future__ import annotations

import json
import shutil

import pytest
import sqlite_utils
import yaml

from conftest import ROOT, cli_env, sandbox_cli

CANARY_EMAIL = "canary.cli7730@example.org"
CANARY_PASSWORD = "cli-Pa55-canary-5120"


def run(*args, env, ok=True):
    done = sandbox_cli(*args, env=env)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done


@pytest.fixture
def world(data_dir, local_model_url, tmp_path):
    """Accounts made with the CLI and one answered interaction of 'ann', asked with `sandbox ask --json`."""
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url, SANDBOX_POLICIES_DIR=str(policies))
    run("users", "add", "ann", "--password", CANARY_PASSWORD, env=env)
    run("users", "add", "bob", env=env)
    run("users", "add", "rita", "--role", "admin", env=env)
    run("users", "add", "rex", "--role", "analyst", env=env)
    asked = run("ask", "What is the capital of France?", "--json", "--max-tokens", "24", "--user", "ann", env=env)
    return {"env": env, "interaction": json.loads(asked.stdout)["interaction_id"], "policies": policies,
            "db": data_dir / "sandbox.db", "data_dir": data_dir}


def test_users_commands(data_dir, tmp_path):
    env = cli_env(data_dir)
    created = run("users", "add", "zoe", env=env)
    assert "Created zoe (employee)." in created.stdout and "Password (shown once):" in created.stdout
    assert "Unknown role 'boss'" in run("users", "add", "yan", "--role", "boss", env=env, ok=False).stderr
    assert "already exists" in run("users", "add", "zoe", env=env, ok=False).stderr
    run("users", "set-role", "zoe", "admin", env=env)
    run("users", "disable", "zoe", env=env)
    assert run("users", "list", env=env).stdout.splitlines() == ["zoe\tadmin\tdisabled\tlocal"]
    run("users", "enable", "zoe", env=env)
    run("users", "reset-password", "zoe", "--password", CANARY_PASSWORD, env=env)
    from sandbox.store.users import UserDirectory

    users = UserDirectory(data_dir / "sandbox.db")
    assert users.sign_in("zoe", CANARY_PASSWORD, "127.0.0.1")[0].role == "admin"
    assert "There is no user 'nobody'" in run("users", "disable", "nobody", env=env, ok=False).stderr
    users.db.execute("pragma wal_checkpoint(full)")
    assert all(CANARY_PASSWORD.encode() not in p.read_bytes() for p in data_dir.iterdir() if p.is_file())


def test_feedback_add_list_approve_export_without_the_canary(world, tmp_path):
    env, interaction = world["env"], world["interaction"]
    added = run("feedback", "add", interaction, "--rating", "down", "--comment", f"Mail {CANARY_EMAIL}",
                "--better", f"Paris. Contact {CANARY_EMAIL} for more.", "--consent", "--user", "ann", env=env)
    feedback_id = int(added.stdout.split()[1])
    # employees see only their own feedback; reviewers see all
    assert run("feedback", "list", "--user", "bob", "--json", env=env).stdout == ""
    mine = [json.loads(l) for l in run("feedback", "list", "--user", "ann", "--json", env=env).stdout.splitlines()]
    assert [i["id"] for i in mine] == [feedback_id] and CANARY_EMAIL not in json.dumps(mine)
    assert "<EMAIL_ADDRESS_1>" in mine[0]["better_answer"]
    assert len(run("feedback", "list", "--user", "rita", "--status", "pending", env=env).stdout.splitlines()) == 1
    # only reviewers may review or export
    refused = run("feedback", "approve", str(feedback_id), "--user", "bob", env=env, ok=False)
    assert "may not review or export feedback" in refused.stderr
    out = tmp_path / "out" / "chat.jsonl"
    assert "may not review" in run("feedback", "export", "--format", "chat", "--out", str(out), "--user", "ann",
                                   env=env, ok=False).stderr
    assert not out.exists()
    assert "approved (1 approval(s))" in run("feedback", "approve", str(feedback_id), "--user", "rex", env=env).stdout
    exported = run("feedback", "export", "--format", "chat", "--out", str(out), "--user", "rita", env=env)
    assert "1 item(s) written" in exported.stdout
    record = json.loads(out.read_text())
    assert record["messages"][-1]["role"] == "assistant" and "Paris" in record["messages"][-1]["content"]
    dpo = tmp_path / "out" / "dpo.jsonl"
    run("feedback", "export", "--format", "dpo", "--out", str(dpo), "--user", "rita", env=env)
    pair = json.loads(dpo.read_text())
    assert set(pair) == {"prompt", "chosen", "rejected"} and "Paris" in pair["chosen"]
    manifest = json.loads((tmp_path / "out" / "chat.jsonl.manifest.json").read_text())
    assert manifest["counts"]["exported"] == 1 and manifest["exported_by"] == "rita"
    events = sqlite_utils.Database(world["db"])["audit_events"].rows_where("kind = 'dataset-export'")
    assert sorted(e["actor"] for e in events) == ["rita", "rita"]  # CLI exports are in the audit chain
    sqlite_utils.Database(world["db"]).execute("pragma wal_checkpoint(full)")
    for path in [*world["data_dir"].rglob("*"), *(tmp_path / "out").iterdir()]:
        if path.is_file():
            assert CANARY_EMAIL.encode() not in path.read_bytes(), f"the canary reached {path}"


def test_reexport_of_a_dataset_version_reproduces_the_same_bytes(world, tmp_path):
    env = world["env"]
    fid = run("feedback", "add", world["interaction"], "--rating", "up", "--consent", "--user", "ann",
              env=env).stdout.split()[1]
    run("feedback", "approve", fid, "--user", "rita", env=env)
    first = tmp_path / "v1.jsonl"
    run("feedback", "export", "--format", "chat", "--out", str(first), "--user", "rita", env=env)
    dataset_id = json.loads((tmp_path / "v1.jsonl.manifest.json").read_text())["dataset_id"]
    # more approved feedback arrives; the old version must not change
    asked = run("ask", "Name a colour.", "--json", "--max-tokens", "8", "--user", "ann", env=env)
    later = run("feedback", "add", json.loads(asked.stdout)["interaction_id"], "--rating", "up", "--consent",
                "--user", "ann", env=env).stdout.split()[1]
    run("feedback", "approve", later, "--user", "rita", env=env)
    again = tmp_path / "again.jsonl"
    run("feedback", "export", "--format", "chat", "--out", str(again), "--dataset", dataset_id, "--user", "rita",
        env=env)
    assert again.read_bytes() == first.read_bytes() and first.read_bytes()
    fresh = tmp_path / "fresh.jsonl"
    run("feedback", "export", "--format", "chat", "--out", str(fresh), "--user", "rita", env=env)
    assert len(fresh.read_text().splitlines()) == 2


def test_two_approvals_need_two_different_reviewers(world):
    env = world["env"]
    company = world["policies"] / "company.yaml"
    settings = yaml.safe_load(company.read_text())
    settings["settings"]["feedback"]["approvals_required"] = 2
    company.write_text(yaml.safe_dump(settings, sort_keys=False))
    fid = run("feedback", "add", world["interaction"], "--rating", "up", "--consent", "--user", "ann",
              env=env).stdout.split()[1]
    assert "pending (1 approval(s))" in run("feedback", "approve", fid, "--user", "rita", env=env).stdout
    twice = run("feedback", "approve", fid, "--user", "rita", env=env, ok=False)
    assert "another reviewer must approve it" in twice.stderr
    assert "approved (2 approval(s))" in run("feedback", "approve", fid, "--user", "rex", env=env).stdout


def test_bad_feedback_input_is_refused_clearly(world, tmp_path):
    env = world["env"]
    missing = run("feedback", "add", "no-such-id", "--rating", "up", "--user", "ann", env=env, ok=False)
    assert "There is no interaction no-such-id of yours" in missing.stderr
    foreign = run("feedback", "add", world["interaction"], "--rating", "up", "--user", "bob", env=env, ok=False)
    assert f"There is no interaction {world['interaction']} of yours" in foreign.stderr  # same words: reveals nothing
    empty = tmp_path / "empty.jsonl"
    done = run("feedback", "export", "--format", "chat", "--out", str(empty), "--user", "rita", env=env, ok=False)
    assert "Nothing to export: 0 approved, consented item(s) match" in done.stderr
    assert list(tmp_path.glob("empty*")) == []
    fid = run("feedback", "add", world["interaction"], "--rating", "up", "--consent", "--user", "ann",
              env=env).stdout.split()[1]
    run("feedback", "approve", fid, "--user", "rita", env=env)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the export directory should be")  # unwritable even for root
    unwritable = run("feedback", "export", "--format", "chat", "--out", str(blocker / "d.jsonl"), "--user", "rita",
                     env=env, ok=False)
    assert "Cannot write the dataset" in unwritable.stderr and "Pick a writable path" in unwritable.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("d.jsonl", ".d.jsonl"))) == []
    assert sqlite_utils.Database(world["db"])["datasets"].count == 0  # no version recorded for a failed export
