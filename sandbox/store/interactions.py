"""The audit record of every interaction, written before the model call and completed (and chained) after it."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

from sandbox.audit import chain
from sandbox.store.db import DB_ERRORS, StoreError, ThreadLocalDb
from sandbox.store.stale import current_owner


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


class InteractionLog(ThreadLocalDb):
    """Reads and writes `interactions` (SQLite: one connection per thread; PostgreSQL: the process's pool).

    `finish` completes a record and appends it to the hash chain in one immediate transaction;
    `on_finish` callbacks (metrics) get the finished row after the commit.
    """

    def __init__(self, path: Path | str, on_finish: list[Callable[[dict], None]] | None = None,
                 busy_timeout_s: float = 30.0):
        super().__init__(path, busy_timeout_s=busy_timeout_s)
        self.on_finish = list(on_finish or [])
        self.db  # open now so a broken file is reported at start-up

    @contextlib.contextmanager
    def _writing(self, what: str, consequence: str = "so nothing was sent to a model"):
        try:
            # SQLite takes its write lock up front (BEGIN IMMEDIATE); PostgreSQL's row writes run concurrently and
            # only the chain append is serialised (chain.append takes the advisory lock), which keeps it short.
            with self.db.transaction(immediate=self.url is None) as db:
                yield db
        except DB_ERRORS as exc:
            check = (f"Check that no other program locks {self.path.name} and that the disk is not full" if
                     self.url is None else f"Check that the database {self.label} is running and reachable")
            raise StoreError(f"The audit log could not {what} ({type(exc).__name__}: {_first_line(exc)}), "
                             f"{consequence}. {check}, then retry.") from exc

    def start(self, **fields: Any) -> str:
        """Record an interaction before anything is sent to a model; returns its id."""
        record = {"id": fields.pop("id", None) or uuid.uuid4().hex, "created_at": now_iso(),
                  "status": "pending", "owner": current_owner(), **fields}
        record.update(_derived(record.get("verdicts")))
        record["verdicts"] = _as_json(record.get("verdicts"))
        columns = ", ".join(f"[{k}]" for k in record)
        with self._writing("record the request") as db:
            # Plain SQL on the hot path: sqlite-utils' insert re-reads the table schema on every call.
            db.execute(f"insert into interactions ({columns}) values ({', '.join('?' * len(record))})",
                       list(record.values()))
        return record["id"]

    def finish(self, interaction_id: str, **fields: Any) -> dict:
        """Complete a pending record and chain it; returns the finished row."""
        fields["finished_at"] = now_iso()
        if "verdicts" in fields:
            fields.update(_derived(fields["verdicts"]))
            fields["verdicts"] = _as_json(fields["verdicts"])
        with self._writing("complete the record", "so the request stays pending until it is closed as "
                           "interrupted") as db:
            pending = db.execute("select verdicts from interactions where id = ? and status = 'pending'",
                                 [interaction_id]).fetchone()
            if pending is None:
                raise StoreError(f"Interaction {interaction_id} is not pending: it is unknown or already finished, "
                                 "and a finished record is never rewritten.")
            if "verdicts" not in fields:
                fields.update(_derived(pending[0]))
            db.execute(f"update interactions set {', '.join(f'[{k}] = ?' for k in fields)} where id = ?",
                       [*fields.values(), interaction_id])
            _, stored = chain.append(db, "interaction", interaction_id, fields["finished_at"])
        row = decoded(stored)
        for callback in self.on_finish:
            callback(row)
        return row

    def record_event(self, kind: str, actor: str, details: dict) -> str:
        """An audit event (export, purge, ...) in the chain; details hold counts and ids, never raw text."""
        with self._writing("record the event", "so the action was not recorded") as db:
            return chain.add_event(db, kind, actor, details, now_iso())

    def get(self, interaction_id: str) -> dict | None:
        rows = list(self.db["interactions"].rows_where("id = ?", [interaction_id]))
        return decoded(rows[0]) if rows else None

    def recent(self, limit: int = 50, user: str | None = None) -> Iterator[dict]:
        where, args = ("user = ?", [user]) if user else (None, [])
        for row in self.db["interactions"].rows_where(
            where, args, order_by="created_at desc", limit=limit
        ):
            yield decoded(row)

    def next_turn(self, conversation_id: str) -> int:
        try:
            row = self.db.execute(
                "select coalesce(max(turn), 0) + 1 from interactions where conversation_id = ?",
                [conversation_id],
            ).fetchone()
        except DB_ERRORS as exc:
            raise StoreError(f"The audit log cannot be read ({type(exc).__name__}: {exc}), so nothing was sent "
                             "to a model. Check the database file, then retry.") from exc
        return int(row[0])


def _derived(verdicts: Any) -> dict:
    """Entity counts, the blocking guard and the guards that acted, from the verdicts (types and counts only)."""
    if isinstance(verdicts, str):
        verdicts = json.loads(verdicts)
    verdicts = verdicts or []
    entities: dict[str, int] = {}
    for v in verdicts:
        for kind, count in ((v.get("details") or {}).get("entities") or {}).items():
            entities[kind] = entities.get(kind, 0) + int(count)
    flagged = [v["guard"] for v in verdicts if v.get("decision") != "allow"]
    blocked = [v["guard"] for v in verdicts if v.get("decision") == "block"]
    return {
        "entities": json.dumps(entities, sort_keys=True) if entities else None,
        "entity_count": sum(entities.values()),
        "blocked_by": blocked[-1] if blocked else None,
        "flagged_guards": f",{','.join(flagged)}," if flagged else None,
    }


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0]


def _as_json(value: Any) -> str | None:
    return value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def decoded(row: dict) -> dict:
    row = dict(row)
    row.pop("rowid", None)  # PostgreSQL's stand-in for SQLite's implicit rowid
    for key in ("verdicts", "entities"):
        if row.get(key):
            row[key] = json.loads(row[key])
    return row
