"""Opening the database: WAL, busy timeout, migrations, and clear errors when the file is unusable."""

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


def open_db(path: Path | str, *, create: bool = True, busy_timeout_s: float = 30.0) -> sqlite_utils.Database:
    path = Path(path)
    if create:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.exists():
        raise StoreError(f"There is no database at {path}; check --data-dir, or start the sandbox once to create it.")
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout_s, check_same_thread=False)
        db = sqlite_utils.Database(conn)
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


class ThreadLocalDb:
    """Base for store classes: one connection per thread to the same file, opened on first use."""

    def __init__(self, path: Path | str, busy_timeout_s: float = 30.0):
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.path, busy_timeout_s=self.busy_timeout_s)
        return db

    @contextlib.contextmanager
    def immediate(self):
        """A write transaction taken at once, so concurrent check-then-write sequences serialize."""
        conn = self.db.conn
        conn.execute("begin immediate")
        try:
            yield self.db
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
