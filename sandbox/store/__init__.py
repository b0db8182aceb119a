"""Storage: a SQLite file through sqlite-utils, or PostgreSQL (sandbox/store/postgres.py).
Nothing outside this package writes SQL."""

from sandbox.store.db import StoreError, open_db
from sandbox.store.interactions import InteractionLog

__all__ = ["InteractionLog", "StoreError", "open_db"]
