"""Opening the database: a SQLite file (WAL, busy timeout) or PostgreSQL (a pool), migrations, clear errors.

Store code speaks one interface, the part of sqlite-utils it uses plus `transaction(immediate=...)`: on SQLite the
database *is* a sqlite-utils Database; on PostgreSQL it is sandbox.store.postgres.PostgresDatabase.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from pathlib import Path

import sqlite_utils

from sandbox.store.migrations import known_migrations, migrate, pending_migrations


class StoreError(RuntimeError):
    """The database cannot be used; the message says what to do."""


def _driver_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite works without it
        return (sqlite3.Error,)
    return (sqlite3.Error, psycopg.Error)


# What a failing database raises, on either backend (psycopg_pool's PoolTimeout is a psycopg.Error too).
DB_ERRORS: tuple[type[Exception], ...] = _driver_errors()


class SqliteDatabase(sqlite_utils.Database):
    """sqlite-utils' Database with the two things PostgreSQL needs spelled out: transactions and the key's place."""

    dialect = "sqlite"

    @property
    def key_dir(self) -> Path:
        return Path(self.execute("pragma database_list").fetchone()[2] or "./x").parent

    def serialize(self) -> None:
        """Writers take turns: on SQLite the caller's BEGIN IMMEDIATE has done it already."""
        if not self.conn.in_transaction:
            raise RuntimeError("serialize() outside an immediate transaction")

    @contextlib.contextmanager
    def transaction(self, immediate: bool = False):
        """A transaction; `immediate` takes the write lock at once, so check-then-write sequences serialize.
        Joins a transaction already open on this connection."""
        if self.conn.in_transaction:
            yield self
            return
        if not immediate:
            with self.conn:
                yield self
            return
        self.conn.execute("begin immediate")
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()


def open_db(path: Path | str, *, create: bool = True, busy_timeout_s: float = 30.0) -> SqliteDatabase:
    path = Path(path)
    if create:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.exists():
        raise StoreError(f"There is no database at {path}; check --data-dir, or start the sandbox once to create it.")
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout_s, check_same_thread=False)
        db = SqliteDatabase(conn)
        db.execute(f"pragma busy_timeout = {int(busy_timeout_s * 1000)}")
        db.enable_wal()
        _private(path)
        db.execute("pragma synchronous = normal")
        if pending_migrations(db):
            with _migration_lock(path):  # two processes starting at once must not both create the tables
                migrate(db)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"The database {path} cannot be used ({exc}). Check that the file is a SQLite database, "
            "that the disk is not full and that no other program holds a lock on it."
        ) from exc
    unknown = {row["name"] for row in db["_migrations"].rows} - known_migrations()
    if unknown:
        raise StoreError(
            f"The database {path} was written by a newer version of the sandbox "
            f"(unknown migrations: {', '.join(sorted(unknown))}). Upgrade the sandbox or use another --data-dir."
        )
    return db


@contextlib.contextmanager
def _migration_lock(path: Path):
    """An exclusive lock beside the database file, held while migrations run (released if the process dies)."""
    lock = os.open(f"{path}-migrate.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
    finally:
        os.close(lock)
def _private(path: Path) -> None:
    """The database and its WAL/SHM files readable by the sandbox's user only.

    Changed by path, never by opening the file: closing any descriptor of a database file drops the locks every
    other connection of this process holds on it. The data directory is 0700, so no one else could reach a file
    in the moment before this runs."""
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if part.stat().st_mode & 0o077:
                part.chmod(0o600)
        except OSError:
            pass  # absent, read-only or not ours: connecting reports what matters


_POSTGRES: dict[str, object] = {}
_POSTGRES_LOCK = threading.Lock()
_INHERITED: list = []  # a forked child's copies of its parent's pools: kept, never closed (that would close the
# parent's connections), and replaced by pools of its own


def _after_fork() -> None:
    global _POSTGRES_LOCK
    _INHERITED.extend(_POSTGRES.values())
    _POSTGRES.clear()
    _POSTGRES_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def open_postgres(url: str, key_dir: Path | None = None):
    """The process's PostgreSQL database for `url` (one pool per URL), migrated; errors name the URL masked."""
    from sandbox.store.pg_schema import applied, migrate_postgres
    from sandbox.store.postgres import PostgresDatabase, masked

    with _POSTGRES_LOCK:
        db = _POSTGRES.get(url)
        if db is None:
            from sandbox.settings import Settings

            tuning = Settings.load().database_tuning
            db = PostgresDatabase(url, key_dir=key_dir, **dict(tuning))
            try:
                migrate_postgres(db)
                unknown = applied(db) - known_migrations()
            except DB_ERRORS as exc:
                db.close()
                raise StoreError(unreachable(url, exc)) from exc
            if unknown:
                db.close()
                raise StoreError(
                    f"The database {masked(url)} was written by a newer version of the sandbox (unknown migrations: "
                    f"{', '.join(sorted(unknown))}). Upgrade the sandbox or point SANDBOX_DATABASE_URL elsewhere.")
            _POSTGRES[url] = db
        if key_dir is not None:
            db.key_dir = key_dir
        return db


def close_postgres(url: str) -> None:
    """Close the process's pool for `url` (tests, and `sandbox db copy` when done)."""
    with _POSTGRES_LOCK:
        db = _POSTGRES.pop(url, None)
    if db is not None:
        db.close()


def unreachable(url: str, exc: BaseException) -> str:
    """A sentence for a PostgreSQL failure that never shows the password (psycopg's messages do not hold it)."""
    from sandbox.store.postgres import masked

    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"The database {masked(url)} cannot be reached or used ({type(exc).__name__}: {detail}). "
            "Check that PostgreSQL is running and reachable, then retry.")


def connect(target, key_dir: Path | None = None):
    """The database behind `target`: a postgresql:// URL, or the path of a SQLite file."""
    from sandbox.store.postgres import is_url

    if is_url(target):
        return open_postgres(target, key_dir)
    return open_db(target)


class ThreadLocalDb:
    """Base for store classes: `target` is a SQLite file (one connection per thread, opened on first use) or a
    postgresql:// URL (one pool per process, shared by every store)."""

    def __init__(self, path: Path | str, busy_timeout_s: float = 30.0):
        from sandbox.store.postgres import is_url, masked

        self.url = str(path) if is_url(path) else None
        self.path = Path(path) if self.url is None else None  # the SQLite file; on PostgreSQL there is none
        self.label = str(self.path) if self.url is None else masked(self.url)  # for messages: no password
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()

    @property
    def target(self) -> Path | str:
        """What this store was opened on: the SQLite file or the PostgreSQL URL (with its password)."""
        return self.url or self.path

    @property
    def db(self):
        if self.url is not None:
            return open_postgres(self.url)
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.path, busy_timeout_s=self.busy_timeout_s)
        return db

    @contextlib.contextmanager
    def immediate(self):
        """A write transaction taken at once, so concurrent check-then-write sequences serialize (across
        processes on SQLite, across instances on PostgreSQL)."""
        with self.db.transaction(immediate=True) as db:
            yield db
