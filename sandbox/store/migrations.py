"""Numbered schema migrations, each applied once and recorded in `_migrations`."""

from __future__ import annotations

import datetime as dt
from typing import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]):
    """One schema step: the function applies it to SQLite; the same step for PostgreSQL is its DDL in
    sandbox/store/pg_schema.py under the function's name (one list of versions for both databases)."""
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


def pending_migrations(db: sqlite_utils.Database) -> bool:
    if "_migrations" not in db.table_names():
        return True
    return bool(known_migrations() - {row["name"] for row in db["_migrations"].rows})


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


@migration
def m005_audit(db: sqlite_utils.Database) -> None:
    interactions = db["interactions"]
    # Derived from the verdicts when a record is written, so common questions need no JSON parsing.
    interactions.add_column("entities", str)  # JSON {entity type: count}, types and counts only
    interactions.add_column("entity_count", int)
    interactions.add_column("blocked_by", str)  # the guard that blocked, if any
    interactions.add_column("flagged_guards", str)  # ",pii,injection," : guards that did not simply allow
    for columns in (["model", "created_at"], ["role", "created_at"], ["decision", "created_at"],
                    ["conversation_id", "turn"]):
        interactions.create_index(columns)
    interactions.enable_fts(["prompt", "answer"], create_triggers=True)
    # Things that are not interactions but must be in the audit trail: exports, purges, policy changes.
    db["audit_events"].create(
        {"id": str, "created_at": str, "kind": str, "actor": str, "details": str},
        pk="id", not_null={"created_at", "kind"},
    )
    db["audit_events"].create_index(["created_at"])
    # The hash chain, append-only: one entry per finished interaction or event, in the order they were written.
    db["audit_chain"].create(
        {"seq": int, "at": str, "kind": str, "ref_id": str, "prev_hash": str, "hash": str},
        pk="seq", not_null={"at", "kind", "ref_id", "prev_hash", "hash"},
    )
    db["audit_chain"].create_index(["ref_id"], unique=True)
    db["audit_chain"].create_index(["at"])
    # Written by a purge: the hash of the last removed entry, which the first remaining entry points at.
    db["audit_checkpoints"].create(
        {"through_seq": int, "anchor_hash": str, "at": str, "cutoff": str, "removed": int, "event_id": str},
        pk="through_seq",
    )
    db.create_view("usage_by_day", """
        select substr(created_at, 1, 10) as day, model, role, user,
               count(*) as requests,
               sum(status = 'blocked') as blocked, sum(status = 'error') as errors,
               coalesce(sum(tokens_in), 0) as tokens_in, coalesce(sum(tokens_out), 0) as tokens_out,
               coalesce(sum(tokens_in), 0) + coalesce(sum(tokens_out), 0) as tokens,
               coalesce(sum(cost), 0) as cost
        from interactions group by day, model, role, user
    """)
    db.create_view("blocked_by_guard", """
        select substr(created_at, 1, 10) as day, blocked_by as guard, role, model, count(*) as requests
        from interactions where status = 'blocked' group by day, guard, role, model
    """)
    db.create_view("pii_entities_by_type", """
        select substr(i.created_at, 1, 10) as day, e.key as entity_type, i.role,
               sum(e.value) as entities, count(distinct i.id) as interactions
        from interactions i, json_each(i.entities) e
        where i.entities is not null group by day, entity_type, i.role
    """)
    db.create_view("interaction_verdicts", """
        select i.id as interaction_id, i.created_at, i.user, json_extract(v.value, '$.guard') as guard,
               json_extract(v.value, '$.decision') as decision, json_extract(v.value, '$.message') as message,
               json_extract(v.value, '$.ms') as ms
        from interactions i, json_each(i.verdicts) v where i.verdicts is not null
    """)


@migration
def m006_owners(db: sqlite_utils.Database) -> None:
    # The process that owns a pending record or a reservation, so one left behind by a dead process is closed.
    db["interactions"].add_column("owner", str)
    db["usage_ledger"].add_column("owner", str)
    db["interactions"].create_index(["status", "created_at"])
    db["usage_ledger"].create_index(["state"])


@migration
def m007_api_keys(db: sqlite_utils.Database) -> None:
    # Personal API keys: only a SHA-256 of the secret is kept (the secret is random, 32 bytes, so no slow hash).
    db["api_keys"].create(
        {"id": str, "user": str, "name": str, "secret_hash": str, "created_at": str, "expires_at": str,
         "revoked_at": str, "revoked_by": str, "last_used_at": str},
        pk="id", not_null={"user", "secret_hash", "created_at"},
    )
    db["api_keys"].create_index(["user"])
    # Which front a request came through (ui, cli, api) and, for the API, which key (its id, never the key).
    db["interactions"].add_column("channel", str)
    db["interactions"].add_column("api_key_id", str)


@migration
def m008_routing(db: sqlite_utils.Database) -> None:
    # When a routing rule chose the model: the model asked for, the rule and its reason (`model` is the one used).
    interactions = db["interactions"]
    interactions.add_column("requested_model", str)
    interactions.add_column("route_rule", str)
    interactions.add_column("route_reason", str)
    db.create_view("kept_private_by_reason", """
        select substr(created_at, 1, 10) as day, route_rule as rule, route_reason as reason, model, role,
               count(*) as requests
        from interactions where route_rule is not null group by day, rule, reason, model, role
    """)


@migration
def m009_audit_keying(db: sqlite_utils.Database) -> None:
    # From which chain entry on the hashes are HMACs keyed with the audit key (kept outside the database); `mac`
    # binds that position to the key, so the record cannot be moved or forged without the key.
    db["audit_keying"].create({"from_seq": int, "mac": str, "at": str}, pk="from_seq")


@migration
def m010_policy_sources(db: sqlite_utils.Database) -> None:
    # The text of each policy file of a version, so every instance on one database can put the newest in force.
    db["policy_sources"].create({"version": str, "name": str, "content": str}, pk=("version", "name"))
