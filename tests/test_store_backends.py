"""What differs between the two databases, and holds on both: one list of migrations, applied once (under a lock)
and refused when the database is newer than the code; URLs never shown with their password; a PostgreSQL outage
refused with a readable sentence and recovered from without a restart."""

from __future__ import annotations

import multiprocessing

import pytest

from pg import PASSWORD, Cluster
from sandbox.settings import Settings, mask_url
from sandbox.store import InteractionLog, StoreError
from sandbox.store.db import close_postgres, connect
from sandbox.store.migrations import known_migrations
from sandbox.store.pg_schema import DDL, applied


def test_both_databases_have_the_same_migration_steps():
    assert set(DDL) == known_migrations()


def test_postgres_is_migrated_once_with_the_same_tables_and_views_as_sqlite(pg_url, tmp_path):
    sqlite = connect(tmp_path / "a.db")
    postgres = connect(pg_url, key_dir=tmp_path)
    assert applied(postgres) == known_migrations()
    assert set(postgres.table_names()) == set(sqlite.table_names()) - {t for t in sqlite.table_names()
                                                                       if t.startswith("interactions_fts")}
    assert set(postgres.view_names()) == set(sqlite.view_names())
    close_postgres(pg_url)
    assert applied(connect(pg_url)) == known_migrations()  # opening again applies nothing twice


def _open(url, results):
    try:
        connect(url)
        results.put("ok")
    except StoreError as exc:
        results.put(str(exc)[:300])


def test_instances_starting_at_once_on_a_new_postgres_database_all_get_it(pg_cluster):
    url = pg_cluster.create_database()
    results = multiprocessing.Queue()
    processes = [multiprocessing.Process(target=_open, args=(url, results)) for _ in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    assert [results.get(timeout=30) for _ in processes] == ["ok"] * 4
    pg_cluster.drop_database(url)


def test_a_newer_postgres_database_is_refused(pg_url):
    db = connect(pg_url)
    db.execute("insert into _migrations values ('m999_from_the_future', 'x')")
    close_postgres(pg_url)
    with pytest.raises(StoreError, match="newer version") as caught:
        connect(pg_url)
    assert PASSWORD not in str(caught.value) and "postgres:***@" in str(caught.value)


def test_the_url_is_read_in_one_place_and_shown_masked(monkeypatch, tmp_path):
    url = f"postgresql://team:{PASSWORD}@db.internal:5432/sandbox"
    monkeypatch.setenv("SANDBOX_DATABASE_URL", url)
    settings = Settings.load(tmp_path)
    assert settings.database == url and PASSWORD not in settings.database_label
    assert mask_url(url) == "postgresql://team:***@db.internal:5432/sandbox"
    monkeypatch.delenv("SANDBOX_DATABASE_URL")
    assert Settings.load(tmp_path).database == tmp_path.resolve() / "sandbox.db"  # the default stays SQLite


def test_postgres_down_is_a_readable_refusal_and_service_resumes_without_a_restart(tmp_path, monkeypatch):
    """Its own cluster, so stopping it does not disturb the other tests."""
    monkeypatch.setenv("SANDBOX_DATABASE_CONNECT_TIMEOUT", "1")
    cluster = Cluster().start()
    try:
        url = cluster.create_database()
        connect(url, key_dir=tmp_path)
        log = InteractionLog(url)
        log.finish(log.start(user="ann", model="local", prompt="before"), status="ok", answer="a")
        cluster.stop()
        with pytest.raises(StoreError) as caught:
            log.start(user="ann", model="local", prompt="during")
        message = str(caught.value)
        assert "nothing was sent to a model" in message and "running and reachable" in message
        assert PASSWORD not in message
        cluster.pg_ctl("start", "-w", "-l", str(cluster.root / "server.log"), "-o",
                       f"-p {cluster.port} -k {cluster.root} -c listen_addresses=127.0.0.1")
        iid = log.start(user="ann", model="local", prompt="after")  # the same pool, no restart
        log.finish(iid, status="ok", answer="b")
        from sandbox.audit.chain import verify

        result = verify(log.db)
        assert result.ok and result.checked == 2, result.sentence()
        close_postgres(url)
    finally:
        cluster.destroy()
