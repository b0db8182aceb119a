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
