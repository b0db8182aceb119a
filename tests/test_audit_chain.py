"""The hash chain, retention, search and the audit CLI, on a real SQLite file and a real PostgreSQL database
(the `store_target` fixture runs each test on both)."""

import datetime as dt
import json

import pytest

from conftest import cli_env, sandbox_cli
from sandbox.audit.chain import verify
from sandbox.audit.query import AuditFilter, AuditQuery
from sandbox.audit.retention import Retention
from sandbox.store import InteractionLog

PII_VERDICT = {"guard": "pii", "decision": "redact", "message": "Redacted 1 EMAIL_ADDRESS.",
               "details": {"entities": {"EMAIL_ADDRESS": 1}}}
BLOCK_VERDICT = {"guard": "injection", "decision": "block", "message": "Looks like an injection."}


def write(log, n, user="ann", start=0):
    ids = []
    for i in range(start, start + n):
        blocked = i % 3 == 0
        iid = log.start(user=user, role="employee", model="local", prompt=f"question {i} about <EMAIL_ADDRESS_1>",
                        verdicts=[PII_VERDICT, BLOCK_VERDICT] if blocked else [PII_VERDICT])
        log.finish(iid, status="blocked" if blocked else "ok", decision="block" if blocked else "redact",
                   answer="" if blocked else f"answer {i} mentions giraffes", tokens_in=5, tokens_out=0 if blocked
                   else 7, latency_ms=12.5)
        ids.append(iid)
    return ids


@pytest.fixture
def log(store_target):
    return InteractionLog(store_target)


def raw(log):
    """Writing past the audit log, as someone with access to the database would: one committed transaction."""
    return log.db.transaction()


def key_dir(log):
    return log.db.key_dir


def test_intact_chain_verifies_and_records_derived_fields(log):
    ids = write(log, 6)
    result = verify(log.db)
    assert result.ok and result.checked == 6, result.sentence()
    row = log.get(ids[0])
    assert row["blocked_by"] == "injection" and row["entities"] == {"EMAIL_ADDRESS": 1} and row["entity_count"] == 1
    assert row["flagged_guards"] == ",pii,injection,"
    assert log.get(ids[1])["entities"] == {"EMAIL_ADDRESS": 1}


def test_finished_record_cannot_be_finished_again(log):
    from sandbox.store import StoreError

    iid = write(log, 1)[0]
    with pytest.raises(StoreError, match="never rewritten"):
        log.finish(iid, status="ok", answer="changed")


def test_edited_row_is_reported(log):
    ids = write(log, 10)
    with raw(log) as conn:
        conn.execute("update interactions set answer = 'edited' where id = ?", [ids[4]])
    result = verify(log.db)
    assert not result.ok and result.first_break.ref_id == ids[4] and result.first_break.seq == 5
    assert "changed" in result.first_break.reason


def test_deleted_row_is_reported(log):
    ids = write(log, 10)
    with raw(log) as conn:
        conn.execute("delete from interactions where id = ?", [ids[6]])
    result = verify(log.db)
    assert not result.ok and result.first_break.ref_id == ids[6] and "deleted" in result.first_break.reason


def test_deleted_chain_entry_and_row_are_reported(log):
    ids = write(log, 10)
    with raw(log) as conn:
        conn.execute("delete from interactions where id = ?", [ids[3]])
        conn.execute("delete from audit_chain where ref_id = ?", [ids[3]])
    result = verify(log.db)
    assert not result.ok and result.first_break.seq == 5 and "missing" in result.first_break.reason


def test_reordered_rows_are_reported(log):
    ids = write(log, 10)
    with raw(log) as conn:  # swap which record two chain entries cover
        conn.execute("update audit_chain set ref_id = 'tmp' where ref_id = ?", [ids[2]])
        conn.execute("update audit_chain set ref_id = ? where ref_id = ?", [ids[2], ids[7]])
        conn.execute("update audit_chain set ref_id = ? where ref_id = 'tmp'", [ids[7]])
    result = verify(log.db)
    assert not result.ok and result.first_break.seq == 3


def test_swapped_content_is_reported(log):
    ids = write(log, 10)
    with raw(log) as conn:
        a, b = (conn.execute("select prompt from interactions where id = ?", [i]).fetchone()[0] for i in ids[1:3])
        conn.execute("update interactions set prompt = ? where id = ?", [b, ids[1]])
        conn.execute("update interactions set prompt = ? where id = ?", [a, ids[2]])
    assert verify(log.db).first_break.ref_id == ids[1]


def test_record_inserted_outside_the_log_is_reported(log):
    write(log, 3)
    with raw(log) as conn:
        conn.execute("insert into interactions (id, created_at, user, status) values ('forged', '2020', 'x', 'ok')")
    result = verify(log.db)
    assert not result.ok and result.first_break.ref_id == "forged" and "not in the chain" in result.first_break.reason


def test_pending_records_do_not_break_the_chain(log):
    write(log, 3)
    log.start(user="ann", model="local", prompt="still running")
    result = verify(log.db)
    assert result.ok and result.pending == 1


def test_purge_keeps_the_rest_verifiable_and_is_recorded(log):
    old = write(log, 5)
    log.start(user="ann", model="local", prompt="abandoned", created_at="2000-01-01T00:00:00+00:00")
    boundary = dt.datetime.now(dt.timezone.utc)
    new = write(log, 5, start=5)
    result = Retention(log.target).purge(30, "admin", now=boundary + dt.timedelta(days=30))
    assert result.removed_entries == 5 and result.removed_pending == 1
    assert all(log.get(i) is None for i in old) and all(log.get(i) for i in new)
    check = verify(log.db)
    assert check.ok and check.checked == 6 and check.checkpoints == 1, check.sentence()
    event = log.db["audit_events"].get(result.event_id)
    assert event["kind"] == "audit-purge" and json.loads(event["details"])["removed_entries"] == 5
    # a later purge removes more, and the chain still verifies from the newest checkpoint
    Retention(log.target).purge(1, "admin", now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2))
    assert verify(log.db).ok and log.db["audit_checkpoints"].count == 2
    with raw(log) as conn:  # the anchor cannot be moved without the chain noticing
        conn.execute("update audit_checkpoints set anchor_hash = ?", ["f" * 64])
    assert not verify(log.db).ok


def test_filters_search_and_pages(log):
    write(log, 9, user="ann")
    write(log, 4, user="bob", start=100)
    query = AuditQuery(log.db)
    assert query.count(AuditFilter(user="bob")) == 4
    assert query.count(AuditFilter(guard="injection")) == 3 + 1
    assert query.count(AuditFilter(decision="redact", user="ann")) == 6
    rows, total = query.page(AuditFilter(text="giraffes"), page=2, per_page=4)
    assert total == 6 + 3 and len(rows) == 4
    assert query.count(AuditFilter(text="question 101")) == 1
    today = dt.date.today().isoformat()
    assert query.count(AuditFilter(since=today, until=today)) == 13
    assert query.count(AuditFilter(until="2000-01-01")) == 0


def run_cli(log, *args):
    extra = {"SANDBOX_DATABASE_URL": log.url} if log.url else {}
    return sandbox_cli("audit", *args, env=cli_env(key_dir(log), **extra))


def test_cli_list_show_export_verify(log, tmp_path):
    data_dir = key_dir(log)
    ids = write(log, 6)
    listed = run_cli(log, "list", "--user", "ann", "--status", "blocked", "--json")
    assert listed.returncode == 0, listed.stderr
    records = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["id"] for r in records} == {ids[0], ids[3]}
    shown = json.loads(run_cli(log, "show", ids[1], "--json").stdout)
    assert shown["id"] == ids[1] and shown["verdicts"][0]["guard"] == "pii" and shown["chain_seq"] == 2
    exported = run_cli(log, "export", "--format", "csv", "--search", "giraffes")
    summary = json.loads(exported.stdout)
    assert summary["records"] == 4 and (data_dir / "exports" / summary["file"]).read_text().count("giraffes") == 4
    jsonl = json.loads(run_cli(log, "export", "--format", "jsonl").stdout)
    lines = (data_dir / "exports" / jsonl["file"]).read_text().splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["verdicts"][0]["guard"] == "pii"
    ok = run_cli(log, "verify")
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 8 chained")  # 6 records and 2 export events
    with raw(log) as conn:
        conn.execute("update interactions set user = 'mallory' where id = ?", [ids[2]])
    broken = run_cli(log, "verify")
    assert broken.returncode == 1 and ids[2] in broken.stdout and "BROKEN at entry 3" in broken.stdout


def test_cli_purge_uses_days_and_reports(log):
    write(log, 3)
    dry = run_cli(log, "purge", "--days", "1", "--dry-run")
    assert dry.returncode == 0 and "Would remove 0" in dry.stdout
    bad = run_cli(log, "list", "--since", "yesterday")
    assert bad.returncode != 0 and "2025-01-31" in bad.stderr


def rewrite_with_plain_sha256(log) -> None:
    """What someone with write access to the database but not the key can do: recompute every entry."""
    from sandbox.audit.chain import GENESIS, canonical, entry_hash

    prev = GENESIS
    with raw(log) as conn:
        for entry in list(conn.query("select * from audit_chain order by seq")):
            table = "interactions" if entry["kind"] == "interaction" else "audit_events"
            record = next(conn.query(f"select * from {table} where id = ?", [entry["ref_id"]]))
            digest = entry_hash(prev, entry["seq"], entry["kind"], entry["ref_id"], canonical(entry["kind"], record))
            conn.execute("update audit_chain set prev_hash = ?, hash = ? where seq = ?", [prev, digest, entry["seq"]])
            prev = digest


def test_a_full_rewrite_without_the_key_is_detected(log):
    """An unkeyed chain is only as strong as the database: rewriting every hash made it verify again."""
    write(log, 5)
    with raw(log) as conn:
        conn.execute("update interactions set answer = 'nothing to see' where answer like 'answer 1 %'")
    rewrite_with_plain_sha256(log)
    result = verify(log.db)
    assert not result.ok and "changed" in result.first_break.reason, result.sentence()
    with raw(log) as conn:
        conn.execute("delete from audit_keying")  # hiding where keying starts does not help either
    result = verify(log.db)
    assert not result.ok and "no keying record" in result.first_break.reason, result.sentence()


def test_key_file_is_private_and_the_protection_is_named(log):
    import stat

    write(log, 2)
    key_file = key_dir(log) / "audit.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(key_file.read_text().strip()) == 64
    result = verify(log.db)
    assert result.ok and result.protection == f"keyed (HMAC-SHA256, key file {key_file}) from entry 1"
    assert "Protection: keyed (HMAC-SHA256" in result.sentence()


def test_a_legacy_chain_keeps_verifying_and_new_entries_are_keyed(log):
    """A chain written before keying (plain SHA-256, no key file) verifies; entries from the upgrade on are keyed."""
    from sandbox.audit.chain import ensure_keying

    write(log, 3)
    rewrite_with_plain_sha256(log)  # as the previous version wrote it
    with raw(log) as conn:
        conn.execute("delete from audit_keying")
    (key_dir(log) / "audit.key").unlink()
    legacy = verify(log.db)
    assert legacy.ok and legacy.protection.startswith("unkeyed (no audit key"), legacy.sentence()
    ensure_keying(log.db)  # the first start of the new version
    write(log, 2, start=3)
    result = verify(log.db)
    assert result.ok and result.checked == 5, result.sentence()
    assert "keyed (HMAC-SHA256, key file" in result.protection and "from entry 4" in result.protection
    assert "unkeyed (legacy records before entry 4)" in result.protection
    cli = run_cli(log, "verify")
    assert cli.returncode == 0 and "unkeyed (legacy records before entry 4)" in cli.stdout, cli.stdout + cli.stderr


def test_a_lost_key_is_reported_and_never_silently_replaced(log):
    from sandbox.audit.chain import AuditKeyError, ensure_keying

    write(log, 2)
    (key_dir(log) / "audit.key").unlink()
    ensure_keying(log.db)  # a restart
    assert not (key_dir(log) / "audit.key").exists()
    result = verify(log.db)
    assert not result.ok and "key is missing" in result.first_break.reason, result.sentence()
    with pytest.raises(AuditKeyError):
        log.record_event("audit-export", "ann", {"file": "x.csv"})
