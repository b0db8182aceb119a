"""`sandbox policy check|schema|versions`: validate policy files, publish their schema, list versions applied."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option
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
    from sandbox.store.db import connect

    db = connect(Settings.load(data_dir).database)
    for row in db["policy_versions"].rows_where(order_by="applied_at desc"):
        click.echo(f"{row['applied_at']}\t{row['version']}\t{row['applied_by']}\t{row['summary']}")


commands = [policy]
