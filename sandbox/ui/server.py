"""The web server: the Gradio app mounted on FastAPI, served by uvicorn."""

from __future__ import annotations

import gradio as gr
import uvicorn
from fastapi import FastAPI

from sandbox.app import Sandbox
from sandbox.cli import default_user
from sandbox.ui.playground import build_playground


def build_blocks(sandbox: Sandbox) -> gr.Blocks:
    def identity(request: gr.Request | None) -> tuple[str, str]:
        user = getattr(request, "username", None) if request else None
        return user or default_user(), "employee"

    with gr.Blocks(title="Governed AI sandbox") as blocks:
        gr.Markdown("## Governed AI sandbox\nEvery prompt passes the company's policy layer; every interaction is logged.")
        with gr.Tab("Playground"):
            build_playground(sandbox, identity)
    return blocks


def build_asgi(sandbox: Sandbox) -> FastAPI:
    app = FastAPI(title="Governed AI sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    blocks = build_blocks(sandbox).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(app, blocks, path="")


def run_server(sandbox: Sandbox, host: str, port: int) -> None:
    uvicorn.run(build_asgi(sandbox), host=host, port=port, log_level="warning")
