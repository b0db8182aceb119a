"""Retention: remove audit records older than the policy allows, keeping the rest of the chain verifiable."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sandbox.audit import chain
from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso


@dataclass
class PurgeResult:
    cutoff: str
    removed_entries: int  # chain entries (interactions and events) removed
    removed_pending: int  # unfinished records older than the cutoff (never chained)
    through_seq: int | None  # the last removed chain entry; the checkpoint anchors the next one
    event_id: str | None  # the purge's own record in the chain
    dry_run: bool = False
    removed_feedback: int = 0  # feedback items on the removed records

    def to_dict(self) -> dict:
        return asdict(self)

    def sentence(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        return (f"{verb} {self.removed_entries} chained record(s) and {self.removed_pending} unfinished one(s) "
                f"older than {self.cutoff[:10]}, with {self.removed_feedback} feedback item(s) on them.")


class Retention(ThreadLocalDb):
    def purge(self, retention_days: int, actor: str, now: dt.datetime | None = None,
              dry_run: bool = False) -> PurgeResult:
        """Remove the oldest prefix of the chain written before now - retention_days, in one transaction.

        Only a prefix goes, so what stays is one unbroken chain starting at a checkpoint; an entry older than
        the cutoff that follows a newer one stays until the next purge.
        """
        if retention_days < 1:
            raise ValueError("retention_days must be at least 1.")
        now = now or dt.datetime.now(dt.timezone.utc)
        cutoff = (now - dt.timedelta(days=retention_days)).isoformat(timespec="microseconds")
        with self.immediate() as db:
            first_kept = db.execute("select min(seq) from audit_chain where at >= ?", [cutoff]).fetchone()[0]
            if first_kept is None:
                first_kept = (db.execute("select max(seq) from audit_chain").fetchone()[0] or 0) + 1
            doomed = db.execute("select count(*), max(seq) from audit_chain where seq < ?", [first_kept]).fetchone()
            pending = db.execute("select count(*) from interactions where status = 'pending' and created_at < ?",
                                 [cutoff]).fetchone()[0]
            result = PurgeResult(cutoff, doomed[0], pending, doomed[1], None, dry_run)
            # Feedback on a purged record goes with it: retention covers what employees wrote about answers too.
            doomed_ids = ("select ref_id from audit_chain where seq <= ? union select id from interactions "
                          "where status = 'pending' and created_at < ?")
            feedback_ids = f"select id from feedback where interaction_id in ({doomed_ids})"
            result.removed_feedback = db.execute(f"select count(*) from ({feedback_ids}) as doomed_feedback",
                                                 [doomed[1] or 0, cutoff]).fetchone()[0]
            if dry_run or (not doomed[0] and not pending):
                return result
            for table, column in (("feedback_reviews", "feedback_id"), ("feedback", "id")):
                db.execute(f"delete from {table} where {column} in ({feedback_ids})", [doomed[1] or 0, cutoff])
            if doomed[0]:
                anchor = db.execute("select hash from audit_chain where seq = ?", [doomed[1]]).fetchone()[0]
                for table in ("interactions", "audit_events"):
                    db.execute(f"delete from [{table}] where id in "
                               "(select ref_id from audit_chain where seq <= ?)", [doomed[1]])
                db.execute("delete from audit_chain where seq <= ?", [doomed[1]])
                db.execute("insert into audit_checkpoints (through_seq, anchor_hash, at, cutoff, removed) "
                           "values (?, ?, ?, ?, ?)", [doomed[1], anchor, now_iso(), cutoff, doomed[0]])
            db.execute("delete from interactions where status = 'pending' and created_at < ?", [cutoff])
            result.event_id = chain.add_event(db, "audit-purge", actor, {
                "cutoff": cutoff, "retention_days": retention_days, "removed_entries": doomed[0],
                "removed_pending": pending, "removed_feedback": result.removed_feedback,
                "through_seq": doomed[1]}, now_iso())
            if doomed[0]:
                db.execute("update audit_checkpoints set event_id = ? where through_seq = ?",
                           [result.event_id, doomed[1]])
        return result
