"""Token budgets and rate limits in the database: atomic under concurrency, shared by processes; on SQLite and on
PostgreSQL (`store_target`)."""

import multiprocessing
import threading

from sandbox.guards.base import GuardContext
from sandbox.guards.rate_limit import RateLimit
from sandbox.guards.token_budget import TokenBudget
from sandbox.store.usage import Limit, RateCounter, UsageLedger


def test_fifty_concurrent_reservations_never_overspend(store_target):
    path = store_target
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


def test_separate_processes_share_the_budget(store_target):
    path = store_target
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


def test_settle_replaces_the_reservation_with_real_usage(store_target):
    ledger = UsageLedger(store_target)
    guard = TokenBudget(ledger, [Limit("user", "day", 1000), Limit("role", "day", 5000)], max_output_tokens=500)
    ctx = GuardContext(user="ann", role="employee", model="local", state={"prompt_tokens": 100})
    assert guard.check("x", ctx).details["reserved"] == 600
    assert ledger.spent("user", "ann", "day") == 600
    guard.settle(ctx, 150, "interaction-1")
    assert ledger.spent("user", "ann", "day") == 150
    assert ledger.remaining("ann", "employee", guard.limits) == {"user/day": 850, "role/day": 4850}


def test_dry_run_spends_nothing(store_target):
    ledger = UsageLedger(store_target)
    guard = TokenBudget(ledger, [Limit("user", "day", 100)], max_output_tokens=50)
    ctx = GuardContext(user="ann", role="employee", model="local", dry_run=True, state={"prompt_tokens": 10})
    assert guard.check("x", ctx).decision.value == "allow"
    assert ledger.spent("user", "ann", "day") == 0


def test_budget_message_says_what_is_left(store_target):
    guard = TokenBudget(UsageLedger(store_target), [Limit("role", "month", 100)], max_output_tokens=500)
    verdict = guard.check("x", GuardContext(user="ann", role="employee", model="local"))
    assert verdict.decision.value == "block"
    assert "'employee' role's token budget has 100 tokens left this month" in verdict.message


def test_rate_limit_per_minute_and_recovery(store_target):
    counter = RateCounter(store_target)
    assert [counter.hit("ann", 3, None, now=1000 + i)[0] for i in range(4)] == [True, True, True, False]
    allowed, window, wait = counter.hit("ann", 3, None, now=1010)
    assert (allowed, window, round(wait)) == (False, "minute", 50)
    assert counter.hit("ann", 3, None, now=1061)[0] is True
    assert counter.hit("bob", 3, None, now=1010)[0] is True  # per user


def test_rate_limit_is_shared_between_connections(store_target):
    path = store_target
    guard_a = RateLimit(RateCounter(path), per_minute=None, per_hour=2)
    guard_b = RateLimit(RateCounter(path), per_minute=None, per_hour=2)
    ctx = GuardContext(user="ann", role="employee", model="local")
    assert guard_a.check("x", ctx).decision.value == "allow"
    assert guard_b.check("x", ctx).decision.value == "allow"
    blocked = guard_a.check("x", ctx)
    assert blocked.decision.value == "block" and "2 requests in the last hour" in blocked.message


def test_rate_limit_dry_run_counts_nothing(store_target):
    guard = RateLimit(RateCounter(store_target), per_minute=1, per_hour=None)
    dry = GuardContext(user="ann", role="employee", model="local", dry_run=True)
    for _ in range(3):
        assert guard.check("x", dry).decision.value == "allow"


def _hit_many(path, count, results):
    guard = RateLimit(RateCounter(path), per_minute=None, per_hour=12)
    ctx = GuardContext(user="ann", role="employee", model="local")
    for _ in range(count):
        results.put(guard.check("x", ctx).decision.value)


def test_rate_limit_is_shared_by_two_processes(store_target):
    path = store_target
    RateCounter(path).hit("warm-up", None, None, dry_run=True)  # create the schema once
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_hit_many, args=(path, 10, results)) for _ in range(2)]
    for p in procs:
        p.start()
    decisions = [results.get(timeout=60) for _ in range(20)]
    for p in procs:
        p.join()
    assert decisions.count("allow") == 12 and decisions.count("block") == 8
    assert RateCounter(path).db["rate_events"].count == 12


def test_settling_for_less_frees_the_rest_of_the_reservation(store_target):
    ledger = UsageLedger(store_target)
    guard = TokenBudget(ledger, [Limit("user", "day", 1000)], max_output_tokens=400)
    first = GuardContext(user="ann", role="employee", model="local", state={"prompt_tokens": 100})
    assert guard.check("x", first).decision.value == "allow"  # reserves 500
    second = GuardContext(user="ann", role="employee", model="local", state={"prompt_tokens": 200})
    assert guard.check("x", second).decision.value == "block"  # 600 more would overspend
    guard.settle(first, 120, "interaction-1")  # the answer was short
    assert guard.check("x", second).decision.value == "allow"
    assert ledger.spent("user", "ann", "day") == 120 + 600


def test_a_blocked_request_releases_its_reservation(store_target):
    ledger = UsageLedger(store_target)
    guard = TokenBudget(ledger, [Limit("user", "day", 1000)], max_output_tokens=400)
    ctx = GuardContext(user="ann", role="employee", model="local", state={"prompt_tokens": 100})
    guard.check("x", ctx)
    guard.settle(ctx, 0, "interaction-blocked")  # what the gateway does when a later guard blocks
    assert ledger.spent("user", "ann", "day") == 0


def test_user_and_role_limits_by_day_and_by_month(store_target):
    ledger = UsageLedger(store_target)
    limits = [Limit("user", "day", 300), Limit("user", "month", 500), Limit("role", "day", 700)]
    guard = TokenBudget(ledger, limits, max_output_tokens=100)

    def ask(user, prompt_tokens=100):
        return guard.check("x", GuardContext(user=user, role="employee", model="local",
                                             state={"prompt_tokens": prompt_tokens}))

    assert ask("ann").decision.value == "allow" and ask("bob").decision.value == "allow"  # 200 each
    day = ask("ann")  # 400 > 300 for ann today
    assert day.decision.value == "block" and day.details["limit"] == "user/day" and "Your token budget" in day.message
    assert ask("cem").decision.value == "allow"  # 600 for the role today
    role = ask("dan")  # 800 > 700 for the role today
    assert role.decision.value == "block" and role.details["limit"] == "role/day"
    assert "The 'employee' role's token budget has 100 tokens left today" in role.message
    # Earlier days count towards the month: eve spent 450 on another day this month.
    month_key = ledger.db.execute("select month from usage_ledger limit 1").fetchone()[0]
    with ledger.db.transaction() as db:
        db["usage_ledger"].insert({"user": "eve", "role": "other", "model": "local", "day": "1999-01-01",
                                   "month": month_key, "reserved": 450, "used": 450, "state": "settled",
                                   "created_at": "1999-01-01T00:00:00"})
    month = guard.check("x", GuardContext(user="eve", role="other", model="local", state={"prompt_tokens": 100}))
    assert month.decision.value == "block" and month.details["limit"] == "user/month"
    assert "this month" in month.message
