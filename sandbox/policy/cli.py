"""`sandbox policy check|schema|versions` and `sandbox check --jsonl` (dry run of the input guards)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sandbox.cli_options import data_dir_option
from sandbox.settings import PROJECT_ROOT, Settings

SCHEMA_PATH = PROJECT_ROOT / "policies" / "schema.json"


def policy_json_schema() -> str:
    from sandbox.policy.schema import PolicyFile

    return json.dumps(PolicyFile.model_json_schema(), indent=2, sort_keys=True) + "\n"


@click.group()
def policy() -> None:
    """Validate policy files, publish their JSON Schema, list applied versions."""


@policy.command("check")
@data_dir_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def policy_check(data_dir: Path, paths: tuple[Path, ...]) -> None:
    """Validate PATHS (default: every file in the policies directory) as one policy set.

    Prints `file:line: field: problem` for each problem and exits 1 if there is any.
    """
    from sandbox.llm.registry import ModelRegistry
    from sandbox.policy.loader import PolicyError, load_policy_set, policy_files

    settings = Settings.load(data_dir)
    files = [f for p in (paths or (settings.policies_dir,)) for f in policy_files(p)]
    missing = [p for p in paths if not Path(p).exists()]
    for path in missing:
        click.echo(f"{path}:1: (file): does not exist", err=True)
    models = {m.name for m in ModelRegistry.from_file(settings.models_file).all}
    try:
        policy_set = load_policy_set(files, models)
    except PolicyError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    if missing:
        sys.exit(1)
    click.echo(f"OK: {len(files)} file(s), roles {', '.join(sorted(policy_set.roles))}, "
               f"version {policy_set.version}")


@policy.command("schema")
@click.option("--write", is_flag=True, help=f"Write it to {SCHEMA_PATH.relative_to(PROJECT_ROOT)}.")
def policy_schema(write: bool) -> None:
    """Print the policy files' JSON Schema, generated from the code."""
    text = policy_json_schema()
    if write:
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        click.echo(f"wrote {SCHEMA_PATH}")
    else:
        click.echo(text, nl=False)


@policy.command("versions")
@data_dir_option
def policy_versions(data_dir: Path) -> None:
    """List the policy versions applied so far, newest first."""
    from sandbox.store.db import open_db

    db = open_db(Settings.load(data_dir).db_path)
    for row in db["policy_versions"].rows_where(order_by="applied_at desc"):
        click.echo(f"{row['applied_at']}\t{row['version']}\t{row['applied_by']}\t{row['summary']}")


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

    Writes one JSON line per input: {id, decision, reasons: [{guard, message}], text_out, verdicts}, where
    verdicts lists every guard that ran with its decision, score and details (for the classifiers: the harmful
    category, the strongest evidence n-grams).
    """
    from sandbox.app import build_policy

    settings = Settings.load(data_dir)
    active, registry = build_policy(settings, policy_path)
    model = model or registry.default_model()
    from sandbox.policy.dry_run import dry_run

    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text = item["text"]
            if not isinstance(text, str):
                raise TypeError("text must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            click.echo(json.dumps({"id": None, "line": number, "decision": "block",
                                   "reasons": [{"guard": "input", "message": f"line {number} is not "
                                                f"{{\"id\", \"text\"}} JSON: {type(exc).__name__}"}],
                                   "text_out": ""}))
            continue
        result = dry_run(active, text, role=item.get("role") or role, user=user, model=model)
        click.echo(json.dumps(result.to_dict(item.get("id")), ensure_ascii=False))


commands = [policy, check]
