"""Attack the running app over plain HTTP, as an employee and as a stranger: admin data never comes back.

A canary string is planted in every kind of admin-only data (another user's audit record, a confidential policy rule,
a pending feedback item, an account name). Every Gradio event handler listed in /config is then called directly,
with plausible arguments, the way a script would, bypassing the hidden tabs of the page.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid

import httpx
import pytest
import yaml

from browser import add_account, served_playground
from conftest import ROOT, cli_env
from sandbox.store import InteractionLog
from sandbox.store.feedback import FeedbackStore

CANARY = "zqcanary5521"
EMPLOYEE, ADMIN, VICTIM = "emp-ann", "boss", "victim-vic"
TRUSTED_PROXY = "10.9.9.9"
ADMIN_REFUSALS = ("Only admins may do this.", "Only feedback reviewers may do this.")


class GradioSession:
    """One browser-less client of the Gradio app: reads /config and calls event handlers by fn_index."""

    def __init__(self, url: str, cookies: dict | None = None, headers: dict | None = None):
        self.http = httpx.Client(base_url=url, cookies=cookies or {}, headers=headers or {}, timeout=120,
                                 follow_redirects=False)
        self.session_hash = uuid.uuid4().hex[:11]

    def call(self, fn_index: int, data: list, trigger_id: int | None = None,
             event_data: dict | None = None) -> tuple[int, str, dict | None]:
        """(HTTP status of the join, every byte the server sent back, the completion message or None)."""
        joined = self.http.post("/gradio_api/queue/join", json={
            "data": data, "fn_index": fn_index, "trigger_id": trigger_id, "session_hash": self.session_hash,
            "event_data": event_data})
        if joined.status_code != 200:
            return joined.status_code, joined.text, None
        event_id = joined.json()["event_id"]
        seen = [joined.text]
        with self.http.stream("GET", "/gradio_api/queue/data", params={"session_hash": self.session_hash}) as sse:
            for line in sse.iter_lines():
                seen.append(line)
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed" and message.get("event_id") == event_id:
                    return 200, "\n".join(seen), message
                if message.get("msg") in ("close_stream", "unexpected_error"):
                    break
        return 200, "\n".join(seen), None


def sign_in_cookie(url: str, username: str, password: str) -> dict:
    response = httpx.post(url + "signin", data={"username": username, "password": password})
    assert response.status_code == 303, response.text
    return {"sandbox_session": response.cookies["sandbox_session"]}


def hidden_tab_members(config: dict) -> set[int]:
    """Ids of components inside tabs that start hidden (the admin tabs), the tabs included."""
    components = {c["id"]: c for c in config["components"]}
    found: set[int] = set()

    def walk(node: dict, inside: bool) -> None:
        props = components.get(node["id"], {}).get("props", {})
        hidden_tab = components.get(node["id"], {}).get("type") == "tabitem" and props.get("visible") is False
        if inside or hidden_tab:
            found.add(node["id"])
        for child in node.get("children", []):
            walk(child, inside or hidden_tab)

    walk(config["layout"], False)
    return found


def plausible_arguments(config: dict, dependency: dict, feedback_id: int) -> list[list]:
    """Two argument sets per handler: the page's defaults, and values aimed at admin data and powers."""
    components = {c["id"]: c for c in config["components"]}
    aimed = {"users-name": EMPLOYEE, "users-role": "admin", "policy-file": "company.yaml",
             "policy-editor": "roles: {}\n", "policy-test-text": "hello", "policy-test-role": "employee",
             "feedback-item-id": feedback_id, "feedback-edited": "edited answer", "feedback-reason": "no reason",
             "export-format": "chat", "prompt": "Say hi."}

    def default(component: dict):
        props = component.get("props", {})
        kind = component["type"]
        if kind == "state":
            return None
        if kind == "chatbot":
            return []
        if kind in ("dropdown", "radio") and props.get("value") in (None, []) and props.get("choices"):
            choice = props["choices"][0]
            return choice[1] if isinstance(choice, list) else choice
        return props.get("value")

    def targeted(component: dict):
        elem_id = component.get("props", {}).get("elem_id")
        if elem_id in aimed:
            return aimed[elem_id]
        kind = component["type"]
        return {"textbox": VICTIM, "number": feedback_id, "checkbox": False, "dropdown": "any",
                "code": "", "chatbot": [], "state": None}.get(kind, default(component))

    inputs = [components[i] for i in dependency["inputs"]]
    return [[default(c) for c in inputs], [targeted(c) for c in inputs]]


@pytest.fixture(scope="module")
def planted(tmp_path_factory, local_model_url):
    """A served app whose database and policy files hold the canary in admin-only places."""
    base = tmp_path_factory.mktemp("attack")
    data_dir = base / "data"
    passwords = {EMPLOYEE: add_account(data_dir, EMPLOYEE), ADMIN: add_account(data_dir, ADMIN, "admin")}
    add_account(data_dir, f"{CANARY}-account")
    add_account(data_dir, VICTIM)
    db_path = data_dir / "sandbox.db"
    interaction = InteractionLog(db_path).start(
        user=VICTIM, role="employee", model="local", status="ok", conversation_id="victim-conv", turn=1,
        prompt=f"Quarterly numbers for {CANARY}-audit", answer=f"Answer about {CANARY}-answer")
    feedback_id = FeedbackStore(db_path).add(interaction_id=interaction, user=VICTIM, rating="down",
                                             comment=f"{CANARY}-comment", better_answer=f"{CANARY}-better",
                                             consent=True)
    policies = base / "policies"
    shutil.copytree(ROOT / "policies", policies)
    company = yaml.safe_load((policies / "company.yaml").read_text())
    company["roles"]["employee"]["deny_rules"].append({
        "name": "project-codename", "kind": "keywords", "patterns": [f"{CANARY}policy"],
        "message": "That project may not be discussed here."})
    company["settings"]["sso"].update(enabled=True, trusted_proxies=[f"{TRUSTED_PROXY}/32"])
    (policies / "company.yaml").write_text(yaml.safe_dump(company, sort_keys=False))
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url, SANDBOX_POLICIES_DIR=str(policies))
    with served_playground(env, base / "serve.log") as url:
        yield {"url": url, "passwords": passwords, "db": db_path, "data_dir": data_dir, "policies": policies,
               "feedback_id": feedback_id, "interaction": interaction}


def fingerprint(planted: dict) -> dict:
    """What an admin action would change: accounts, feedback state, datasets, policy files, exports."""
    import sqlite_utils

    db = sqlite_utils.Database(planted["db"])
    return {
        "users": sorted((r["username"], r["role"], r["disabled"]) for r in db["users"].rows),
        "feedback": sorted((r["id"], r["status"], r["approvals"], r["reviewed_answer"]) for r in db["feedback"].rows),
        "reviews": db["feedback_reviews"].count,
        "datasets": db["datasets"].count,
        "policies": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in planted["policies"].iterdir()},
        "exports": sorted(str(p) for p in (planted["data_dir"] / "exports").rglob("*")),
    }


def test_admin_sees_the_canary_so_the_attack_can_fail(planted):
    """Control: the planted data is really reachable, by an admin, through the same handlers."""
    admin = GradioSession(planted["url"], sign_in_cookie(planted["url"], ADMIN, planted["passwords"][ADMIN]))
    config = admin.http.get("/config").json()
    admin_only = hidden_tab_members(config)
    leaked = []
    tabs = {c["id"] for c in config["components"] if c["type"] == "tabitem"}
    for dep in config["dependencies"]:
        if not any(t[0] in admin_only and t[0] in tabs and t[1] == "select" for t in dep["targets"]):
            continue  # only the loaders run when an admin tab is opened
        status, text, done = admin.call(dep["id"], [], dep["targets"][0][0])
        assert status == 200 and done and done["success"], text[-500:]
        leaked.append(CANARY in text.lower())
    assert any(leaked), "the canary should be visible to an admin, else the attack proves nothing"


@pytest.fixture(scope="module")
def employee_attack(planted):
    """Every handler called twice as a signed-in employee; the answers, and admin state before and after."""
    url = planted["url"]
    before = fingerprint(planted)
    employee = GradioSession(url, sign_in_cookie(url, EMPLOYEE, planted["passwords"][EMPLOYEE]))
    config_response = employee.http.get("/config")
    assert config_response.status_code == 200
    config = config_response.json()
    admin_only = hidden_tab_members(config)
    # A table row picked in an admin tab: the select event carries the victim's record id.
    picked = {"index": [0, 0], "value": planted["interaction"], "row_value": [planted["interaction"]],
              "col_value": [planted["interaction"]], "selected": True}
    calls = []
    for dep in config["dependencies"]:
        trigger = dep["targets"][0] if dep["targets"] else [None, None]
        event = picked if trigger[1] == "select" and trigger[0] not in {
            c["id"] for c in config["components"] if c["type"] == "tabitem"} else None
        for data in plausible_arguments(config, dep, planted["feedback_id"]):
            status, text, done = employee.call(dep["id"], data, trigger[0], event)
            calls.append({"dep": dep, "admin": any(t[0] in admin_only for t in dep["targets"]), "status": status,
                          "text": text, "done": done})
    gets = {}
    for path in ("/gradio_api/info?all_endpoints=true", "/gradio_api/openapi.json", "/gradio_api/user",
                 f"/gradio_api/deep_link?session_hash={employee.session_hash}", "/gradio_api/monitoring/summary",
                 f"/gradio_api/file={planted['db']}", f"/gradio_api/file={planted['policies'] / 'company.yaml'}",
                 "/gradio_api/runs", "/gradio_api/run-history/records", "/metrics"):
        gets[path] = employee.http.get(path)
    return {"config": config_response.text, "admin_only": admin_only, "calls": calls, "gets": gets,
            "before": before, "after": fingerprint(planted)}


def test_employee_calling_every_endpoint_gets_no_admin_data_or_power(employee_attack):
    assert CANARY not in employee_attack["config"].lower()
    assert employee_attack["admin_only"], "the admin tabs should be in the layout, hidden"
    admin_handlers = set()
    for call in employee_attack["calls"]:
        dep = call["dep"]
        assert CANARY not in call["text"].lower(), f"fn_index {dep['id']} ({dep['api_name']}) leaked admin data"
        assert call["status"] == 200 and call["done"] is not None, f"fn_index {dep['id']}: {call['text'][-300:]}"
        if call["admin"]:
            # Gradio itself may refuse a value first (a dropdown whose choices only an admin's load fills).
            assert not call["done"]["success"], f"fn_index {dep['id']} ({dep['api_name']}) ran for an employee"
            admin_handlers.add(dep["id"])
    assert len(admin_handlers) >= 15  # loaders and actions of the Policies, Users and Feedback review tabs at least
    for path, response in employee_attack["gets"].items():
        assert CANARY not in response.text.lower(), f"{path} leaked admin data"
        if "file=" in path:
            assert response.status_code in (403, 404), f"{path} served a file outside Gradio's cache"
    assert employee_attack["after"] == employee_attack["before"], "an employee's call changed admin state"


def test_every_admin_handler_refuses_an_employee_by_its_role_check(employee_attack):
    """Failing for another reason is closed too, but a handler that never reaches its role check is broken."""
    errors: dict[str, set] = {}
    for call in employee_attack["calls"]:
        if call["admin"]:
            errors.setdefault(f"{call['dep']['id']} {call['dep']['api_name']}", set()).add(
                call["done"]["output"].get("error"))
    unchecked = {name: found for name, found in errors.items() if not found & set(ADMIN_REFUSALS)}
    assert not unchecked, f"admin handlers that failed before their role check: {unchecked}"


@pytest.mark.parametrize("headers", [
    {},
    {"X-Forwarded-User": ADMIN, "X-Forwarded-Groups": "ai-admins"},
    {"X-Forwarded-User": ADMIN, "X-Forwarded-Groups": "ai-admins", "X-Forwarded-For": TRUSTED_PROXY},
    {"X-Forwarded-User": "newcomer", "X-Forwarded-Groups": "ai-admins", "Forwarded": f"for={TRUSTED_PROXY}"},
], ids=["no-session", "forged-sso", "forged-sso-spoofed-address", "forged-sso-forwarded"])
def test_stranger_gets_nothing_even_with_forged_proxy_headers(planted, headers):
    url = planted["url"]
    before = fingerprint(planted)
    employee = GradioSession(url, sign_in_cookie(url, EMPLOYEE, planted["passwords"][EMPLOYEE]))
    config = employee.http.get("/config").json()
    stranger = GradioSession(url, headers=headers)
    assert CANARY not in stranger.http.get("/metrics").text.lower()
    for path in ("/config", "/gradio_api/info", "/gradio_api/openapi.json", f"/gradio_api/file={planted['db']}"):
        response = stranger.http.get(path)
        assert response.status_code in (401, 403, 404) and CANARY not in response.text.lower(), path
    page = stranger.http.get("/")
    assert page.status_code == 303 and page.headers["location"] == "/signin"
    for dep in config["dependencies"]:
        for data in plausible_arguments(config, dep, planted["feedback_id"]):
            status, text, _ = stranger.call(dep["id"], data, dep["targets"][0][0] if dep["targets"] else None)
            assert status == 401 and CANARY not in text.lower(), f"fn_index {dep['id']} answered a stranger"
    assert fingerprint(planted) == before
    import sqlite_utils

    attempts = list(sqlite_utils.Database(planted["db"])["sign_in_attempts"].rows_where(
        "reason = 'untrusted-proxy-header'"))
    if headers:
        assert attempts and all(a["address"] != TRUSTED_PROXY for a in attempts)
