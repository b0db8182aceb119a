"""What `sandbox db` does: the migration state of a database, and copying one database into another (a team's
SQLite history into PostgreSQL, say) with the audit chain intact."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlite_utils

from sandbox.settings import mask_url
from sandbox.store.db import DB_ERRORS, StoreError, connect, unreachable
from sandbox.store.migrations import MIGRATIONS, known_migrations
from sandbox.store.postgres import is_url

# Every table, parents before children (feedback points at interactions, reviews at feedback).
TABLES = ("users", "sessions", "sign_in_attempts", "api_keys", "policy_versions", "usage_ledger", "rate_events",
          "interactions", "audit_events", "audit_chain", "audit_checkpoints", "audit_keying", "feedback",
          "feedback_reviews", "datasets")
ORDER = {"interactions": "rowid", "audit_chain": "seq", "audit_checkpoints": "through_seq",
         "audit_keying": "from_seq"}  # the rest by their first column
BATCH = 2000


def label(target) -> str:
    return mask_url(target) if is_url(target) else str(target)


@dataclass
class Status:
    database: str
    backend: str
    applied: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # written by a newer version of the sandbox

    def to_dict(self) -> dict:
        return asdict(self)

    def sentence(self) -> str:
        if self.unknown:
            return (f"{self.database}: written by a newer version of the sandbox (unknown migrations: "
                    f"{', '.join(self.unknown)}). Upgrade the sandbox before using it.")
        if self.pending:
            return (f"{self.database}: {len(self.applied)} migration(s) applied, {len(self.pending)} pending "
                    f"({', '.join(self.pending)}); `sandbox db migrate` or the next start applies them.")
        return f"{self.database}: up to date ({len(self.applied)} migrations, {self.backend})."


def status(target) -> Status:
    """The migration state, read without changing anything."""
    result = Status(label(target), "postgresql" if is_url(target) else "sqlite")
    try:
        if is_url(target):
            import psycopg

            with psycopg.connect(target, connect_timeout=5) as conn:
                exists = conn.execute("select to_regclass('_migrations')").fetchone()[0]
                names = {r[0] for r in conn.execute("select name from _migrations")} if exists else set()
        else:
            if not Path(target).exists():
                raise StoreError(f"There is no database at {target}; check --data-dir.")
            db = sqlite_utils.Database(target)
            names = {r["name"] for r in db["_migrations"].rows} if "_migrations" in db.table_names() else set()
    except DB_ERRORS as exc:
        raise StoreError(unreachable(target, exc) if is_url(target) else
                         f"The database {target} cannot be read ({exc}).") from exc
    order = [fn.__name__ for fn in MIGRATIONS]
    result.applied = [n for n in order if n in names]
    result.pending = [n for n in order if n not in names]
    result.unknown = sorted(names - known_migrations())
    return result


def _columns(db, table: str) -> list[str]:
    result = db.execute(f"select * from [{table}] where 1 = 0")
    result.fetchall()
    return [d[0] for d in result.description if d[0] != "rowid"]


def copy_database(source, destination, key_dir: Path | None = None) -> dict[str, int]:
    """Copy every row of `source` into the empty `destination`, in order; returns rows copied per table.

    Identifiers, timestamps and hashes are copied as they are, so the destination's chain is the source's chain
    and verifies with the same audit key."""
    if str(source) == str(destination):
        raise StoreError("The source and the destination are the same database.")
    src = connect(source, key_dir)
    dst = connect(destination, key_dir)
    dst_label = label(destination)
    if any(dst[t].count for t in ("interactions", "audit_chain", "users")):
        raise StoreError(f"The destination {dst_label} already holds records; copy into a new, empty database "
                         "so that no history is mixed or overwritten.")
    copied: dict[str, int] = {}
    with dst.transaction(immediate=True):
        for table in TABLES:
            columns = [c for c in _columns(src, table) if c in set(_columns(dst, table))]
            order = ORDER.get(table, columns[0])
            quoted = ", ".join(f"[{c}]" for c in columns)
            insert = f"insert into [{table}] ({quoted}) values ({', '.join('?' * len(columns))})"
            count, offset = 0, 0
            while True:
                rows = src.execute(f"select {quoted} from [{table}] order by {order} limit ? offset ?",
                                   [BATCH, offset]).fetchall()
                if not rows:
                    break
                _insert_many(dst, insert, rows)
                count += len(rows)
                offset += BATCH
            copied[table] = count
        if dst.dialect == "postgresql":  # identity columns go on after the copied ids
            for table in ("usage_ledger", "rate_events", "sign_in_attempts", "feedback", "feedback_reviews"):
                dst.execute(f"select setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"coalesce((select max(id) from [{table}]), 0) + 1, false)")
    return copied


def _insert_many(db, sql: str, rows: list) -> None:
    if db.dialect == "postgresql":
        db.executemany(sql, rows)
    else:
        db.conn.executemany(sql, rows)
