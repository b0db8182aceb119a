"""Group commit on SQLite: writes of many threads share a transaction, yet each succeeds or fails on its own."""

import multiprocessing
import threading
import time

import pytest

from sandbox.audit.chain import verify
from sandbox.store import InteractionLog, StoreError, open_db
from sandbox.store.group_commit import GroupCommit


def _wait_for(predicate, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "the writers never queued"
        time.sleep(0.001)


def test_a_failing_write_is_rolled_back_alone_and_the_batch_commits(tmp_path):
    group, path = GroupCommit(), tmp_path / "g.db"
    open_db(path).execute("create table t (k text primary key)")
    inside, release, results = threading.Event(), threading.Event(), {}

    def blocking(db):  # the leader's write: holds the transaction open until the other two have queued
        db.execute("insert into t values ('first')")
        inside.set()
        release.wait(10)

    def call(name, job):
        try:
            results[name] = group.run(open_db(path), job)
        except Exception as exc:  # noqa: BLE001 - the test looks at which error each caller got
            results[name] = exc

    def bad(db):
        db.execute("insert into t values ('bad')")
        raise ValueError("this write fails")

    leader = threading.Thread(target=call, args=("first", blocking))
    leader.start()
    assert inside.wait(10)
    others = [threading.Thread(target=call, args=("bad", bad)),
              threading.Thread(target=call, args=("good", lambda db: db.execute("insert into t values ('good')")
                                                  .rowcount))]
    for t in others:
        t.start()
    _wait_for(lambda: len(group._queue) == 2)  # both queued behind the open transaction: one batch of two
    release.set()
    for t in [leader, *others]:
        t.join(10)
    assert isinstance(results["bad"], ValueError)
    assert results["good"] == 1
    assert sorted(r[0] for r in open_db(path).execute("select k from t")) == ["first", "good"]


def test_concurrent_writers_with_refused_finishes_leave_a_verifying_chain(store_target):
    log, errors, done = InteractionLog(store_target), [], []

    def writer(tag):
        for i in range(30):
            iid = log.start(user=tag, role="employee", model="local", prompt=f"{tag} {i}", verdicts=[])
            log.finish(iid, status="ok", decision="allow", answer="a", tokens_in=1, tokens_out=1)
            done.append(iid)
            try:
                log.finish(iid, status="ok", decision="allow", answer="rewritten")  # finished already: refused
            except StoreError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"u{k}",)) for k in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(done) == len(errors) == 360
    assert all("not pending" in str(e) for e in errors)
    check = verify(log.db)
    assert check.ok and check.checked == 360 and check.pending == 0
    assert log.db.execute("select count(*) from interactions where answer = 'rewritten'").fetchone()[0] == 0


def test_a_commit_that_fails_fails_every_write_of_its_batch(tmp_path):
    path = tmp_path / "c.db"
    open_db(path).execute("create table t (k text primary key)")
    holder = open_db(path)
    holder.conn.execute("begin immediate")  # another connection holds the write lock: BEGIN IMMEDIATE times out
    try:
        with pytest.raises(Exception, match="locked"):
            GroupCommit().run(open_db(path, busy_timeout_s=0.05), lambda db: db.execute("insert into t values ('x')"))
    finally:
        holder.conn.rollback()
    assert open_db(path).execute("select count(*) from t").fetchone()[0] == 0


def _write_in_child(group, path):
    group.run(open_db(path), lambda db: db.execute("insert into t values ('child')"))


def test_a_child_forked_while_a_batch_is_open_writes_on_its_own(tmp_path):
    group, inside, release = GroupCommit(), threading.Event(), threading.Event()
    open_db(tmp_path / "parent.db").execute("create table t (k text)")
    open_db(tmp_path / "child.db").execute("create table t (k text)")

    def blocking(db):
        inside.set()
        release.wait(10)

    leader = threading.Thread(target=group.run, args=(open_db(tmp_path / "parent.db"), blocking))
    leader.start()
    assert inside.wait(10)
    child = multiprocessing.get_context("fork").Process(target=_write_in_child, args=(group, tmp_path / "child.db"))
    child.start()
    child.join(20)
    release.set()
    leader.join(10)
    assert child.exitcode == 0
    assert open_db(tmp_path / "child.db").execute("select k from t").fetchall() == [("child",)]
