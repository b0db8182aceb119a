"""Audit log throughput and query latency on SQLite and PostgreSQL in the same run; prints one JSON object.

    python benchmarks/audit.py [--records 100000] [--threads 32] [--backends sqlite,postgresql]

Writes are real InteractionLog start+finish pairs (insert, then update + hash-chain append in one immediate
transaction: SQLite's BEGIN IMMEDIATE with FTS triggers, PostgreSQL's advisory lock with the GIN search index). For
SQLite the baseline in the same run is the same two statements on a plain table with no chain, no FTS and no extra
indexes. PostgreSQL is a throw-away cluster from Debian's binaries (tests/pg.py: fsync off, as a test cluster),
written by one process and then by two processes at once (two instances). Queries and verify run at the final
record count.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the throw-away PostgreSQL cluster of the tests

from sandbox.audit.chain import verify  # noqa: E402
from sandbox.audit.query import AuditFilter, AuditQuery  # noqa: E402
from sandbox.store import InteractionLog, open_db  # noqa: E402

MODELS, ROLES = ("local", "gpt-4o-mini", "claude-haiku"), ("employee", "analyst", "admin")
WORDS = "budget forecast contract invoice giraffe roadmap migration kernel payroll vendor".split()


def one(log: InteractionLog, i: int) -> None:
    blocked = i % 7 == 0
    verdicts = [{"guard": "pii", "decision": "redact", "details": {"entities": {"EMAIL_ADDRESS": 1}}}]
    if blocked:
        verdicts.append({"guard": "injection", "decision": "block", "message": "blocked"})
    iid = log.start(user=f"user{i % 200}", role=ROLES[i % 3], model=MODELS[i % 3], conversation_id=f"c{i}", turn=1,
                    policy_version="v1", prompt=f"please summarise the {WORDS[i % 10]} {WORDS[(i // 10) % 10]} "
                    f"for <EMAIL_ADDRESS_1> item {i}", verdicts=verdicts)
    log.finish(iid, status="blocked" if blocked else "ok", decision="block" if blocked else "redact",
               answer="" if blocked else f"here is a summary of the {WORDS[(i // 3) % 10]} in three points",
               tokens_in=20, tokens_out=0 if blocked else 40, cost=0.0, latency_ms=100.0 + i % 50, guard_ms=5.0,
               model_ms=95.0)


def write(log: InteractionLog, start: int, count: int, threads: int) -> float:
    share = count // threads
    workers = [threading.Thread(target=lambda k=k: [one(log, start + k * share + j) for j in range(share)])
               for k in range(threads)]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return share * threads / (time.perf_counter() - began)


def baseline(path: Path, count: int) -> float:
    db = open_db(path)
    db.execute("create table plain as select * from interactions where 0")
    conn = db.conn
    began = time.perf_counter()
    for i in range(count):
        conn.execute("begin immediate")
        conn.execute("insert into plain (id, created_at, user, model, status, prompt) values (?, ?, ?, ?, ?, ?)",
                     [f"p{i}", "2025-01-01", "u", "local", "pending", f"prompt {i}"])
        conn.commit()
        conn.execute("begin immediate")
        conn.execute("update plain set status = 'ok', answer = ? where id = ?", ["answer", f"p{i}"])
        conn.commit()
    return count / (time.perf_counter() - began)


def timed(fn, runs: int = 15) -> dict:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2)}


def _writer_process(target, start: int, count: int, threads: int, ready, go, results) -> None:
    log = InteractionLog(target)
    ready.put(True)
    go.wait()
    results.put(write(log, start, count, threads))


def processes_rate(target, start: int, count: int, threads: int, processes: int) -> float:
    """Interactions/s of `processes` instances writing at once, `threads` writers each (aggregate)."""
    context = multiprocessing.get_context("fork")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    workers = [context.Process(target=_writer_process, args=(target, start + k * count, count, threads, ready,
                                                              go, results)) for k in range(processes)]
    for w in workers:
        w.start()
    for _ in workers:
        ready.get(timeout=120)
    began = time.perf_counter()
    go.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    rates = [results.get() for _ in workers]
    return min(sum(rates), processes * count / elapsed)


def run_backend(target, args, tmp: Path) -> dict:
    from sandbox.store.db import connect

    log = InteractionLog(target)
    single = write(log, 0, 2000, 1)
    concurrent = write(log, 2000, 4000, args.threads)
    figures = {"interactions_per_s_1_thread": round(single),
               f"interactions_per_s_{args.threads}_threads": round(concurrent),
               "record_writes_per_s_1_thread": round(single * 2)}  # each interaction is two transactions
    done = 6000
    if log.url:
        figures[f"interactions_per_s_1_process_x_{args.threads}_threads"] = round(
            processes_rate(target, done, 2000, args.threads, 1))
        figures[f"interactions_per_s_2_processes_x_{args.threads}_threads"] = round(
            processes_rate(target, done + 2000, 2000, args.threads, 2))
        done += 6000
    else:
        plain = baseline(tmp / "baseline.db", 2000)
        figures.update(baseline_plain_interactions_per_s=round(plain),
                       ratio_vs_baseline_1_thread=round(single / plain, 3))
    began = time.perf_counter()
    fill = write(log, done, args.records - done, args.threads)
    figures[f"interactions_per_s_{args.threads}_threads_while_filling"] = round(fill)
    figures["fill_seconds"] = round(time.perf_counter() - began, 1)
    db = connect(target)
    figures.update(_queries_and_verify(db))
    figures["db_mb"] = round((db.execute("select pg_database_size(current_database())").fetchone()[0] if log.url
                              else Path(target).stat().st_size) / 1e6, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    os.environ.setdefault("SANDBOX_DATABASE_POOL", str(args.threads))  # one connection per writer thread
    os.environ.setdefault("SANDBOX_AUDIT_KEY", "benchmark-audit-key")
    out = {"records": args.records, "writer_threads": args.threads, "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.backends:
            out["sqlite"] = run_backend(Path(tmp) / "sandbox.db", args, Path(tmp))
        if "postgresql" in args.backends:
            from pg import Cluster

            cluster = Cluster().start()
            try:
                out["postgresql"] = run_backend(cluster.create_database(), args, Path(tmp))
            finally:
                cluster.destroy()
    print(json.dumps(out, indent=2))


def _queries_and_verify(db) -> dict:
    query = AuditQuery(db)
    total = db["interactions"].count
    filters = {
        "user_page": AuditFilter(user="user17"),
        "model_role_decision_page": AuditFilter(model="local", role="employee", decision="block"),
        "guard_since_page": AuditFilter(guard="injection", since="2000-01-01"),
        "fts_page": AuditFilter(text="giraffe roadmap"),
        "fts_and_user_page": AuditFilter(text="payroll", user="user3"),
        "last_page_offset": None,
    }
    latency = {}
    for name, flt in filters.items():
        if flt is None:
            latency[name] = timed(lambda: query.page(AuditFilter(), page=total // 50, per_page=50))
        else:
            latency[name] = timed(lambda flt=flt: query.page(flt, page=1, per_page=50))
    began = time.perf_counter()
    check = verify(db)
    verify_s = time.perf_counter() - began
    return {"records_at_end": total, "query_latency_ms_at_records (page of 50 + total count)": latency,
            "verify_seconds": round(verify_s, 2), "verify_ok": check.ok, "verify_checked": check.checked}


if __name__ == "__main__":
    main()
