"""Shared set-up: one real embedded model server per test session, a fresh data directory per test, the `sandbox`
command in a subprocess, accounts, and the playground served to a real Chromium."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sandbox.llm.local_server import LocalModelServer
from sandbox.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def local_model_url(tmp_path_factory) -> str:
    """The real SmolLM2 model behind llama-cpp-python's server, shared by the whole session."""
    log = tmp_path_factory.mktemp("local-model") / "server.log"
    server = LocalModelServer(log_path=log).start()
    # The server takes calls only with its key; commands started by tests find it where `serve` would put it.
    os.environ["SANDBOX_LOCAL_MODEL_KEY"] = server.api_key
    yield server.url
    server.stop()
    os.environ.pop("SANDBOX_LOCAL_MODEL_KEY", None)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir, local_model_url, monkeypatch) -> Settings:
    monkeypatch.setenv("SANDBOX_LOCAL_MODEL_URL", local_model_url)
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "MISTRAL_API_KEY", "AZURE_API_KEY", "AZURE_API_BASE",
                 "OLLAMA_API_BASE", "VLLM_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    return Settings.load(data_dir)


@pytest.fixture
def sandbox(settings, local_model_url):
    from sandbox.app import build_sandbox

    return build_sandbox(settings, local_model_url)


def closed_port_url() -> str:
    """A loopback URL where nothing listens: a model server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def cli_env(data_dir: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and not k.endswith("_API_BASE")}
    env.update(SANDBOX_DATA_DIR=str(data_dir), **extra)
    return env


def sandbox_cli(*args: str, env: dict, input: str | bytes | None = None, timeout: float = 300):
    """Run `sandbox ARGS` as a user would, in a subprocess; text in and out unless `input` is bytes."""
    return subprocess.run([sys.executable, "-m", "sandbox.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          input=input, text=not isinstance(input, bytes), timeout=timeout)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throw-away PostgreSQL cluster for the session (tests/pg.py). Fails, never skips, when PostgreSQL's
    binaries are missing: `make test` installs them."""
    from pg import Cluster

    cluster = Cluster().start()
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, empty database in the session's cluster; its URL carries a password."""
    from sandbox.store.db import close_postgres

    url = pg_cluster.create_database()
    yield url
    close_postgres(url)
    pg_cluster.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request, tmp_path):
    """What a store contract test opens, once per backend: the SQLite file in a fresh data directory, or a fresh
    PostgreSQL database whose audit key lives in that data directory."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    if request.param == "sqlite":
        return data / "sandbox.db"
    from sandbox.store.db import connect

    url = request.getfixturevalue("pg_url")
    connect(url, key_dir=data)
    return url


@pytest.fixture(scope="session")
def redactor():
    """The process's one PII redactor (Presidio with our recognizers), built and warmed once."""
    from sandbox.pii import shared_redactor

    return shared_redactor()


@pytest.fixture
def guard(redactor):
    """A PII guard with the default PII policy and its own pseudonym vaults."""
    from sandbox.guards.pii import PiiGuard
    from sandbox.pii.config import PiiPolicy
    from sandbox.pii.vault import VaultRegistry

    return PiiGuard(PiiPolicy(), redactor, VaultRegistry())


@pytest.fixture
def account(data_dir):
    """account(name, role="employee", password=...) -> the password: a local account in the test's database."""
    from browser import add_account

    return lambda username, role="employee", password="correct horse 42": add_account(data_dir, username, role,
                                                                                      password)


@pytest.fixture
def playground(data_dir, local_model_url, tmp_path) -> str:
    """`sandbox serve` on a free port with the session's model; yields the page's URL (log in tmp/serve.log)."""
    from browser import served_playground

    with served_playground(cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url),
                          tmp_path / "serve.log") as url:
        yield url


@pytest.fixture
def page():
    """A page in a fresh headless Chromium."""
    from browser import chromium_page

    with chromium_page() as page:
        yield page


class RecordingModel:
    """A local HTTP server speaking OpenAI's streaming protocol that keeps every request body it receives, and
    answers by echoing the user's last message: a stand-in for a hosted model (which cannot run here) that shows
    what a model would see."""

    def __init__(self):

        bodies = self.bodies = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                bodies.append(body)
                said = body["messages"][-1]["content"]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for piece in (f"You said: {said}", None):
                    delta = {"content": piece} if piece else {}
                    chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None if piece else "stop"}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                usage = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [],
                         "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21}}
                self.wfile.write(f"data: {json.dumps(usage)}\n\ndata: [DONE]\n\n".encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
