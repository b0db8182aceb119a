"""The `sandbox` command as a user runs it, in a subprocess."""

import json
import subprocess
import sys
from pathlib import Path

from browser import add_account
from conftest import cli_env, closed_port_url, sandbox_cli


def test_ask_json_through_the_gateway(data_dir, local_model_url):
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url)
    add_account(data_dir, "cli-user")
    done = sandbox_cli("ask", "Name a colour.", "--json", "--max-tokens", "16", "--user", "cli-user", env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["decision"] == "allow" and result["answer"] and result["interaction_id"]
    from sandbox.store import InteractionLog

    row = InteractionLog(data_dir / "sandbox.db").get(result["interaction_id"])
    assert row["user"] == "cli-user" and row["status"] == "ok"


def test_ask_exit_codes(data_dir, local_model_url, tmp_path):
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url)
    blocked = sandbox_cli("ask", "hi", "--model", "no-such-model", env=env)
    assert blocked.returncode == 1 and "no-such-model" in blocked.stderr
    empty = sandbox_cli("ask", "", "--json", env=env)
    assert empty.returncode == 1 and json.loads(empty.stdout)["decision"] == "block"
    down = sandbox_cli("ask", "hi", env=cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=closed_port_url()))
    assert down.returncode == 2 and "error:" in down.stderr


def test_data_dir_option_wins(tmp_path, local_model_url):
    target = tmp_path / "elsewhere"
    env = cli_env(tmp_path / "unused", SANDBOX_LOCAL_MODEL_URL=local_model_url)
    done = sandbox_cli("ask", "hi", "--json", "--max-tokens", "4", "--data-dir", str(target), env=env)
    assert done.returncode == 0, done.stderr
    assert (target / "sandbox.db").exists() and not (tmp_path / "unused" / "sandbox.db").exists()


def test_models_lists_only_available(data_dir):
    plain = sandbox_cli("models", env=cli_env(data_dir))
    assert plain.returncode == 0 and [l.split("\t")[0] for l in plain.stdout.splitlines()] == ["local"]
    keyed = sandbox_cli("models", env=cli_env(data_dir, OPENAI_API_KEY="sk-test"))
    assert "gpt-4o-mini" in keyed.stdout and "claude-haiku" not in keyed.stdout


def test_ask_offline_starts_and_stops_its_own_model(data_dir):
    """End to end with every non-loopback connection made to fail."""
    netguard = str(Path(__file__).parent / "netguard")
    env = cli_env(data_dir, PYTHONPATH=netguard)
    env.pop("SANDBOX_LOCAL_MODEL_URL", None)
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('1.1.1.1', 80), 1)"],
                           env=env, capture_output=True, text=True)
    assert "blocked by the offline test" in probe.stderr  # the guard is really active in child processes
    done = sandbox_cli("ask", "What is 2 + 2?", "--json", "--max-tokens", "16", env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["decision"] == "allow"
    assert "blocked by the offline test" not in done.stderr


def test_ask_refuses_a_user_without_an_account(data_dir):
    add_account(data_dir, "ann")
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=closed_port_url())  # refused before any model is needed
    nobody = sandbox_cli("ask", "hi", "--user", "nobody", env=env)
    assert nobody.returncode == 3 and "There is no account 'nobody'" in nobody.stderr, nobody.stderr
    assert "sandbox users add nobody" in nobody.stderr and not nobody.stdout
    named_by_env = sandbox_cli("ask", "hi", env={**env, "SANDBOX_USER": "ghost"})
    assert named_by_env.returncode == 3 and "'ghost'" in named_by_env.stderr
    sandbox_cli("users", "disable", "ann", env=env)
    disabled = sandbox_cli("ask", "hi", "--user", "ann", env=env)
    assert disabled.returncode == 3 and "disabled" in disabled.stderr
    from sandbox.store import InteractionLog

    assert InteractionLog(data_dir / "sandbox.db").db.execute("select count(*) from interactions").fetchone()[0] == 0
