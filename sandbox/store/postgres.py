"""PostgreSQL behind the same small interface the store uses on SQLite (the part of sqlite-utils it calls).

The store's queries are written once, in SQLite's spelling; `translate` turns the few differences into PostgreSQL's
(`?` placeholders, `[column]` quoting, the reserved word `user`). A connection pool serves every thread; a
`transaction()` binds one pooled connection to the calling thread until it ends, and `transaction(immediate=True)`
takes a transaction-scoped advisory lock, which serialises writers across instances as SQLite's BEGIN IMMEDIATE
serialises them across processes (the audit chain, budget reservations and rate counters rely on it).
"""

from __future__ import annotations

import contextlib
import re
import threading
from pathlib import Path
from typing import Any, Iterator

import psycopg
from psycopg.adapt import Loader
from psycopg_pool import ConnectionPool

from sandbox.settings import mask_url as masked

WRITE_LOCK = 8_018_001  # pg_advisory_xact_lock key of immediate transactions
MIGRATION_LOCK = 8_018_002  # pg_advisory_lock key held while migrations run
# Primary keys of the tables the store inserts into or updates by key (the rest use an integer `id`).
PRIMARY_KEYS = {"users": "username", "sessions": "token_hash", "datasets": "id", "policy_versions": "version",
                "api_keys": "id", "interactions": "id", "audit_events": "id", "audit_chain": "seq",
                "audit_checkpoints": "through_seq", "audit_keying": "from_seq", "_migrations": "name"}
SERIAL_TABLES = {"usage_ledger", "rate_events", "sign_in_attempts", "feedback", "feedback_reviews"}


def is_url(target: Any) -> bool:
    return isinstance(target, str) and target.split(":", 1)[0] in ("postgresql", "postgres")


_USER = re.compile(r"(?<![\w.\"'\[])user(?![\w\"'\]])")


_JSON_FIELD = re.compile(r"json_extract\(([\w.]+), '\$\.(\w+)'\)")


def translate(sql: str) -> str:
    """SQLite's spelling of a store query in PostgreSQL's: placeholders, [quoted] names, the reserved word user,
    and json_extract(column, '$.key') on JSON kept as text."""
    sql = sql.replace("%", "%%").replace("?", "%s")
    sql = re.sub(r"\[(\w+)\]", r'"\1"', sql)
    sql = _JSON_FIELD.sub(r"(\1::jsonb ->> '\2')", sql)
    return _USER.sub('"user"', sql)


class _NumericLoader(Loader):
    """sum() over integers is `numeric` in PostgreSQL: read it as int (or float), as SQLite returns it."""

    def load(self, data):
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


class Result:
    """What the store reads from a cursor: rows fetched at once (the connection goes back to the pool)."""

    def __init__(self, cursor: psycopg.Cursor):
        self.description = cursor.description
        self.rowcount = cursor.rowcount
        self._rows = cursor.fetchall() if cursor.description else []
        self._at = 0

    def fetchone(self):
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list:
        rows, self._at = self._rows[self._at:], len(self._rows)
        return rows

    def __iter__(self):
        return iter(self.fetchall())


class _Inserted:
    def __init__(self, last_pk):
        self.last_pk = last_pk


class Table:
    """The slice of sqlite-utils' Table the store uses."""

    def __init__(self, db: "PostgresDatabase", name: str):
        self.db, self.name = db, name
        self.pk = PRIMARY_KEYS.get(name, "id")

    def rows_where(self, where: str | None = None, where_args: list | None = None, order_by: str | None = None,
                   limit: int | None = None, select: str = "*") -> Iterator[dict]:
        sql = f"select {select} from [{self.name}]" + (f" where {where}" if where else "")
        sql += f" order by {order_by}" if order_by else ""
        args = list(where_args or [])
        if limit is not None:
            sql, args = sql + " limit ?", [*args, limit]
        yield from self.db.query(sql, args)

    def get(self, pk_value) -> dict:
        found = list(self.rows_where(f"[{self.pk}] = ?", [pk_value]))
        if not found:
            raise LookupError(f"no row {pk_value!r} in {self.name}")
        return found[0]

    @property
    def rows(self) -> Iterator[dict]:
        return self.rows_where()

    @property
    def count(self) -> int:
        return self.count_where()

    def count_where(self, where: str | None = None, where_args: list | None = None) -> int:
        sql = f"select count(*) from [{self.name}]" + (f" where {where}" if where else "")
        return self.db.execute(sql, list(where_args or [])).fetchone()[0]

    def insert(self, row: dict, replace: bool = False) -> _Inserted:
        row = {k: v for k, v in row.items() if not (k == "id" and v is None and self.name in SERIAL_TABLES)}
        columns = ", ".join(f"[{k}]" for k in row)
        sql = f"insert into [{self.name}] ({columns}) values ({', '.join('?' * len(row))})"
        if replace:
            updates = ", ".join(f"[{k}] = excluded.[{k}]" for k in row if k != self.pk)
            sql += f" on conflict ([{self.pk}]) do " + (f"update set {updates}" if updates else "nothing")
        found = self.db.execute(sql + f" returning [{self.pk}]", list(row.values())).fetchone()
        return _Inserted(found[0] if found else row.get(self.pk))

    def update(self, pk_value, changes: dict) -> "Table":
        assignments = ", ".join(f"[{k}] = ?" for k in changes)
        self.db.execute(f"update [{self.name}] set {assignments} where [{self.pk}] = ?", [*changes.values(), pk_value])
        return self

    def delete(self, pk_value) -> "Table":
        self.db.execute(f"delete from [{self.name}] where [{self.pk}] = ?", [pk_value])
        return self


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, *, pool_size: int = 10, connect_timeout_s: float = 5.0,
                 statement_timeout_s: float = 30.0, key_dir: Path | None = None):
        self.url = url
        self.key_dir = key_dir  # where the audit key file is looked for (the data directory)
        options = f"-c statement_timeout={int(statement_timeout_s * 1000)} -c lock_timeout={int(statement_timeout_s * 1000)}"
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, timeout=connect_timeout_s * 2,
                                   check=ConnectionPool.check_connection, configure=self._configure,
                                   kwargs={"connect_timeout": max(1, int(connect_timeout_s)), "options": options,
                                           "autocommit": True, "application_name": "sandbox"},
                                   reconnect_timeout=24 * 3600)
        self.pool.open(wait=False)
        self._local = threading.local()

    @staticmethod
    def _configure(conn: psycopg.Connection) -> None:
        conn.adapters.register_loader("numeric", _NumericLoader)

    def __repr__(self) -> str:
        return f"<PostgresDatabase {masked(self.url)}>"

    def close(self) -> None:
        self.pool.close()

    # -- the interface the store uses ----------------------------------------------------------------------
    def execute(self, sql: str, params: list | tuple | None = None) -> Result:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return Result(conn.execute(translate(sql), list(params or [])))
        with self.pool.connection() as conn:
            return Result(conn.execute(translate(sql), list(params or [])))

    def executemany(self, sql: str, rows: list) -> None:
        """Many rows through one statement, inside the open transaction."""
        with self._local.conn.cursor() as cursor:
            cursor.executemany(translate(sql), rows)

    def query(self, sql: str, params: list | tuple | None = None) -> Iterator[dict]:
        result = self.execute(sql, params)
        names = [d[0] for d in result.description or []]
        for row in result.fetchall():
            yield dict(zip(names, row, strict=True))

    def __getitem__(self, table: str) -> Table:
        return Table(self, table)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.execute("select tablename from pg_tables where schemaname = current_schema()")]

    def view_names(self) -> list[str]:
        return [r[0] for r in self.execute("select viewname from pg_views where schemaname = current_schema()")]

    @contextlib.contextmanager
    def transaction(self, immediate: bool = False):
        """One transaction on one pooled connection for this thread; joins the one already open."""
        if getattr(self._local, "conn", None) is not None:
            yield self
            return
        with self.pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    if immediate:
                        conn.execute("select pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                    yield self
            finally:
                self._local.conn = None

    def serialize(self) -> None:
        """From here to the end of the open transaction, writers on every instance take turns (re-entrant)."""
        self._local.conn.execute("select pg_advisory_xact_lock(%s)", [WRITE_LOCK])

    @contextlib.contextmanager
    def migration_lock(self):
        with self.pool.connection() as conn:
            conn.execute("select pg_advisory_lock(%s)", [MIGRATION_LOCK])
            try:
                yield
            finally:
                conn.execute("select pg_advisory_unlock(%s)", [MIGRATION_LOCK])

    def run_script(self, ddl: str) -> None:
        """DDL of a migration step, inside the open transaction (no placeholders, so no translation)."""
        self._local.conn.execute(ddl)
