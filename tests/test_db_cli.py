"""`sandbox db status|migrate|copy` as a person runs them, on a SQLite data directory and a real PostgreSQL."""

from __future__ import annotations

import json

from conftest import cli_env, sandbox_cli
from pg import PASSWORD
from sandbox.audit.chain import verify
from sandbox.audit.query import AuditFilter, AuditQuery
from sandbox.store import InteractionLog
from sandbox.store.db import connect
from sandbox.store.feedback import FeedbackStore
from sandbox.store.migrations import known_migrations
from sandbox.store.usage import Limit, UsageLedger
from sandbox.store.users import UserDirectory


def run(data_dir, *args, url: str | None = None):
    extra = {"SANDBOX_DATABASE_URL": url} if url else {}
    return sandbox_cli("db", *args, env=cli_env(data_dir, **extra), timeout=120)


def team_history(path, n: int = 30) -> list[str]:
    """A SQLite history with every kind of row: answered and blocked records, a purge, feedback, budgets, users."""
    log, feedback = InteractionLog(path), FeedbackStore(path)
    UserDirectory(path).add("ann", "employee", "pw-ann-123")
    ids = []
    for i in range(n):
        iid = log.start(user="ann", role="employee", model="local", prompt=f"question {i} about giraffes",
                        verdicts=[{"guard": "pii", "decision": "allow"}])
        log.finish(iid, status="ok", decision="allow", answer=f"answer {i}", tokens_in=3, tokens_out=4,
                   latency_ms=10.5)
        ids.append(iid)
    feedback.add(interaction_id=ids[-1], user="ann", rating="up", comment="good", better_answer="", consent=True)
    ledger = UsageLedger(path)
    ledger.settle(ledger.reserve(user="ann", role="employee", model="local", tokens=50,
                                 limits=[Limit("user", "day", 1000)]).ledger_id, 7)
    log.record_event("audit-export", "admin", {"records": 3})
    return ids


def test_status_and_migrate_on_both_databases(data_dir, pg_url):
    missing = run(data_dir, "status")
    assert missing.returncode != 0 and "There is no database" in missing.stderr
    migrated = run(data_dir, "migrate")
    assert migrated.returncode == 0 and "up to date" in migrated.stdout, migrated.stderr
    assert run(data_dir, "status").stdout.strip().endswith(f"({len(known_migrations())} migrations, sqlite).")
    fresh = run(data_dir, "status", "--json", url=pg_url)
    assert fresh.returncode == 0 and json.loads(fresh.stdout)["pending"], fresh.stderr
    assert PASSWORD not in fresh.stdout and "postgres:***@" in fresh.stdout
    done = run(data_dir, "migrate", url=pg_url)
    assert done.returncode == 0 and f"Applied {len(known_migrations())} migration(s)" in done.stdout and PASSWORD not in done.stdout
    option = sandbox_cli("--database-url", pg_url, "db", "status", env=cli_env(data_dir), timeout=120)
    assert option.returncode == 0 and "up to date" in option.stdout and "postgresql" in option.stdout
    connect(pg_url).execute("insert into _migrations values ('m999_from_the_future', 'x')")
    newer = run(data_dir, "status", url=pg_url)
    assert newer.returncode == 1 and "newer version" in newer.stdout


def test_copy_a_team_history_from_sqlite_to_postgres_keeps_the_chain(data_dir, pg_url):
    source = data_dir / "sandbox.db"
    data_dir.mkdir(mode=0o700)
    ids = team_history(source)
    copied = run(data_dir, "copy", "--from", str(source), "--to", pg_url)
    assert copied.returncode == 0, copied.stderr
    assert "Copied 30 interaction(s), 1 audit event(s), 31 chain entries" in copied.stdout
    assert "Verify on the destination: OK: 31 chained record(s) verify" in copied.stdout
    assert PASSWORD not in copied.stdout + copied.stderr
    postgres = connect(pg_url, key_dir=data_dir)
    assert verify(postgres).head == verify(connect(source)).head  # the very same chain
    assert AuditQuery(postgres).count(AuditFilter(text="giraffes question 7")) == 1
    assert FeedbackStore(pg_url).list()[0]["interaction_id"] == ids[-1]
    assert UserDirectory(pg_url).sign_in("ann", "pw-ann-123", "127.0.0.1")[0] is not None
    log = InteractionLog(pg_url)  # the copy goes on: new records chain after the copied ones
    log.finish(log.start(user="ann", model="local", prompt="after the move"), status="ok", answer="ok")
    assert verify(postgres).checked == 32
    again = run(data_dir, "copy", "--from", str(source), "--to", pg_url)
    assert again.returncode != 0 and "already holds records" in again.stderr


def test_copy_back_from_postgres_to_a_new_sqlite_file(data_dir, pg_url, tmp_path):
    data_dir.mkdir(mode=0o700)
    team_history(data_dir / "sandbox.db", n=5)
    assert run(data_dir, "copy", "--from", str(data_dir / "sandbox.db"), "--to", pg_url).returncode == 0
    back = tmp_path / "back" / "sandbox.db"
    copied = run(data_dir, "copy", "--from", pg_url, "--to", str(back))
    assert copied.returncode == 0 and "OK: 6 chained record(s) verify" in copied.stdout, copied.stderr
