"""`sandbox redact --jsonl` in a subprocess: the gateway's detection, original offsets, an error per bad line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import cli_env

SANDBOX = str(Path(sys.executable).parent / "sandbox")
TEXT = "Write to ana.lopez@example.org or call (415) 555-0172 about the order."


def run(data_dir, lines, *args):
    stdin = b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)
    done = subprocess.run([SANDBOX, "redact", "--jsonl", *args], input=stdin, capture_output=True,
                          env=cli_env(data_dir), timeout=300)
    return done.returncode, [json.loads(line) for line in done.stdout.decode().splitlines()], done.stderr.decode()


def test_redact_jsonl(tmp_path):
    lines = [json.dumps({"id": "a", "text": TEXT}), json.dumps({"id": "b", "text": "Nothing here.", "language": "en"}),
             json.dumps({"id": "c", "text": "Appelez le 06 12 34 56 78 demain.", "language": "fr"})]
    code, out, err = run(tmp_path / "data", lines)
    assert code == 0, err
    first, second, third = out
    assert first["id"] == "a" and "ana.lopez" not in first["redacted"] and "555-0172" not in first["redacted"]
    spans = {TEXT[e["start"]:e["end"]]: e["type"] for e in first["entities"]}
    assert spans == {"ana.lopez@example.org": "EMAIL_ADDRESS", "(415) 555-0172": "PHONE_NUMBER"}
    assert all(0 < e["score"] <= 1 for e in first["entities"])
    assert second == {"id": "b", "redacted": "Nothing here.", "entities": []}
    assert third["entities"][0]["type"] == "PHONE_NUMBER" and "06 12" not in third["redacted"]


def test_bad_lines_get_an_error_each_and_exit_1(tmp_path):
    lines = ["not json", b"\xff\xfe binary", json.dumps({"id": 7}), json.dumps({"id": 8, "text": TEXT})]
    code, out, _ = run(tmp_path / "data", lines)
    assert code == 1
    assert [o.get("line") for o in out[:3]] == [1, 2, 3] and all("error" in o for o in out[:3])
    assert out[2]["id"] == 7 and "text" in out[2]["error"]
    assert out[3]["id"] == 8 and out[3]["entities"]


def test_policy_and_role_options(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "settings:\n  default_role: employee\n"
        "roles:\n"
        "  employee:\n    models: [local]\n    pii:\n      entities:\n        EMAIL_ADDRESS: {action: block}\n"
        "  support:\n    models: [local]\n    pii:\n      entities:\n        EMAIL_ADDRESS: {action: allow}\n"
        "        PHONE_NUMBER: {action: mask}\n"
        "  admin:\n    models: ['*']\n    can_admin: true\n", encoding="utf-8")
    line = [json.dumps({"id": 1, "text": TEXT})]
    code, (blocked,), _ = run(tmp_path / "data", line, "--policy", str(policy))
    assert code == 0 and blocked["blocked"] and blocked["redacted"] == "" and "ana.lopez" not in blocked["message"]
    code, (support,), _ = run(tmp_path / "data", line, "--policy", str(policy), "--role", "support")
    assert "ana.lopez@example.org" in support["redacted"] and "*" * 14 in support["redacted"]
    assert [e["type"] for e in support["entities"]] == ["PHONE_NUMBER"]
    code, out, err = run(tmp_path / "data", line, "--policy", str(policy), "--role", "nobody")
    assert code == 1 and not out and "--role" in err
