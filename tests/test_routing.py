"""Routing by what a prompt contains: rules validated with file:line, an IBAN asked of a public model answered by
the local one, `auto`, no fallback from private to public, raw to local and redacted elsewhere. The public
provider is a local HTTP server that records what it receives (a hosted API cannot run here); `local` is the real
embedded model."""

from __future__ import annotations

import dataclasses
import json

import pytest
import yaml

from conftest import ROOT, RecordingModel, cli_env, closed_port_url, sandbox_cli
from sandbox.app import build_sandbox
from sandbox.gateway import ChatRequest
from sandbox.llm.registry import ModelRegistry
from sandbox.policy.loader import PolicyError, load_policy_set

IBAN = "DE89 3704 0044 0532 0130 00"
MODELS = {m.name for m in ModelRegistry.from_file(ROOT / "models.yaml").all}


def policy_with_routing(routing: str) -> str:
    return ("roles:\n  employee:\n    models: [local, gpt-4o-mini]\n    routing:\n" + routing +
            "  admin:\n    models: ['*']\n")


def problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as refused:
        load_policy_set([path], MODELS)
    return [str(p).removeprefix(str(path)) for p in refused.value.problems]


def test_rules_are_validated_with_file_and_line(tmp_path):
    found = problems(tmp_path, policy_with_routing(
        "      rules:\n"
        "        - {name: all, reason: everything goes local, route_to: local}\n"
        "        - {name: late, reason: never, when: {pii_types: [IBAN_CODE]}, route_to: gpt-9}\n"
        "        - {name: cls, reason: x, require: [secret]}\n"))
    assert any(p.startswith(":8: roles.employee.routing.rules.2.require.0:") for p in found), found
    found = problems(tmp_path, policy_with_routing(
        "      rules:\n"
        "        - {name: all, reason: everything goes local, route_to: local}\n"
        "        - {name: late, reason: never, when: {pii_types: [IBAN_CODE]}, route_to: gpt-9}\n"
        "      auto: gpt-10\n"))
    assert ":7: roles.employee.routing.rules.1: unreachable: rule 'all' before it matches every prompt" in found
    assert any(p.startswith(":7: roles.employee.routing.rules.1.route_to: unknown model 'gpt-9'") for p in found)
    assert any(p.startswith(":8: roles.employee.routing.auto: unknown model 'gpt-10'") for p in found)


@pytest.fixture
def public(monkeypatch):
    """gpt-4o-mini, a public model, served by a recorder."""
    recorder = RecordingModel()
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-a-real-key")
    monkeypatch.setenv("OPENAI_API_BASE", recorder.url)
    yield recorder
    recorder.close()


def ask(sandbox, prompt: str, model: str):
    return sandbox.gateway.handle(ChatRequest(user="ann", prompt=prompt, model=model, max_tokens=24))


def test_an_iban_asked_of_a_public_model_is_answered_by_the_local_one(settings, local_model_url, public):
    sandbox = build_sandbox(settings, local_model_url)  # the shipped policies
    result = ask(sandbox, f"Draft a payment reminder for account {IBAN}.", "gpt-4o-mini")
    assert result.ok and result.model == "local"
    assert result.notice == ("Answered by 'local' instead of 'gpt-4o-mini' because the prompt contains a "
                             "customer's IBAN or card number.")
    row = sandbox.log.get(result.interaction_id)
    assert (row["model"], row["requested_model"], row["route_rule"]) == ("local", "gpt-4o-mini",
                                                                        "financial-data-stays-private")
    assert row["route_reason"] == "the prompt contains a customer's IBAN or card number"
    assert public.bodies == []  # the public provider never saw it

    plain = ask(sandbox, "What is a spreadsheet?", "gpt-4o-mini")
    assert plain.ok and plain.model == "gpt-4o-mini" and plain.notice == ""
    assert len(public.bodies) == 1  # the recorder does stand for the public model
    assert "kept private" not in json.dumps(public.bodies)


def test_auto_lets_the_policy_choose(settings, local_model_url, public):
    sandbox = build_sandbox(settings, local_model_url)
    assert "auto" in sandbox.model_names("employee")
    result = ask(sandbox, "Say hello.", "auto")
    assert result.ok and result.model == "local" and "picked for 'auto'" in result.notice
    assert public.bodies == []


def test_no_fallback_from_a_private_prompt_to_a_public_model(settings, public, tmp_path):
    models = yaml.safe_load((ROOT / "models.yaml").read_text())
    models["settings"] = {"timeout": 10, "num_retries": 0, "fallbacks": {"local": ["gpt-4o-mini"]}}
    (tmp_path / "models.yaml").write_text(yaml.safe_dump(models))
    settings = dataclasses.replace(settings, models_file=tmp_path / "models.yaml")
    sandbox = build_sandbox(settings, closed_port_url())  # the local model is down
    kept = ask(sandbox, f"Check the transfer from {IBAN}.", "local")
    assert kept.status == "error" and public.bodies == []  # it failed rather than leave for a public model
    plain = ask(sandbox, "What is a spreadsheet?", "local")
    assert plain.ok and len(public.bodies) == 1  # an ordinary prompt does fall back


def test_raw_to_a_private_model_redacted_to_a_public_one(settings, public, tmp_path, monkeypatch):
    private = RecordingModel()
    monkeypatch.setenv("VLLM_API_BASE", private.url)
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "p.yaml").write_text(policy_with_routing(
        "      rules:\n"
        "        - name: mail-to-own-servers\n"
        "          when: {pii_types: [EMAIL_ADDRESS], models: [vllm-llama3]}\n"
        "          route_to: vllm-llama3\n"
        "          send_original: true\n"
        "          reason: the company's own servers may see e-mail addresses\n").replace(
        "models: [local, gpt-4o-mini]", "models: [gpt-4o-mini, vllm-llama3]"))
    sandbox = build_sandbox(dataclasses.replace(settings, policies_dir=policies), None)
    canary = "canary.route5521@example.org"
    raw = ask(sandbox, f"Write to {canary} about the delay.", "vllm-llama3")
    redacted = ask(sandbox, f"Write to {canary} about the delay.", "gpt-4o-mini")
    private.close()
    assert raw.ok and redacted.ok
    assert canary in json.dumps(private.bodies)  # as typed, to the company's own server
    assert canary not in json.dumps(public.bodies) and "<EMAIL_ADDRESS_1>" in json.dumps(public.bodies)
    stored = b"".join(p.read_bytes() for p in settings.data_dir.glob("sandbox.db*"))
    assert canary.encode() not in stored  # the audit log holds the redacted prompt either way


def test_check_jsonl_shows_the_routing_decision(tmp_path):
    lines = [{"id": "iban", "text": f"Send the refund to {IBAN}."}, {"id": "plain", "text": "Hello there."}]
    env = cli_env(tmp_path / "data", OPENAI_API_KEY="sk-test-not-a-real-key")  # offered; nothing is called
    done = sandbox_cli("check", "--jsonl", "--model", "gpt-4o-mini", env=env,
                       input="\n".join(json.dumps(line) for line in lines) + "\n")
    out = {o["id"]: o for o in map(json.loads, done.stdout.splitlines())}
    assert out["iban"]["route"]["model"] == "local" and out["iban"]["route"]["rule"] == "financial-data-stays-private"
    assert out["plain"]["route"] == {"model": "gpt-4o-mini", "requested": "gpt-4o-mini", "rule": "", "reason": "",
                                     "keep_private": False, "send_original": False}
