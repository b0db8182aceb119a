"""Tamper evidence: an append-only hash chain over finished interactions and audit events.

Entries are HMAC-SHA256 keyed with the audit key, which lives outside the database (the file `audit.key` beside it,
0600, made on first use; or SANDBOX_AUDIT_KEY), so someone who can rewrite the database but not read the key cannot
recompute the chain. Entries written before the key existed stay plain SHA-256 ("legacy"); the table audit_keying
says from which entry on the chain is keyed, with a MAC so that the position cannot be moved without the key.

Each entry hashes the previous entry's hash, its own position and the canonical content of the record it
covers. Entries are appended inside the writer's immediate transaction (SQLite's BEGIN IMMEDIATE, PostgreSQL's
transaction-scoped advisory lock), so concurrent writers (threads, processes or instances) serialize and the chain
has no forks. A purge removes a prefix of the chain and
leaves a checkpoint holding the hash the first remaining entry points at.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

GENESIS = "0" * 64
# The fields a hash covers, fixed so that adding a column later does not change old hashes.
INTERACTION_FIELDS = (
    "id", "created_at", "finished_at", "user", "role", "conversation_id", "turn", "model", "policy_version",
    "status", "decision", "prompt", "answer", "verdicts", "tokens_in", "tokens_out", "cost", "latency_ms",
    "guard_ms", "model_ms", "error_class", "error_message", "entities", "entity_count", "blocked_by",
    "flagged_guards",
)
EVENT_FIELDS = ("id", "created_at", "kind", "actor", "details")
TABLES = {"interaction": ("interactions", INTERACTION_FIELDS)}
EVENT_TABLE = ("audit_events", EVENT_FIELDS)


def table_for(kind: str) -> tuple[str, tuple[str, ...]]:
    return TABLES.get(kind, EVENT_TABLE)


def canonical(kind: str, row: dict) -> str:
    _, fields = table_for(kind)
    return json.dumps({k: row.get(k) for k in fields}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


KEY_FILE = "audit.key"


class AuditKeyError(RuntimeError):
    """The chain is keyed but its key cannot be found; the message says where it was looked for."""


def entry_hash(prev_hash: str, seq: int, kind: str, ref_id: str, content: str, key: bytes | None = None) -> str:
    data = "\x1f".join((prev_hash, str(seq), kind, ref_id, content)).encode("utf-8")
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _key_mac(key: bytes, from_seq: int) -> str:
    return hmac.new(key, f"audit-keying\x1f{from_seq}".encode(), hashlib.sha256).hexdigest()


def key_source(db: sqlite_utils.Database) -> tuple[str, Path]:
    """(the key from SANDBOX_AUDIT_KEY or "", the key file beside the database)."""
    from sandbox.settings import Settings

    directory = db.key_dir or Settings.load().data_dir  # the SQLite file's directory, or the instance's data dir
    return Settings.load(directory).audit_key, Path(directory) / KEY_FILE


def audit_key(db: sqlite_utils.Database, create: bool = False) -> tuple[bytes | None, str]:
    """(key, where it came from); with `create`, a missing key file is made (random, 0600)."""
    from_env, path = key_source(db)
    if from_env:
        return from_env.encode(), "SANDBOX_AUDIT_KEY"
    if not path.exists() and create:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32) + "\n")
        except FileExistsError:
            pass  # another process made it first
    if not path.exists():
        return None, f"key file {path}"
    return path.read_text().strip().encode(), f"key file {path}"


def keyed_from(db: sqlite_utils.Database) -> tuple[int, str] | None:
    row = db.execute("select from_seq, mac from audit_keying order by from_seq limit 1").fetchone()
    return (row[0], row[1]) if row else None


def ensure_keying(db: sqlite_utils.Database) -> None:
    """Make the key if there is none and record from which entry the chain is keyed (at start-up, so an old
    chain with no keyed entry yet still says so). Takes its own write transaction."""
    marker = keyed_from(db)
    if marker is not None:
        # Keyed already: a missing key is reported by verify and refused by append, never replaced. A different
        # key (another instance on the same database with a key of its own) is refused now, before it writes.
        key, where = audit_key(db)
        if key is not None and not hmac.compare_digest(marker[1], _key_mac(key, marker[0])):
            raise AuditKeyError(f"The audit key ({where}) is not the one this database's chain is keyed with. "
                                "Every instance on one database needs the same key: copy audit.key or set the "
                                "same SANDBOX_AUDIT_KEY everywhere.")
        return
    key, _ = audit_key(db, create=True)
    with db.transaction(immediate=True):
        if keyed_from(db) is None:
            last = db.execute("select max(seq) from audit_chain").fetchone()[0]
            start = (last + 1) if last else _start_point(db)[0]
            db.execute("insert into audit_keying (from_seq, mac, at) values (?, ?, ?)",
                       [start, _key_mac(key, start), dt.datetime.now(dt.timezone.utc).isoformat()])


def _start_point(db: sqlite_utils.Database) -> tuple[int, str]:
    """(seq, prev_hash) the chain starts from: after the latest checkpoint, or at the genesis."""
    row = db.execute("select through_seq, anchor_hash from audit_checkpoints "
                     "order by through_seq desc limit 1").fetchone()
    return (row[0] + 1, row[1]) if row else (1, GENESIS)


def append(db: sqlite_utils.Database, kind: str, ref_id: str, at: str) -> tuple[dict, dict]:
    """Chain the record `ref_id` as it is now stored; returns (entry, record).

    Call inside an open transaction: BEGIN IMMEDIATE on SQLite; on PostgreSQL the chain's lock is taken here."""
    db.serialize()
    table, _ = table_for(kind)
    cursor = db.execute(f"select * from [{table}] where id = ?", [ref_id])
    names = [d[0] for d in cursor.description]
    found = cursor.fetchone()
    if found is None:
        raise LookupError(f"no {kind} record {ref_id} to chain")
    record = dict(zip(names, found))
    last = db.execute("select seq, hash from audit_chain order by seq desc limit 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else _start_point(db)
    marker = keyed_from(db)
    key, where = audit_key(db, create=marker is None)
    if marker is None:
        db.execute("insert into audit_keying (from_seq, mac, at) values (?, ?, ?)", [seq, _key_mac(key, seq), at])
        marker = (seq, "")
    elif key is None:
        raise AuditKeyError(f"The audit chain is keyed from entry {marker[0]} but its key is missing ({where}); "
                            "restore the key file or set SANDBOX_AUDIT_KEY. Nothing was recorded.")
    entry = {"seq": seq, "at": at, "kind": kind, "ref_id": ref_id, "prev_hash": prev,
             "hash": entry_hash(prev, seq, kind, ref_id, canonical(kind, record),
                                key if seq >= marker[0] else None)}
    db.execute("insert into audit_chain (seq, at, kind, ref_id, prev_hash, hash) values (?, ?, ?, ?, ?, ?)",
               [entry["seq"], at, kind, ref_id, prev, entry["hash"]])
    return entry, record


def add_event(db: sqlite_utils.Database, kind: str, actor: str, details: dict[str, Any], at: str) -> str:
    """Insert and chain one audit event. Call inside an open BEGIN IMMEDIATE transaction."""
    event_id = uuid.uuid4().hex
    db.execute("insert into audit_events (id, created_at, kind, actor, details) values (?, ?, ?, ?, ?)",
               [event_id, at, kind, actor, json.dumps(details, ensure_ascii=False, sort_keys=True)])
    append(db, kind, event_id, at)
    return event_id


@dataclass
class Break:
    seq: int | None
    kind: str
    ref_id: str
    reason: str


@dataclass
class Verification:
    ok: bool
    checked: int = 0
    pending: int = 0  # interactions started and not finished: not chained yet
    head: str = GENESIS  # hash of the last entry; note it somewhere safe to detect a rewrite of the whole chain
    first_break: Break | None = None
    checkpoints: int = 0
    protection: str = ""  # which protection is in force: keyed (HMAC-SHA256, where the key is) and/or unkeyed legacy

    def to_dict(self) -> dict:
        data = asdict(self)
        data["first_break"] = asdict(self.first_break) if self.first_break else None
        return data

    def sentence(self) -> str:
        if self.ok:
            return (f"OK: {self.checked} chained record(s) verify; head {self.head[:16]}; "
                    f"{self.pending} unfinished; {self.checkpoints} purge checkpoint(s). "
                    f"Protection: {self.protection}.")
        b = self.first_break
        where = f"entry {b.seq}" if b.seq is not None else "outside the chain"
        return f"BROKEN at {where} ({b.kind} {b.ref_id}): {b.reason}. Protection: {self.protection}."


def verify(db: sqlite_utils.Database, batch: int = 5000) -> Verification:
    """Walk the chain in order; report the first entry whose link or content does not match."""
    expected_seq, expected_prev = _start_point(db)
    result = Verification(ok=True, checkpoints=db["audit_checkpoints"].count)
    result.pending = db.execute("select count(*) from interactions where status = 'pending'").fetchone()[0]
    after = expected_seq - 1
    key, where = audit_key(db)
    marker = keyed_from(db)
    last = db.execute("select max(seq) from audit_chain").fetchone()[0]
    keyed_start = marker[0] if marker else (last or 0) + 1
    if marker is None and key is None:
        result.protection = "unkeyed (no audit key: a full rewrite of the chain would not be detected)"
    else:
        legacy = f"; unkeyed (legacy records before entry {keyed_start})" if keyed_start > expected_seq else ""
        result.protection = f"keyed (HMAC-SHA256, {where}) from entry {keyed_start}{legacy}"
    problem = None
    if marker is not None and key is None:
        problem = f"the chain is keyed from entry {marker[0]} but the key is missing ({where})"
    elif marker is not None and not hmac.compare_digest(marker[1], _key_mac(key, marker[0])):
        problem = ("the record of where keying starts does not verify with this key (moved or forged without "
                   "the key, or the wrong key)")
    elif marker is None and key is not None and last is not None and last >= expected_seq:
        problem = ("a key is in force but the chain has no keying record: it was rewritten without the key, "
                   "or its keying record was deleted")
    if problem:
        result.ok, result.first_break = False, Break(None, "audit_keying", "", problem)
        return result
    while True:
        entries = db.execute("select seq, kind, ref_id, prev_hash, hash from audit_chain where seq > ? "
                             "order by seq limit ?", [after, batch]).fetchall()
        if not entries:
            break
        records = _records(db, entries)
        for seq, kind, ref_id, prev_hash, stored in entries:
            problem = None
            if seq != expected_seq:
                problem = f"entries {expected_seq}..{seq - 1} are missing (deleted from audit_chain)"
            elif prev_hash != expected_prev:
                problem = "its link to the previous entry does not match (an entry was removed, added or reordered)"
            elif (row := records.get((kind, ref_id))) is None:
                problem = "the record it covers was deleted"
            elif not hmac.compare_digest(entry_hash(prev_hash, seq, kind, ref_id, canonical(kind, row),
                                                    key if seq >= keyed_start else None), stored):
                problem = "the record's content was changed after it was written"
            if problem:
                result.ok, result.first_break = False, Break(seq, kind, ref_id, problem)
                return result
            result.checked += 1
            expected_seq, expected_prev, after = seq + 1, stored, seq
    result.head = expected_prev
    for table, kind, status in (("interactions", "interaction", "status != 'pending'"),
                                ("audit_events", "event", "1 = 1")):
        row = db.execute(f"select id from [{table}] t where {status} and not exists "
                         "(select 1 from audit_chain c where c.ref_id = t.id) limit 1").fetchone()
        if row:
            result.ok = False
            result.first_break = Break(None, kind, row[0], "this record is not in the chain (added outside the "
                                       "audit log, or its chain entry was deleted)")
            return result
    return result


def _records(db: sqlite_utils.Database, entries: list) -> dict[tuple[str, str], dict]:
    found: dict[tuple[str, str], dict] = {}
    by_table: dict[str, list[tuple[str, str]]] = {}
    for _, kind, ref_id, _, _ in entries:
        by_table.setdefault(table_for(kind)[0], []).append((kind, ref_id))
    for table, refs in by_table.items():
        kinds = {ref_id: kind for kind, ref_id in refs}
        ids = list(kinds)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cursor = db.execute(f"select * from [{table}] where id in ({','.join('?' * len(chunk))})", chunk)
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values))
                found[(kinds[row["id"]], row["id"])] = row
    return found
