"""Finding audit records: filters shared by the admin view and the CLI, full-text search, pages, exports."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import sqlite_utils

from sandbox.files import atomic_open
from sandbox.store.interactions import decoded

LIST_COLUMNS = ("id", "created_at", "user", "role", "model", "status", "decision", "blocked_by", "entity_count",
                "tokens_in", "tokens_out", "latency_ms", "prompt")
EXPORT_COLUMNS = ("id", "created_at", "finished_at", "user", "role", "conversation_id", "turn", "model",
                  "policy_version", "status", "decision", "blocked_by", "flagged_guards", "entities",
                  "entity_count", "prompt", "answer", "verdicts", "tokens_in", "tokens_out", "cost", "latency_ms",
                  "guard_ms", "model_ms", "error_class", "error_message")
FORMATS = ("csv", "jsonl")


class FilterError(ValueError):
    """A filter value cannot be used; the message says which and how to write it."""


@dataclass
class AuditFilter:
    user: str = ""
    role: str = ""
    model: str = ""
    decision: str = ""  # allow, redact, block
    status: str = ""  # ok, blocked, error, pending
    guard: str = ""  # a guard that did not simply allow (redacted or blocked)
    since: str = ""  # YYYY-MM-DD, inclusive
    until: str = ""  # YYYY-MM-DD, inclusive
    text: str = ""  # full-text search over the redacted prompt and answer

    def where(self, dialect: str = "sqlite") -> tuple[str, list]:
        clauses, args = [], []
        for column in ("user", "role", "model", "decision", "status"):
            value = (getattr(self, column) or "").strip()
            if value:
                clauses.append(f"[{column}] = ?")
                args.append(value)
        if self.guard.strip():
            clauses.append("flagged_guards like ?")
            args.append(f"%,{self.guard.strip()},%")
        if self.since.strip():
            clauses.append("created_at >= ?")
            args.append(_day(self.since, "since").isoformat())
        if self.until.strip():
            clauses.append("created_at < ?")
            args.append((_day(self.until, "until") + dt.timedelta(days=1)).isoformat())
        if self.text.strip() and dialect == "postgresql":
            from sandbox.store.pg_schema import SEARCH_VECTOR

            # Every word must occur, as with FTS5's quoted words; plainto_tsquery takes no search syntax.
            clauses.append(f"{SEARCH_VECTOR} @@ plainto_tsquery('simple', ?)")
            args.append(self.text)
        elif self.text.strip():
            clauses.append("rowid in (select rowid from interactions_fts where interactions_fts match ?)")
            args.append(_fts_query(self.text))
        return (" and ".join(clauses) or "1 = 1"), args

    def described(self) -> dict:
        """The filter for an audit event: search words are not stored, they may be personal data."""
        data = {k: v for k, v in asdict(self).items() if v and k != "text"}
        if self.text.strip():
            data["text_search"] = True
        return data


def _day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise FilterError(f"'{name}' must be a date like 2025-01-31.") from None


def _fts_query(text: str) -> str:
    """Each word quoted, so punctuation in a search cannot become FTS syntax."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"' for w in words)


class AuditQuery:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def count(self, flt: AuditFilter) -> int:
        where, args = flt.where(getattr(self.db, "dialect", "sqlite"))
        return self.db.execute(f"select count(*) from interactions where {where}", args).fetchone()[0]

    def page(self, flt: AuditFilter, page: int = 1, per_page: int = 50) -> tuple[list[dict], int]:
        """One page, newest first, and the total number of matching records."""
        where, args = flt.where(getattr(self.db, "dialect", "sqlite"))
        page, per_page = max(1, int(page)), max(1, min(int(per_page), 500))
        cursor = self.db.execute(
            f"select {', '.join(f'[{c}]' for c in LIST_COLUMNS)} from interactions where {where} "
            "order by created_at desc, id limit ? offset ?", [*args, per_page, (page - 1) * per_page])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor], self.count(flt)

    def get(self, interaction_id: str) -> dict | None:
        cursor = self.db.execute("select i.*, c.seq as chain_seq, c.hash as chain_hash from interactions i "
                                 "left join audit_chain c on c.ref_id = i.id where i.id = ?", [interaction_id])
        row = cursor.fetchone()
        return decoded(dict(zip([d[0] for d in cursor.description], row))) if row else None

    def rows(self, flt: AuditFilter, batch: int = 2000) -> Iterator[dict]:
        """Every matching record, oldest first, read in keyset batches so memory stays flat."""
        where, args = flt.where(getattr(self.db, "dialect", "sqlite"))
        after = -1
        while True:
            cursor = self.db.execute(
                f"select rowid as _rowid, {', '.join(f'[{c}]' for c in EXPORT_COLUMNS)} from interactions "
                f"where ({where}) and rowid > ? order by rowid limit ?", [*args, after, batch])
            names = [d[0] for d in cursor.description]
            found = cursor.fetchall()
            if not found:
                return
            for values in found:
                row = dict(zip(names, values))
                after = row.pop("_rowid")
                yield row

    def export(self, flt: AuditFilter, fmt: str, out_dir: Path, actor: str, record_event) -> dict:
        """Write the filtered records to out_dir as CSV or JSONL; the export itself goes in the audit chain."""
        if fmt not in FORMATS:
            raise FilterError(f"Unknown export format '{fmt}'; use csv or jsonl.")
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        path = out_dir / f"audit-{stamp}.{fmt}"
        count = 0
        with atomic_open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS) if fmt == "csv" else None
            if writer:
                writer.writeheader()
            for row in self.rows(flt):
                count += 1
                if writer:
                    writer.writerow(row)
                else:
                    for key in ("verdicts", "entities"):
                        row[key] = json.loads(row[key]) if row.get(key) else None
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        summary = {"file": path.name, "format": fmt, "records": count, "sha256": digest, "filter": flt.described()}
        summary["event_id"] = record_event("audit-export", actor, summary)
        summary["path"] = str(path)
        return summary
