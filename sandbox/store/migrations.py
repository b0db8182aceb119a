"""Numbered schema migrations, each applied once and recorded in `_migrations`."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> None:
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.conn:
            fn(db)
            db["_migrations"].insert(
                {"name": fn.__name__, "applied_at": dt.datetime.now(dt.timezone.utc).isoformat()}
            )


def known_migrations() -> set[str]:
    return {fn.__name__ for fn in MIGRATIONS}


@migration
def m001_interactions(db: sqlite_utils.Database) -> None:
    db["interactions"].create(
        {
            "id": str,
            "created_at": str,
            "finished_at": str,
            "user": str,
            "role": str,
            "conversation_id": str,
            "turn": int,
            "model": str,
            "policy_version": str,
            "status": str,  # pending, ok, blocked, error
            "decision": str,  # allow, redact, block
            "prompt": str,  # as the gateway forwarded it (after input guards)
            "answer": str,  # after output guards
            "verdicts": str,  # JSON list of each guard's verdict
            "tokens_in": int,
            "tokens_out": int,
            "cost": float,
            "latency_ms": float,
            "guard_ms": float,
            "model_ms": float,
            "error_class": str,
            "error_message": str,
        },
        pk="id",
        not_null={"created_at", "user", "status"},
    )
    db["interactions"].create_index(["user", "created_at"])
    db["interactions"].create_index(["created_at"])
    db["interactions"].create_index(["status"])
    db.create_view(
        "interactions_by_day",
        """
        select substr(created_at, 1, 10) as day, model, user, status,
               count(*) as requests, sum(tokens_in) as tokens_in, sum(tokens_out) as tokens_out
        from interactions group by day, model, user, status
        """,
    )


@migration
def m002_policy_and_usage(db: sqlite_utils.Database) -> None:
    db["policy_versions"].create(
        {"version": str, "applied_at": str, "applied_by": str, "files": str, "summary": str},
        pk="version",
    )
    # One row per request that may spend tokens: reserved before the call, settled after.
    db["usage_ledger"].create(
        {"id": int, "interaction_id": str, "user": str, "role": str, "model": str, "day": str, "month": str,
         "reserved": int, "used": int, "state": str, "created_at": str},
        pk="id",
    )
    db["usage_ledger"].create_index(["user", "day"])
    db["usage_ledger"].create_index(["role", "day"])
    db["usage_ledger"].create_index(["user", "month"])
    db["usage_ledger"].create_index(["role", "month"])
    db["rate_events"].create({"id": int, "user": str, "at": float}, pk="id")
    db["rate_events"].create_index(["user", "at"])


@migration
def m003_users(db: sqlite_utils.Database) -> None:
    db["users"].create(
        {"username": str, "email": str, "role": str, "password_hash": str, "disabled": int,
         "source": str, "created_at": str, "updated_at": str},
        pk="username",
    )
    db["sign_in_attempts"].create(
        {"id": int, "username": str, "address": str, "ok": int, "reason": str, "at": float}, pk="id"
    )
    db["sign_in_attempts"].create_index(["username", "at"])
    db["sign_in_attempts"].create_index(["address", "at"])
    # Only a hash of each session token is stored; the token itself lives in the browser's cookie.
    db["sessions"].create(
        {"token_hash": str, "username": str, "created_at": float, "expires_at": float}, pk="token_hash"
    )
    db["sessions"].create_index(["username"])


@migration
def m004_feedback(db: sqlite_utils.Database) -> None:
    # Comments and answers are stored only after PII redaction.
    db["feedback"].create(
        {"id": int, "interaction_id": str, "user": str, "rating": str, "comment": str, "better_answer": str,
         "consent": int, "status": str, "approvals": int, "reviewed_answer": str, "reject_reason": str,
         "created_at": str},
        pk="id", foreign_keys=[("interaction_id", "interactions", "id")],
    )
    db["feedback"].create_index(["status", "created_at"])
    db["feedback"].create_index(["user"])
    db["feedback_reviews"].create(
        {"id": int, "feedback_id": int, "reviewer": str, "action": str, "reason": str, "at": float},
        pk="id", foreign_keys=[("feedback_id", "feedback", "id")],
    )
    db["datasets"].create(
        {"id": str, "created_at": str, "created_by": str, "format": str, "sha256": str, "item_ids": str,
         "manifest": str},
        pk="id",
    )
