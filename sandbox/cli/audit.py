"""`sandbox audit list|show|export|verify|purge`: the audit log from the command line, same filters as the UI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option, default_user
from sandbox.settings import Settings


def filter_options(fn):
    """The filters of the admin audit view, as options."""
    options = [
        click.option("--user", default="", help="Only this user."),
        click.option("--role", default="", help="Only this role."),
        click.option("--model", default="", help="Only this model."),
        click.option("--decision", type=click.Choice(["", "allow", "redact", "block"]), default="",
                     help="Only this policy decision."),
        click.option("--status", type=click.Choice(["", "ok", "blocked", "error", "interrupted", "pending"]), default="",
                     help="Only this outcome."),
        click.option("--guard", default="", help="Only records where this guard redacted or blocked."),
        click.option("--since", default="", help="From this day (YYYY-MM-DD), inclusive."),
        click.option("--until", default="", help="Up to this day (YYYY-MM-DD), inclusive."),
        click.option("--search", "text", default="", help="Words to find in the redacted prompt or answer."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _log(data_dir: Path):
    from sandbox.store import InteractionLog, StoreError

    settings = Settings.load(data_dir)
    path = settings.database
    try:
        if not settings.database_url and not settings.db_path.exists():
            raise StoreError(f"There is no database at {path}; check --data-dir.")
        from sandbox.store.db import connect

        connect(path, key_dir=settings.data_dir)  # the audit key is looked for in this data directory
        return InteractionLog(path)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _filter(**values):
    from sandbox.audit.query import AuditFilter

    return AuditFilter(**values)


def _actor() -> str:
    return default_user()


@click.group()
def audit() -> None:
    """Read, export, verify and purge the audit log of every interaction."""


@audit.command("list")
@data_dir_option
@filter_options
@click.option("--page", default=1, show_default=True, help="Page number, newest records first.")
@click.option("--limit", default=50, show_default=True, help="Records per page (at most 500).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line, each with its id.")
def audit_list(data_dir: Path, page: int, limit: int, as_json: bool, **filters) -> None:
    """List audit records matching the filters, newest first."""
    from sandbox.audit.query import AuditQuery, FilterError

    try:
        rows, total = AuditQuery(_log(data_dir).db).page(_filter(**filters), page, limit)
    except FilterError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            prompt = (row["prompt"] or "").replace("\n", " ")[:60]
            click.echo(f"{row['id']}\t{row['created_at'][:19]}\t{row['user']}\t{row['model']}\t{row['status']}\t"
                       f"{row['blocked_by'] or '-'}\t{prompt}")
    if not as_json:
        click.echo(f"{len(rows)} of {total} record(s), page {page}", err=True)


@audit.command("show")
@data_dir_option
@click.argument("interaction_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def audit_show(data_dir: Path, interaction_id: str, as_json: bool) -> None:
    """Show one audit record with every guard's verdict."""
    from sandbox.audit.query import AuditQuery

    row = AuditQuery(_log(data_dir).db).get(interaction_id)
    if row is None:
        raise click.ClickException(f"No audit record {interaction_id}; find ids with `sandbox audit list`.")
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False))
        return
    for key, value in row.items():
        if key != "verdicts":
            click.echo(f"{key}: {value}")
    for verdict in row.get("verdicts") or []:
        click.echo(f"verdict: {verdict.get('guard')} {verdict.get('decision')} {verdict.get('message') or ''} "
                   f"{json.dumps(verdict.get('details') or {})}")


@audit.command("export")
@data_dir_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="jsonl", show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Directory for the file (default: DATA_DIR/exports).")
def audit_export(data_dir: Path, fmt: str, out_dir: Path | None, **filters) -> None:
    """Export the matching records (redacted text only) to CSV or JSONL; the export is itself audited."""
    from sandbox.audit.query import AuditQuery, FilterError

    log = _log(data_dir)
    try:
        summary = AuditQuery(log.db).export(_filter(**filters), fmt, out_dir or Settings.load(data_dir).data_dir
                                            / "exports", _actor(), log.record_event)
    except FilterError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(summary, ensure_ascii=False))


@audit.command("verify")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def audit_verify(data_dir: Path, as_json: bool) -> None:
    """Check the hash chain. Prints OK or the first broken record; exits 1 when broken."""
    from sandbox.audit.chain import verify

    result = verify(_log(data_dir).db)
    click.echo(json.dumps(result.to_dict()) if as_json else result.sentence())
    if not result.ok:
        sys.exit(1)


@audit.command("purge")
@data_dir_option
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep this many days (default: retention_days in the policy files).")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def audit_purge(data_dir: Path, days: int | None, dry_run: bool) -> None:
    """Remove records older than the retention period; the rest still verifies, and the purge is audited."""
    from sandbox.audit.retention import Retention

    settings = Settings.load(data_dir)
    if days is None:
        days = _policy_retention(settings)
    log = _log(data_dir)
    result = Retention(log.target).purge(days, _actor(), dry_run=dry_run)
    click.echo(result.sentence())


def _policy_retention(settings: Settings) -> int:
    from sandbox.llm.registry import ModelRegistry
    from sandbox.policy.loader import PolicyError, load_policy_set, policy_files

    try:
        models = {m.name for m in ModelRegistry.from_file(settings.models_file).all}
        return load_policy_set(policy_files(settings.policies_dir), models).settings.retention_days
    except PolicyError as exc:
        raise click.ClickException(f"The policy files are invalid, so the retention period is unknown; fix them "
                                   f"or pass --days:\n{exc}") from exc


commands = [audit]
