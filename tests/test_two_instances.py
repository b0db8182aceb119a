"""Two `sandbox serve` processes on one PostgreSQL database, driven through the OpenAI-compatible API with the
official `openai` client, as a load balancer would spread a company's calls.

The model behind both is conftest's RecordingModel (an OpenAI-compatible HTTP stand-in that answers at once,
reporting 12 prompt + 9 completion tokens), not the slow embedded model: the point here is the shared store, and
every request still passes the real policy layer (Presidio, guards, budgets, audit chain). Each instance has its own
data and policies directory, as on separate hosts; they share the database and the audit key. The cluster is this
module's own (tests/pg.py), because the last test stops it mid-run.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest
import yaml

from browser import served_playground
from conftest import ROOT, RecordingModel, cli_env, sandbox_cli
from pg import PASSWORD, Cluster

ROLES = {"roles": {
    "bulk": {"models": ["local"], "rate_limits": {},
             "budgets": {"max_output_tokens": 16, "user_tokens_per_day": 10_000_000}},
    "tight": {"models": ["local"], "rate_limits": {},
              "budgets": {"max_output_tokens": 16, "user_tokens_per_day": 600}},
}}
AUDIT_KEY = "two-instances-shared-audit-key-0123456789abcdef"


def instance_env(base, name: str, url: str, model_url: str) -> dict:
    policies = base / name / "policies"
    shutil.copytree(ROOT / "policies", policies)
    (policies / "team.yaml").write_text(yaml.safe_dump(ROLES))
    return cli_env(base / name / "data", SANDBOX_DATABASE_URL=url, SANDBOX_LOCAL_MODEL_URL=model_url,
                   SANDBOX_POLICIES_DIR=str(policies), SANDBOX_AUDIT_KEY=AUDIT_KEY,
                   SANDBOX_DATABASE_CONNECT_TIMEOUT="1")


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    from sandbox.store.api_keys import ApiKeyStore
    from sandbox.store.db import close_postgres
    from sandbox.store.users import UserDirectory

    base = tmp_path_factory.mktemp("two")
    cluster = Cluster().start()
    recorder = RecordingModel()
    try:
        url = cluster.create_database()
        envs = {name: instance_env(base, name, url, recorder.url) for name in ("a", "b")}
        users = UserDirectory(url)  # creates the schema, as `sandbox db migrate` would
        keys = {}
        for user, role in (("ann", "bulk"), ("tina", "tight"), ("ada", "admin")):
            users.add(user, role, f"Pa55-{user}-long-enough")
            keys[user] = ApiKeyStore(url).create(user, "tests")[1]
        with contextlib.ExitStack() as stack:
            urls = {name: stack.enter_context(served_playground(env, base / f"{name}.log")).rstrip("/")
                    for name, env in envs.items()}
            yield {"url": url, "urls": urls, "envs": envs, "keys": keys, "cluster": cluster, "base": base}
        close_postgres(url)
    finally:
        recorder.close()
        cluster.destroy()


def client(pair, instance: str, user: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{pair['urls'][instance]}/v1", api_key=pair["keys"][user], max_retries=0,
                         timeout=60)


def ask(pair, instance: str, user: str, text: str):
    return client(pair, instance, user).chat.completions.with_raw_response.create(
        model="local", messages=[{"role": "user", "content": text}], max_tokens=8)


def count(pair, sql: str, args=()) -> int:
    from sandbox.store.db import connect

    return connect(pair["url"]).execute(sql, list(args)).fetchone()[0]


def verify(pair, instance: str = "a") -> str:
    done = sandbox_cli("audit", "verify", env=pair["envs"][instance], timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_thousand_interactions_over_both_instances_are_one_chain(pair):
    def one(i: int) -> str:
        return ask(pair, "ab"[i % 2], "ann", f"Question number {i} about the quarterly report.").headers[
            "x-sandbox-interaction-id"]

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(one, range(1000)))
    assert len(set(ids)) == 1000
    assert count(pair, "select count(*) from interactions where user = 'ann' and status = 'ok'") == 1000
    assert count(pair, "select count(distinct owner) from interactions where user = 'ann'") == 2  # both served
    assert count(pair, "select count(*) - count(distinct prev_hash) from audit_chain") == 0  # no fork
    shown = verify(pair, "b")
    assert shown.startswith("OK: ") and int(shown.split()[1]) >= 1000, shown


def test_fifty_concurrent_requests_through_both_never_overspend_one_budget(pair):
    from sandbox.store.usage import UsageLedger

    barrier = threading.Barrier(50)

    def one(i: int) -> int:
        barrier.wait()
        try:
            return ask(pair, "ab"[i % 2], "tina", "Summarise our travel policy in one line.").status_code
        except openai.APIStatusError as exc:
            assert exc.status_code == 429 and exc.body["code"] == "budget_exceeded", exc.body
            return exc.status_code

    with ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(one, range(50)))
    ledger = UsageLedger(pair["url"])
    assert codes.count(200) >= 1 and codes.count(429) >= 1, codes
    assert ledger.spent("user", "tina", "day") <= 600
    assert count(pair, "select count(*) from usage_ledger where user = 'tina' and state = 'reserved'") == 0
    assert count(pair, "select count(*) from interactions where user = 'tina' and status = 'ok'") == codes.count(200)


def test_a_session_opened_on_one_instance_works_on_the_other(pair):
    a, b = pair["urls"]["a"], pair["urls"]["b"]
    signed = httpx.post(f"{a}/signin", data={"username": "ada", "password": "Pa55-ada-long-enough"},
                        follow_redirects=False, timeout=30)
    assert signed.status_code in (302, 303) and "sandbox_session" in signed.cookies
    cookies = {"sandbox_session": signed.cookies["sandbox_session"]}
    assert httpx.get(f"{b}/", cookies=cookies, follow_redirects=False, timeout=30).status_code == 200
    assert httpx.get(f"{b}/", follow_redirects=False, timeout=30).status_code in (302, 303, 401)
    httpx.post(f"{b}/signout", cookies=cookies, follow_redirects=False, timeout=30)  # ended on the other one
    assert httpx.get(f"{a}/", cookies=cookies, follow_redirects=False, timeout=30).status_code in (302, 303, 401)


def test_a_policy_change_on_one_instance_is_in_force_on_the_other_within_seconds(pair):
    text = "Which pineapple pizza should the team order?"
    assert ask(pair, "b", "ann", text).status_code == 200
    policies_a = pair["base"] / "a" / "policies"
    changed = yaml.safe_load((policies_a / "team.yaml").read_text())
    changed["roles"]["bulk"]["deny_rules"] = [{"name": "no-pineapple", "kind": "topic", "patterns": ["pineapple"],
                                              "message": "Pineapple is not discussed here."}]
    (policies_a / "team.yaml").write_text(yaml.safe_dump(changed))  # the admin edits it on instance a
    started, blocked = time.monotonic(), None
    while time.monotonic() - started < 20 and blocked is None:
        try:
            ask(pair, "b", "ann", text)
            time.sleep(0.25)
        except openai.BadRequestError as exc:
            blocked = exc
    assert blocked is not None and "Pineapple is not discussed here." in str(blocked.body)
    print(f"in force on the other instance after {time.monotonic() - started:.1f} s")
    assert "pineapple" in (pair["base"] / "b" / "policies" / "team.yaml").read_text()


def test_postgres_stopped_mid_run_refuses_clearly_loses_nothing_acknowledged_and_recovers(pair):
    cluster, acknowledged, refusals = pair["cluster"], [], []

    def one(i: int) -> None:
        try:
            acknowledged.append(ask(pair, "ab"[i % 2], "ann", f"Outage question {i}.").headers[
                "x-sandbox-interaction-id"])
        except openai.APIStatusError as exc:
            refusals.append((exc.status_code, str(exc.body)))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(20)))
        cluster.stop()  # mid-run: the requests below meet a stopped database
        list(pool.map(one, range(20, 32)))
        cluster.pg_ctl("start", "-w", "-l", str(cluster.root / "server.log"), "-o",
                       f"-p {cluster.port} -k {cluster.root} -c listen_addresses=127.0.0.1 -c max_connections=300")
        deadline, back = time.monotonic() + 60, False
        while time.monotonic() < deadline and not back:
            before = len(acknowledged)
            one(999)
            back = len(acknowledged) > before
        assert back, refusals[-3:]
        list(pool.map(one, range(32, 52)))
    assert len(acknowledged) >= 20 + 20 + 1, (len(acknowledged), refusals[-3:])
    assert refusals and all(code == 503 for code, _ in refusals), refusals
    assert all("database" in body and PASSWORD not in body and "nothing was sent" in body for _, body in refusals)
    placeholders = ", ".join("?" * len(acknowledged))
    assert count(pair, f"select count(*) from interactions where status = 'ok' and id in ({placeholders})",
                 acknowledged) == len(acknowledged)
    assert verify(pair, "a").startswith("OK: ")
