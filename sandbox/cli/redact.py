"""`sandbox redact --jsonl`: the gateway's own PII detection and redaction, line by line, for scripts and scoring."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option
from sandbox.jsonl import answer_each
from sandbox.settings import Settings


def redact_item(redactor, pii, item: dict) -> dict:
    """Detect and act exactly as the gateway's PII guard does; offsets point into the original text."""
    from sandbox.pii.redactor import PiiCheckError
    from sandbox.pii.vault import PseudonymVault

    text = item["text"]
    if pii is None or not pii.enabled:
        return {"id": item.get("id"), "redacted": text, "entities": []}
    try:
        findings = redactor.analyze(text, item.get("language"), pii)
    except PiiCheckError as exc:
        return {"id": item.get("id"), "error": str(exc)}
    result = redactor.apply(text, findings, pii, PseudonymVault(), restorable=False)
    out = {"id": item.get("id"), "redacted": result.text,
           "entities": [f.to_dict() for f in findings if pii.rule(f.type).action != "allow"]}
    if result.blocked:
        out.update(redacted="", blocked=True, message=result.message)
    return out


USAGE = "write one {\"id\", \"text\", \"language\"?} object per line"


@click.command("redact")
@data_dir_option
@click.option("--jsonl", is_flag=True, required=True, help="Read JSON lines {id, text, language?} on stdin.")
@click.option("--policy", "policy_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A policy file or directory (default: the policies directory).")
@click.option("--role", default=None, help="Whose PII rules apply (default: the policy's default role).")
def redact(data_dir: Path, jsonl: bool, policy_path: Path | None, role: str | None) -> None:
    """Redact personal data in each input line with the same detection the gateway uses.

    Writes one JSON line per input: {id, redacted, entities: [{type, start, end, score}]}, offsets into the
    original text. A line that cannot be read or checked gets {id, error} instead; the exit code is then 1.
    A line holding a type the role's policy blocks gets {id, redacted: "", blocked: true, message, entities}.
    """
    from sandbox.policy.active import build_policy
    from sandbox.pii.engine import PiiEngineError
    from sandbox.policy.loader import PolicyError

    try:
        active, _ = build_policy(Settings.load(data_dir), policy_path)
    except PolicyError as exc:
        raise click.ClickException(f"The policy files are invalid; fix them and run again:\n{exc}") from exc
    except PiiEngineError as exc:
        raise click.ClickException(str(exc)) from exc
    role = role or active.current.settings.default_role
    rules = active.role(role)
    if rules is None:
        raise click.ClickException(f"The policy has no role '{role}'; pick one of "
                                   f"{', '.join(sorted(active.current.roles))} with --role.")
    if answer_each(sys.stdin.buffer, click.echo, lambda item: redact_item(active.redactor, rules.pii, item), USAGE,
                   {"language": "a string such as \"en\" or \"fr\""}):
        sys.exit(1)


commands = [redact]
