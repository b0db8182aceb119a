"""Policy files: validation with file:line errors, merging, JSON Schema kept in sync."""

import json

import pytest

from sandbox.cli.policy import SCHEMA_PATH, policy_json_schema
from sandbox.policy.loader import PolicyError, load_policy_set, policy_files
from sandbox.settings import PROJECT_ROOT
from conftest import cli_env, sandbox_cli

MODELS = {"local", "gpt-4o-mini"}
GOOD = """\
roles:
  employee:
    models: [local]
  admin:
    models: ['*']
"""


def problems(tmp_path, text, name="p.yaml"):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PolicyError) as info:
        load_policy_set([path], MODELS)
    return [str(p) for p in info.value.problems]


def test_shipped_policies_are_valid():
    policy = load_policy_set(policy_files(PROJECT_ROOT / "policies"),
                             {"local", "gpt-4o-mini", "claude-haiku", "mistral-small", "azure-gpt-4o",
                              "ollama-llama3", "vllm-llama3"})
    assert {"employee", "admin", "analyst"} <= set(policy.roles)
    assert len(policy.version) == 16


def test_schema_file_is_in_sync_with_the_code():
    assert SCHEMA_PATH.read_text() == policy_json_schema(), "run `sandbox policy schema --write`"
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["additionalProperties"] is False


def test_version_is_a_content_hash(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    first = load_policy_set([tmp_path / "a.yaml"], MODELS).version
    (tmp_path / "a.yaml").write_text("# a comment changes nothing\n" + GOOD)
    assert load_policy_set([tmp_path / "a.yaml"], MODELS).version == first
    (tmp_path / "a.yaml").write_text(GOOD.replace("[local]", "[local, gpt-4o-mini]"))
    assert load_policy_set([tmp_path / "a.yaml"], MODELS).version != first


def test_unknown_key_names_line_and_field(tmp_path):
    found = problems(tmp_path, GOOD + "    colour: blue\n")
    assert found == [f"{tmp_path}/p.yaml:6: roles.admin.colour: unknown key"]


def test_wrong_type_and_negative_budget(tmp_path):
    text = GOOD.replace("    models: [local]\n", "    models: [local]\n    budgets:\n      user_tokens_per_day: -1\n"
                        "      max_output_tokens: lots\n")
    found = problems(tmp_path, text)
    assert any(":5: roles.employee.budgets.user_tokens_per_day: Input should be greater than or equal to 0" in p
               for p in found)
    assert any(":6: roles.employee.budgets.max_output_tokens:" in p for p in found)


def test_unknown_model(tmp_path):
    found = problems(tmp_path, GOOD.replace("[local]", "[local, gpt-17]"))
    assert len(found) == 1 and ":3: roles.employee.models.1: unknown model 'gpt-17'" in found[0]


def test_yaml_syntax_error_has_its_line(tmp_path):
    found = problems(tmp_path, GOOD + "  broken: [unclosed\n")
    assert len(found) == 1 and "(yaml): not valid YAML" in found[0] and ":7:" in found[0]


def test_missing_required_role_and_unknown_role_reference(tmp_path):
    found = problems(tmp_path, "roles:\n  employee:\n    models: [local]\nsettings:\n  default_role: boss\n")
    assert any("roles.admin: every policy set must define this role" in p for p in found)


def test_unknown_role_in_settings(tmp_path):
    found = problems(tmp_path, GOOD + "settings:\n  sso:\n    group_roles: {g: boss}\n")
    assert any("unknown role 'boss'" in p for p in found)


def test_role_defined_twice_across_files(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text("roles:\n  admin:\n    models: [local]\n")
    with pytest.raises(PolicyError) as info:
        load_policy_set(policy_files(tmp_path), MODELS)
    assert "b.yaml:2: roles.admin: role already defined in a.yaml" in str(info.value)


def test_bad_regex_is_rejected(tmp_path):
    text = GOOD + ("    deny_rules:\n      - name: r\n        kind: regex\n        patterns: ['(unclosed']\n"
                   "        message: not allowed\n")
    found = problems(tmp_path, text)
    assert len(found) == 1 and "roles.admin.deny_rules.0.patterns" in found[0]


def test_exponential_regex_is_rejected(tmp_path):
    text = GOOD + ("    deny_rules:\n      - name: r\n        kind: regex\n        patterns: ['(a+)+$']\n"
                   "        message: not allowed\n")
    assert any("deny_rules.0" in p for p in problems(tmp_path, text))


def test_policy_check_cli(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD + "    colour: blue\n")
    run = lambda *paths: sandbox_cli("policy", "check", *paths, env=cli_env(tmp_path / "d"))
    failed = run(str(bad))
    assert failed.returncode == 1 and f"{bad}:6: roles.admin.colour: unknown key" in failed.stderr
    ok = run()
    assert ok.returncode == 0 and ok.stdout.startswith("OK:")
