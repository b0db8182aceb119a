"""Feedback on interactions, its review, and the dataset versions exported from it."""

from __future__ import annotations

import json
import time

from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso


class FeedbackError(ValueError):
    """A feedback request cannot be done; the message says why."""


class FeedbackStore(ThreadLocalDb):
    def add(self, *, interaction_id: str, user: str, rating: str, comment: str, better_answer: str,
            consent: bool) -> int:
        """Store feedback already redacted by the caller; only the interaction's own user may give it."""
        if rating not in ("up", "down"):
            raise FeedbackError("A rating is 'up' or 'down'.")
        rows = list(self.db["interactions"].rows_where("id = ?", [interaction_id], select="user, status"))
        if not rows or rows[0]["user"] != user:  # same answer for missing and foreign: reveals nothing
            raise FeedbackError(f"There is no interaction {interaction_id} of yours to give feedback on.")
        if rows[0]["status"] != "ok":
            raise FeedbackError("Feedback can only be given on an answered interaction.")
        with self.db.transaction():
            return self.db["feedback"].insert({
                "interaction_id": interaction_id, "user": user, "rating": rating, "comment": comment,
                "better_answer": better_answer, "consent": int(consent), "status": "pending",
                "approvals": 0, "reviewed_answer": None, "reject_reason": None, "created_at": now_iso(),
            }).last_pk

    def amend(self, feedback_id: int, user: str, **fields) -> None:
        """Change the rating, comment, better answer or consent of the user's own feedback while nobody has
        reviewed it (text already redacted by the caller)."""
        allowed = {"rating", "comment", "better_answer", "consent"}
        if set(fields) - allowed or fields.get("rating", "up") not in ("up", "down"):
            raise FeedbackError("Only the rating ('up' or 'down'), comment, better answer and consent can change.")
        with self.db.conn:
            changed = self.db.execute(
                f"update feedback set {', '.join(f'{k} = ?' for k in fields)} "
                "where id = ? and user = ? and status = 'pending' and approvals = 0",
                [*(int(v) if k == "consent" else v for k, v in fields.items()), feedback_id, user]).rowcount
        if not changed:
            raise FeedbackError(f"Feedback {feedback_id} is not yours or has already been reviewed; it was not "
                                "changed.")

    def get(self, feedback_id: int) -> dict | None:
        rows = list(self.db["feedback"].rows_where("id = ?", [feedback_id]))
        return rows[0] if rows else None

    def detail(self, feedback_id: int) -> dict | None:
        """One item joined with its interaction."""
        rows = self.list(feedback_id=feedback_id, limit=1)
        return rows[0] if rows else None

    def list(self, *, feedback_id: int | None = None, user: str | None = None, status: str | None = None, rating: str | None = None,
             model: str | None = None, role: str | None = None, since: str | None = None,
             until: str | None = None, has_better: bool | None = None, limit: int = 200) -> list[dict]:
        where, args = [], []
        for column, value in (("f.id", feedback_id), ("f.user", user), ("f.status", status), ("f.rating", rating), ("i.model", model),
                              ("i.role", role)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if since:
            where.append("f.created_at >= ?")
            args.append(since)
        if until:
            where.append("f.created_at < ?")
            args.append(until)
        if has_better is not None:
            where.append("coalesce(f.better_answer, '') != ''" if has_better else "coalesce(f.better_answer, '') = ''")
        sql = ("select f.*, i.model, i.role, i.prompt, i.answer, i.conversation_id, i.turn, i.policy_version "
               "from feedback f join interactions i on i.id = f.interaction_id"
               + (" where " + " and ".join(where) if where else "") + " order by f.id desc limit ?")
        return [dict(r) for r in self.db.query(sql, [*args, limit])]

    def review(self, feedback_id: int, reviewer: str, action: str, *, reason: str = "",
               edited_answer: str | None = None, approvals_required: int = 1) -> dict:
        item = self.get(feedback_id)
        if item is None:
            raise FeedbackError(f"There is no feedback {feedback_id}.")
        if item["status"] != "pending":
            raise FeedbackError(f"Feedback {feedback_id} is already {item['status']}.")
        if action == "reject" and not reason.strip():
            raise FeedbackError("Say why the feedback is rejected.")
        with self.immediate():
            already = self.db.execute("select 1 from feedback_reviews where feedback_id = ? and reviewer = ? "
                                      "and action = 'approve'", [feedback_id, reviewer]).fetchone()
            if action == "approve" and already:
                raise FeedbackError("You have already approved this item; another reviewer must approve it.")
            self.db.execute("insert into feedback_reviews (feedback_id, reviewer, action, reason, at) "
                            "values (?, ?, ?, ?, ?)", [feedback_id, reviewer, action, reason, time.time()])
            changes: dict = {}
            if edited_answer is not None:
                changes["reviewed_answer"] = edited_answer
            if action == "reject":
                changes.update(status="rejected", reject_reason=reason)
            elif action == "approve":
                approvals = item["approvals"] + 1
                changes["approvals"] = approvals
                if approvals >= approvals_required:
                    changes["status"] = "approved"
            if changes:
                assignments = ", ".join(f"{k} = ?" for k in changes)
                self.db.execute(f"update feedback set {assignments} where id = ?", [*changes.values(), feedback_id])
        return self.get(feedback_id)

    def conversation_before(self, conversation_id: str, turn: int) -> list[dict]:
        """Earlier answered turns of a conversation, as stored (redacted)."""
        return [dict(r) for r in self.db.query(
            "select prompt, answer from interactions where conversation_id = ? and turn < ? and status = 'ok' "
            "order by turn", [conversation_id, turn])]

    def record_dataset(self, manifest: dict, item_ids: list[int]) -> None:
        with self.db.transaction():
            self.db["datasets"].insert({
                "id": manifest["dataset_id"], "created_at": manifest["created_at"], "created_by":
                manifest["exported_by"], "format": manifest["format"], "sha256": manifest["sha256"],
                "item_ids": json.dumps(item_ids), "manifest": json.dumps(manifest, sort_keys=True),
            }, replace=True)

    def dataset(self, dataset_id: str) -> dict | None:
        rows = list(self.db["datasets"].rows_where("id = ?", [dataset_id]))
        return rows[0] if rows else None
