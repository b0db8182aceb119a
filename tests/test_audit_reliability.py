"""Concurrent writers, a writer killed mid-write, and unusable database files: the chain always verifies."""

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from sandbox.audit.chain import verify
from sandbox.gateway import ChatRequest, Gateway
from sandbox.store import InteractionLog, StoreError, open_db

TOTAL = 10_000
WRITERS = 32
PROCESSES = 4
THREADS_PER_PROCESS = 4  # 16 writers in 4 processes, 16 threads in this one


def write_many(path, count, tag):
    log = InteractionLog(path)
    for i in range(count):
        iid = log.start(user=f"{tag}", role="employee", model="local", prompt=f"{tag} prompt {i}",
                        verdicts=[{"guard": "pii", "decision": "allow", "details": {"entities": {}}}])
        log.finish(iid, status="ok", decision="allow", answer=f"answer {i}", tokens_in=3, tokens_out=4)


def process_writer(path, counts, tag):
    threads = [threading.Thread(target=write_many, args=(path, n, f"{tag}-t{k}")) for k, n in enumerate(counts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_32_concurrent_writers_threads_and_processes(tmp_path):
    path = tmp_path / "sandbox.db"
    InteractionLog(path)  # migrate once before the writers start
    shares = [TOTAL // WRITERS + (1 if k < TOTAL % WRITERS else 0) for k in range(WRITERS)]
    per_process = [shares[k * THREADS_PER_PROCESS:(k + 1) * THREADS_PER_PROCESS] for k in range(PROCESSES)]
    local = shares[PROCESSES * THREADS_PER_PROCESS:]
    context = multiprocessing.get_context("fork")  # forked before this process starts its own threads
    processes = [context.Process(target=process_writer, args=(path, counts, f"p{k}"))
                 for k, counts in enumerate(per_process)]
    for p in processes:
        p.start()
    process_writer(path, local, "main")
    for p in processes:
        p.join(timeout=600)  # a hang guard only: speed is measured in benchmarks/audit.py, not asserted here
        assert p.exitcode == 0
    db = open_db(path)
    assert db["interactions"].count == TOTAL
    assert db.execute("select count(*) from interactions where status = 'ok'").fetchone()[0] == TOTAL
    assert db.execute("select count(distinct user) from interactions").fetchone()[0] == WRITERS
    result = verify(db)
    assert result.ok and result.checked == TOTAL, result.sentence()


KILLED_WRITER = """
import sys
from sandbox.store import InteractionLog
log = InteractionLog(sys.argv[1])
i = 0
while True:
    iid = log.start(user="victim", model="local", prompt=f"prompt {i}")
    log.finish(iid, status="ok", decision="allow", answer="answer " * 50)
    i += 1
"""


def test_writer_killed_mid_write_loses_at_most_one_record(tmp_path):
    path = tmp_path / "sandbox.db"
    InteractionLog(path)
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], cwd=ROOT)
    db = open_db(path)
    deadline = time.monotonic() + 60
    while db["interactions"].count < 300 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    db = open_db(path)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    result = verify(db)
    finished = db.execute("select count(*) from interactions where status != 'pending'").fetchone()[0]
    assert result.ok and result.checked == finished >= 300, result.sentence()
    assert result.pending <= 1
    # the log goes on: the next record chains onto what survived
    log = InteractionLog(path)
    log.finish(log.start(user="after", model="local", prompt="next"), status="ok", answer="fine")
    assert verify(open_db(path)).ok


def test_locked_database_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "sandbox.db"
    log = InteractionLog(path, busy_timeout_s=0.2)
    holder = sqlite3.connect(path)
    holder.execute("begin exclusive")
    try:
        with pytest.raises(StoreError, match="could not record the request .*locked.*Check that no other program"):
            log.start(user="ann", model="local", prompt="hello")
    finally:
        holder.rollback()
        holder.close()
    assert open_db(path)["interactions"].count == 0


def test_gateway_fails_closed_when_the_log_cannot_be_written(sandbox, tmp_path):
    path = tmp_path / "audit-only.db"
    log = InteractionLog(path, busy_timeout_s=0.2)
    gateway = Gateway(log, sandbox.client, sandbox.policy)
    holder = sqlite3.connect(path)
    holder.execute("begin exclusive")
    try:
        result = gateway.handle(ChatRequest(user="ann", prompt="What is the capital of France?", model="local"))
    finally:
        holder.rollback()
        holder.close()
    assert result.status == "error" and result.answer == "" and result.forwarded_prompt == ""
    assert "audit log could not record" in result.message and "nothing was sent to a model" in result.message
    assert open_db(path)["interactions"].count == 0


def test_corrupted_and_newer_files_are_refused(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(StoreError, match="cannot be used"):
        InteractionLog(broken)
    newer = tmp_path / "newer.db"
    InteractionLog(newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("insert into _migrations values ('m999_later', 'x')")
    with pytest.raises(StoreError, match="newer version"):
        InteractionLog(newer)
