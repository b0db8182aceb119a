"""Token budgets and rate limits in the database: atomic under concurrency, shared by processes."""

import multiprocessing
import threading

from sandbox.guards.base import GuardContext
from sandbox.guards.rate_limit import RateLimit
from sandbox.guards.token_budget import TokenBudget
from sandbox.store.usage import Limit, RateCounter, UsageLedger


def test_fifty_concurrent_reservations_never_overspend(tmp_path):
    path = tmp_path / "u.db"
    UsageLedger(path).spent("user", "ann", "day")  # create the schema once
    guard = TokenBudget(UsageLedger(path), [Limit("user", "day", 1000)], max_output_tokens=90)
    barrier = threading.Barrier(50)
    decisions = []

    def one():
        ctx = GuardContext(user="ann", role="employee", model="local")
        ctx.state["prompt_tokens"] = 10
        barrier.wait()
        decisions.append(guard.check("x", ctx).decision.value)

    threads = [threading.Thread(target=one) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert decisions.count("allow") == 10 and decisions.count("block") == 40
    assert UsageLedger(path).spent("user", "ann", "day") == 1000


def _reserve_many(path, count, results):
    ledger = UsageLedger(path)
    for _ in range(count):
        results.put(ledger.reserve(user="ann", role="employee", model="local", tokens=30,
                                   limits=[Limit("user", "month", 600)]).granted)


def test_separate_processes_share_the_budget(tmp_path):
    path = tmp_path / "u.db"
    UsageLedger(path).spent("user", "ann", "day")
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_reserve_many, args=(path, 10, results)) for _ in range(4)]
    for p in procs:
        p.start()
    granted = [results.get(timeout=60) for _ in range(40)]
    for p in procs:
        p.join()
    assert granted.count(True) == 20
    assert UsageLedger(path).spent("user", "ann", "month") == 600


def test_settle_replaces_the_reservation_with_real_usage(tmp_path):
    ledger = UsageLedger(tmp_path / "u.db")
    guard = TokenBudget(ledger, [Limit("user", "day", 1000), Limit("role", "day", 5000)], max_output_tokens=500)
    ctx = GuardContext(user="ann", role="employee", model="local", state={"prompt_tokens": 100})
    assert guard.check("x", ctx).details["reserved"] == 600
    assert ledger.spent("user", "ann", "day") == 600
    guard.settle(ctx, 150, "interaction-1")
    assert ledger.spent("user", "ann", "day") == 150
    assert ledger.remaining("ann", "employee", guard.limits) == {"user/day": 850, "role/day": 4850}


def test_dry_run_spends_nothing(tmp_path):
    ledger = UsageLedger(tmp_path / "u.db")
    guard = TokenBudget(ledger, [Limit("user", "day", 100)], max_output_tokens=50)
    ctx = GuardContext(user="ann", role="employee", model="local", dry_run=True, state={"prompt_tokens": 10})
    assert guard.check("x", ctx).decision.value == "allow"
    assert ledger.spent("user", "ann", "day") == 0


def test_budget_message_says_what_is_left(tmp_path):
    guard = TokenBudget(UsageLedger(tmp_path / "u.db"), [Limit("role", "month", 100)], max_output_tokens=500)
    verdict = guard.check("x", GuardContext(user="ann", role="employee", model="local"))
    assert verdict.decision.value == "block"
    assert "'employee' role's token budget has 100 tokens left this month" in verdict.message


def test_rate_limit_per_minute_and_recovery(tmp_path):
    counter = RateCounter(tmp_path / "r.db")
    assert [counter.hit("ann", 3, None, now=1000 + i)[0] for i in range(4)] == [True, True, True, False]
    allowed, window, wait = counter.hit("ann", 3, None, now=1010)
    assert (allowed, window, round(wait)) == (False, "minute", 50)
    assert counter.hit("ann", 3, None, now=1061)[0] is True
    assert counter.hit("bob", 3, None, now=1010)[0] is True  # per user


def test_rate_limit_is_shared_between_connections(tmp_path):
    path = tmp_path / "r.db"
    guard_a = RateLimit(RateCounter(path), per_minute=None, per_hour=2)
    guard_b = RateLimit(RateCounter(path), per_minute=None, per_hour=2)
    ctx = GuardContext(user="ann", role="employee", model="local")
    assert guard_a.check("x", ctx).decision.value == "allow"
    assert guard_b.check("x", ctx).decision.value == "allow"
    blocked = guard_a.check("x", ctx)
    assert blocked.decision.value == "block" and "2 requests in the last hour" in blocked.message


def test_rate_limit_dry_run_counts_nothing(tmp_path):
    guard = RateLimit(RateCounter(tmp_path / "r.db"), per_minute=1, per_hour=None)
    dry = GuardContext(user="ann", role="employee", model="local", dry_run=True)
    for _ in range(3):
        assert guard.check("x", dry).decision.value == "allow"
