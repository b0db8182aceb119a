"""The web server: sign-in pages and the Gradio app mounted on FastAPI, served by uvicorn."""

from __future__ import annotations

import gradio as gr
import uvicorn
from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

from sandbox.api.routes import build_api_router
from sandbox.app import Sandbox
from sandbox.ui.access import Access
from sandbox.ui.admin_audit import build_audit_tab
from sandbox.ui.api_keys import build_api_keys_tab
from sandbox.ui.admin_policy import build_policy_tab
from sandbox.ui.admin_users import build_users_tab
from sandbox.ui.dashboard import build_dashboard_tab, build_my_usage_tab
from sandbox.ui.feedback_view import build_feedback_tab
from sandbox.ui.my_history import build_history_tab
from sandbox.ui.playground import build_playground
from sandbox.ui.signin import add_signin_routes, client_address


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
            return [f"Signed in as **{user}** ({role}) · [Sign out](/signout)",
                    gr.update(visible=sandbox.feedback.is_reviewer(user))] + \
                   [gr.update(visible=admin) for _ in admin_tabs]

        blocks.load(on_load, None, [whoami, feedback_tab, *admin_tabs], api_visibility="private")
        blocks.load(load_playground[0], None, load_playground[1], api_visibility="private")
    return blocks


def build_asgi(sandbox: Sandbox) -> FastAPI:
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

    add_signin_routes(app, sandbox.users, sandbox.auth)
    app.include_router(build_api_router(sandbox))  # /v1: the OpenAI-compatible API, identified by API keys

    def current_user(request) -> str | None:
        identity, _ = sandbox.auth.identify(request.headers, request.cookies, client_address(request))
        return identity.user if identity else None

    blocks = build_blocks(sandbox).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(app, blocks, path="", auth_dependency=current_user, show_error=True)


def run_server(sandbox: Sandbox, host: str, port: int) -> None:
    # proxy_headers=False: trusted proxies are judged by the connecting address, which X-Forwarded-For must not
    # rewrite (uvicorn trusts it from 127.0.0.1 by default, letting any local client pose as the company proxy).
    uvicorn.run(build_asgi(sandbox), host=host, port=port, log_level="warning", proxy_headers=False)
