"""The web server: sign-in pages and the Gradio app mounted on FastAPI, behind one front door, served by uvicorn."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import gradio as gr
import uvicorn
from fastapi import FastAPI, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.routing import Mount

from sandbox.api.routes import build_api_router
from sandbox.app import Sandbox
from sandbox.ui.access import Access
from sandbox.ui.admin_audit import build_audit_tab
from sandbox.ui.api_keys import build_api_keys_tab
from sandbox.ui.admin_policy import build_policy_tab
from sandbox.ui.admin_users import build_users_tab
from sandbox.ui.dashboard import build_dashboard_tab, build_my_usage_tab
from sandbox.ui.feedback_view import build_feedback_tab
from sandbox.ui.gate import CALLER_KEY, Caller, FrontDoor
from sandbox.ui.my_history import build_history_tab
from sandbox.ui.playground import CSS, build_playground
from sandbox.ui.signin import add_signin_routes, client_address
from sandbox.ui.stderr import WithheldMessages


def build_blocks(sandbox: Sandbox) -> gr.Blocks:
    access = Access(sandbox)
    with gr.Blocks(title="Governed AI sandbox") as blocks:
        with gr.Row():
            gr.Markdown("## Governed AI sandbox\nEvery prompt passes the company's policy layer; "
                        "every interaction is logged.")
            whoami = gr.Markdown("", elem_id="whoami")
        with gr.Tab("Playground"):
            load_playground = build_playground(sandbox, access)
        # Admin tabs start hidden and hold no data until a handler has checked the role on the server.
        with gr.Tab("Policies", visible=False, elem_id="tab-policies") as policies_tab:
            load_policies = build_policy_tab(sandbox, access)
        with gr.Tab("Users", visible=False, elem_id="tab-users") as users_tab:
            load_users = build_users_tab(sandbox, access)
        with gr.Tab("Feedback review", visible=False, elem_id="tab-feedback") as feedback_tab:
            load_feedback = build_feedback_tab(sandbox, access)
        with gr.Tab("My history", elem_id="tab-my-history") as my_history_tab:
            load_my_history = build_history_tab(sandbox, access)
        with gr.Tab("My usage", elem_id="tab-my-usage") as my_usage_tab:
            load_my_usage = build_my_usage_tab(sandbox, access)
        with gr.Tab("API keys", elem_id="tab-api-keys") as api_keys_tab:
            load_api_keys = build_api_keys_tab(sandbox, access)
        with gr.Tab("Audit log", visible=False, elem_id="tab-audit") as audit_tab:
            load_audit = build_audit_tab(sandbox, access)
        with gr.Tab("Usage dashboard", visible=False, elem_id="tab-dashboard") as dashboard_tab:
            load_dashboard = build_dashboard_tab(sandbox, access)
        admin_tabs = [policies_tab, users_tab, audit_tab, dashboard_tab]
        for tab, (load, outputs) in ((policies_tab, load_policies), (users_tab, load_users),
                                     (feedback_tab, load_feedback), (my_history_tab, load_my_history),
                                     (my_usage_tab, load_my_usage), (api_keys_tab, load_api_keys),
                                     (audit_tab, load_audit), (dashboard_tab, load_dashboard)):
            tab.select(load, None, outputs, api_visibility="private")

        def on_load(request: gr.Request):
            user, role = access.identity(request)
            admin = sandbox.is_admin(role)
            return [f"Signed in as **{user}** ({role}) · [Sign out](/signout)",  # a page with a POST button
                    gr.update(visible=sandbox.feedback.is_reviewer(user))] + \
                   [gr.update(visible=admin) for _ in admin_tabs]

        blocks.load(on_load, None, [whoami, feedback_tab, *admin_tabs], api_visibility="private")
        blocks.load(load_playground[0], None, load_playground[1], api_visibility="private")
    return blocks


def build_asgi(sandbox: Sandbox) -> FastAPI:
    settings = sandbox.settings
    # Gradio's uploads and cached copies of exports live in the private data directory, not a shared /tmp.
    os.environ["GRADIO_TEMP_DIR"] = str(settings.ensure_data_dir() / "gradio")
    app = FastAPI(title="Governed AI sandbox", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """Prometheus scrape endpoint: counts and latencies only, no user names or text."""
        return Response(sandbox.metrics.exposition(), media_type=sandbox.metrics.content_type)

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        """Ready when the embedded model can answer (503 while it restarts or after it failed); no user data."""
        status = sandbox.model_status()
        ready = status["state"] in ("ready", "external")
        return JSONResponse({"ready": ready, "embedded_model": status}, status_code=200 if ready else 503)

    add_signin_routes(app, sandbox.users, settings.secure_cookies)
    app.include_router(build_api_router(sandbox))  # /v1: the OpenAI-compatible API, identified by API keys

    def current_user(request) -> str | None:
        # Gradio calls this on the event loop's thread: the front door has already looked the session up in a
        # worker thread (a database call here would block the loop, and the loop thread's connection can hold a
        # read snapshot from start-up that does not show sessions created since).
        caller = request.scope.get(CALLER_KEY)
        return caller.user if caller else None

    def caller(request) -> Caller:
        identity, reason = sandbox.auth.identify(request.headers, request.cookies, client_address(request))
        if identity is None:
            return Caller(None, False, reason)
        return Caller(identity.user, sandbox.is_admin(identity.role))

    blocks = build_blocks(sandbox).queue(default_concurrency_limit=4)
    # show_error=False: an exception's text (which may quote request values) never reaches the browser.
    app = gr.mount_gradio_app(app, blocks, path="", auth_dependency=current_user, show_error=False, css=CSS)
    for inner in [app, *(r.app for r in app.routes if isinstance(r, Mount))]:
        inner.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_middleware(FrontDoor, identify=caller, owns_file=_export_owner(sandbox),
                       metrics_token=settings.metrics_token, allowed_origins=settings.allowed_origins)
    return app


async def _invalid_request(request, exc) -> JSONResponse:
    # FastAPI's default answer quotes the values it could not parse; a request's values are not echoed back.
    return JSONResponse({"detail": "The request does not have the expected form."}, status_code=422)


def _export_owner(sandbox: Sandbox):
    """`owns(user, path)`: whether the file at `path` is what one of the user's own audit or dataset exports wrote
    (matched by file name and, where the export recorded it, by its sha256), or that export's manifest."""
    def owns(user: str, path: str) -> bool:
        name = os.path.basename(path)
        rows = sandbox.log.db.execute(
            "select json_extract(details, '$.sha256') from audit_events where actor = ? "
            "and kind in ('audit-export', 'dataset-export') and json_extract(details, '$.file') = ?",
            [user, name.removesuffix(".manifest.json")]).fetchall()
        if not rows or name.endswith(".manifest.json"):
            return bool(rows)
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            return False
        return any(recorded == digest for (recorded,) in rows)
    return owns


def run_server(sandbox: Sandbox, host: str, port: int) -> None:
    os.umask(0o077)  # every file the server writes (database, exports, Gradio's cache, logs) is private to its user
    # Tracebacks printed by Gradio and uvicorn keep their frames, but not the exception's text, which may quote
    # request values (a typed prompt, a field's value).
    sys.stderr = WithheldMessages(sys.stderr)
    sandbox.warm_up()  # the first employee's first words do not wait for the detectors to load
    # proxy_headers=False: trusted proxies are judged by the connecting address, which X-Forwarded-For must not
    # rewrite (uvicorn trusts it from 127.0.0.1 by default, letting any local client pose as the company proxy).
    uvicorn.run(build_asgi(sandbox), host=host, port=port, log_level="warning", proxy_headers=False)
