import sqlite3

import pytest

from sandbox.store import InteractionLog, StoreError, open_db


def test_database_is_wal_and_migrated(tmp_path):
    db = open_db(tmp_path / "a.db")
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert "m001_interactions" in {r["name"] for r in db["_migrations"].rows}
    assert "interactions_by_day" in db.view_names()


def test_migrations_apply_once(tmp_path):
    open_db(tmp_path / "a.db")
    db = open_db(tmp_path / "a.db")
    names = [r["name"] for r in db["_migrations"].rows]
    assert len(names) == len(set(names))


def test_record_round_trip(store_target):  # on SQLite and on PostgreSQL
    log = InteractionLog(store_target)
    iid = log.start(user="ann", model="local", prompt="hi", verdicts=[{"guard": "g", "decision": "allow"}])
    assert log.get(iid)["status"] == "pending"
    log.finish(iid, status="ok", answer="hello", tokens_out=2)
    row = log.get(iid)
    assert (row["status"], row["answer"], row["tokens_out"]) == ("ok", "hello", 2)
    assert row["verdicts"] == [{"guard": "g", "decision": "allow"}]
    assert row["finished_at"] >= row["created_at"]


def test_corrupted_file_gives_a_clear_error(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot be used"):
        open_db(path)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "a.db"
    open_db(path)
    conn = sqlite3.connect(path)
    conn.execute("insert into _migrations values ('m999_from_the_future', 'x')")
    conn.commit()
    with pytest.raises(StoreError, match="newer version"):
        open_db(path)


def _open_fresh(path, results):
    from sandbox.store.db import StoreError, open_db

    try:
        open_db(path)
        results.put("ok")
    except StoreError as exc:
        results.put(str(exc)[:200])


def test_processes_starting_at_once_on_a_new_database_all_get_it(tmp_path):
    # Two `sandbox` commands started together both used to run the migrations; one failed ("duplicate column").
    import multiprocessing

    for trial in range(5):
        path = tmp_path / f"t{trial}" / "sandbox.db"
        results = multiprocessing.Queue()
        processes = [multiprocessing.Process(target=_open_fresh, args=(path, results)) for _ in range(4)]
        for p in processes:
            p.start()
        for p in processes:
            p.join()
        assert [results.get(timeout=30) for _ in processes] == ["ok"] * 4
