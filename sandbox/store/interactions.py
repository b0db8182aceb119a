"""The audit record of every interaction, written before the model call and completed after it."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils

from sandbox.store.db import open_db


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


class InteractionLog:
    """Reads and writes `interactions`; one SQLite connection per thread."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self.db  # open now so a broken file is reported at start-up

    @property
    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.path)
        return db

    def start(self, **fields: Any) -> str:
        """Record an interaction before anything is sent to a model; returns its id."""
        record = {
            "id": fields.pop("id", None) or uuid.uuid4().hex,
            "created_at": now_iso(),
            "status": "pending",
            **fields,
        }
        record["verdicts"] = _as_json(record.get("verdicts"))
        with self.db.conn:
            self.db["interactions"].insert(record)
        return record["id"]

    def finish(self, interaction_id: str, **fields: Any) -> None:
        fields["finished_at"] = now_iso()
        if "verdicts" in fields:
            fields["verdicts"] = _as_json(fields["verdicts"])
        with self.db.conn:
            self.db["interactions"].update(interaction_id, fields)

    def get(self, interaction_id: str) -> dict | None:
        rows = list(self.db["interactions"].rows_where("id = ?", [interaction_id]))
        return _decoded(rows[0]) if rows else None

    def recent(self, limit: int = 50, user: str | None = None) -> Iterator[dict]:
        where, args = ("user = ?", [user]) if user else (None, [])
        for row in self.db["interactions"].rows_where(
            where, args, order_by="created_at desc", limit=limit
        ):
            yield _decoded(row)

    def next_turn(self, conversation_id: str) -> int:
        row = self.db.execute(
            "select coalesce(max(turn), 0) + 1 from interactions where conversation_id = ?",
            [conversation_id],
        ).fetchone()
        return int(row[0])


def _as_json(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _decoded(row: dict) -> dict:
    row = dict(row)
    if row.get("verdicts"):
        row["verdicts"] = json.loads(row["verdicts"])
    return row
