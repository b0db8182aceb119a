"""`sandbox db migrate|status|copy`: the database's schema version, and moving a team's history between databases.

Which database: SANDBOX_DATABASE_URL (or `sandbox --database-url URL db ...`) for PostgreSQL, else the SQLite file
in the data directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option, readably
from sandbox.settings import Settings


def _store_errors():
    from sandbox.audit.chain import AuditKeyError
    from sandbox.store.db import StoreError

    return StoreError, AuditKeyError


@click.group()
def db() -> None:
    """The database: its schema version (migrate, status) and copying it (copy)."""


@db.command("migrate")
@data_dir_option
def migrate(data_dir: Path) -> None:
    """Apply the migrations this version of the sandbox has and the database lacks (every start does too)."""
    from sandbox.store.db import connect
    from sandbox.store.maintenance import status

    settings = Settings.load(data_dir)
    if not settings.database_url:
        settings.ensure_data_dir()
    before = readably(lambda: status(settings.database) if settings.database_url or settings.db_path.exists()
                      else None, *_store_errors())
    readably(lambda: connect(settings.database), *_store_errors())
    after = readably(lambda: status(settings.database), *_store_errors())
    done = [n for n in after.applied if before is None or n not in before.applied]
    click.echo(f"Applied {len(done)} migration(s){': ' + ', '.join(done) if done else ''}. {after.sentence()}")


@db.command("status")
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the state as JSON.")
def db_status(data_dir: Path, as_json: bool) -> None:
    """Which database is used and which migrations it has; exits 1 when it is newer than this sandbox."""
    from sandbox.store.maintenance import status

    settings = Settings.load(data_dir)
    result = readably(lambda: status(settings.database), *_store_errors())
    click.echo(json.dumps(result.to_dict(), indent=2) if as_json else result.sentence())
    if result.unknown:
        raise SystemExit(1)


@db.command("copy")
@data_dir_option
@click.option("--from", "source", required=True, metavar="URL_OR_FILE",
              help="The database to copy: a SQLite file (e.g. data/sandbox.db) or a postgresql:// URL.")
@click.option("--to", "destination", required=True, metavar="URL_OR_FILE",
              help="An empty database to copy into (migrated first): a postgresql:// URL or a SQLite file.")
def copy(data_dir: Path, source: str, destination: str) -> None:
    """Copy every record, in order, into an empty database, then verify the audit chain there.

    The chain is copied as it is, so it verifies with the same audit key: the key file in the data directory
    (or beside a SQLite source) or SANDBOX_AUDIT_KEY. Give every instance on the new database that same key."""
    from sandbox.audit.chain import verify
    from sandbox.store.db import connect
    from sandbox.store.maintenance import copy_database, label
    from sandbox.store.postgres import is_url

    key_dir = Settings.load(data_dir).data_dir if is_url(source) else Path(source).resolve().parent
    if not is_url(source) and not Path(source).exists():
        raise click.ClickException(f"There is no database at {source}.")
    copied = readably(lambda: copy_database(source if is_url(source) else Path(source),
                                            destination if is_url(destination) else Path(destination), key_dir),
                      *_store_errors())
    click.echo(f"Copied {copied['interactions']} interaction(s), {copied['audit_events']} audit event(s), "
               f"{copied['audit_chain']} chain entries and {sum(copied.values())} rows in all from {label(source)} "
               f"to {label(destination)}.")
    if not is_url(destination):  # a SQLite database finds its key beside it
        _share_key(key_dir, Path(destination).resolve().parent)
    result = verify(connect(destination if is_url(destination) else Path(destination), key_dir))
    click.echo(f"Verify on the destination: {result.sentence()}")
    if not result.ok:
        raise SystemExit(1)


def _share_key(key_dir: Path, there: Path) -> None:
    import os
    import shutil

    from sandbox.audit.chain import KEY_FILE

    if (key_dir / KEY_FILE).exists() and not (there / KEY_FILE).exists():
        shutil.copyfile(key_dir / KEY_FILE, there / KEY_FILE)
        os.chmod(there / KEY_FILE, 0o600)


commands = [db]
