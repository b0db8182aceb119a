"""Audit log throughput and query latency; prints one JSON object.

    python benchmarks/audit.py [--records 100000] [--threads 4]

Writes are real InteractionLog start+finish pairs (insert, then update + hash-chain append in one BEGIN IMMEDIATE
transaction, FTS triggers on). The baseline in the same run is the same two statements on a plain table with no
chain, no FTS and no extra indexes. Queries run at the final record count.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sandbox.db"
        log = InteractionLog(path)
        single = write(log, 0, 2000, 1)
        concurrent = write(log, 2000, 4000, args.threads)
        plain = baseline(Path(tmp) / "baseline.db", 2000)
        began = time.perf_counter()
        fill = write(log, 6000, args.records - 6000, args.threads)
        fill_s = time.perf_counter() - began
        db = open_db(path)
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
        print(json.dumps({
            "records": total,
            "interactions_per_s_1_thread": round(single),
            f"interactions_per_s_{args.threads}_threads": round(concurrent),
            "record_writes_per_s_1_thread": round(single * 2),  # each interaction is two transactions
            f"interactions_per_s_{args.threads}_threads_while_filling": round(fill),
            "baseline_plain_interactions_per_s": round(plain),
            "ratio_vs_baseline_1_thread": round(single / plain, 3),
            "fill_seconds": round(fill_s, 1),
            "query_latency_ms_at_records (page of 50 + total count)": latency,
            "verify_seconds": round(verify_s, 2),
            "verify_ok": check.ok,
            "db_mb": round(path.stat().st_size / 1e6, 1),
        }, indent=2))


if __name__ == "__main__":
    main()
