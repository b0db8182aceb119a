"""`sandbox check --jsonl`: a dry run of the policy's input guards on each line, spending and counting nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option
from sandbox.jsonl import answer_each
from sandbox.settings import Settings


@click.command("check")
@data_dir_option
@click.option("--jsonl", is_flag=True, required=True, help="Read JSON lines {id, text, role?} on stdin.")
@click.option("--policy", "policy_path", type=click.Path(exists=True, path_type=Path), default=None,
              help="A policy file or directory (default: the policies directory).")
@click.option("--role", default="employee", show_default=True, help="Role when a line names none.")
@click.option("--user", default="dry-run", show_default=True, help="User the checks act as.")
@click.option("--model", default=None, help="Model the prompt would go to (default: the embedded one).")
def check(data_dir: Path, jsonl: bool, policy_path: Path | None, role: str, user: str, model: str | None) -> None:
    """Run the policy's input guards on each line without calling a model or spending budget.

    Writes one JSON line per input: {id, decision, reasons: [{guard, message}], text_out, verdicts, route?}, where
    verdicts lists every guard that ran with its decision, score and details (for the classifiers: the harmful
    category, the strongest evidence n-grams) and route the model a routing rule picked. A line that cannot be
    read or checked gets {id, line, error} instead (its id kept when it has one); the exit code is then 1.
    """
    from sandbox.policy.active import build_policy

    settings = Settings.load(data_dir)
    active, registry = build_policy(settings, policy_path)
    model = model or registry.default_model()
    from sandbox.policy.dry_run import dry_run

    def handle(item: dict) -> dict:
        return dry_run(active, item["text"], role=item.get("role") or role, user=user,
                       model=model).to_dict(item.get("id"))

    if answer_each(sys.stdin.buffer, click.echo, handle, "write one {\"id\", \"text\", \"role\"?} object per line",
                   {"role": "a role name"}):
        sys.exit(1)


commands = [check]
