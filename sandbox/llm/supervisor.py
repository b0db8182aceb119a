"""Keeps the embedded model server alive for `sandbox serve`: notices its death, names the cause, restarts it.

While the process is down the model is marked unavailable with a sentence the employee can read (the picker, the
gateway's error and `/readyz` all ask `unavailable_reason`). A crash on an illegal instruction is not retried:
the same build crashes the same way, so the model stays down with the rebuild hint instead of looping.
"""

from __future__ import annotations

import itertools
import logging
import signal
import threading

from sandbox.llm.local_server import LocalModelError, LocalModelServer, explain_exit

log = logging.getLogger("sandbox.model")
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)


class ModelSupervisor:
    """Owns one LocalModelServer; `state` is starting, ready, restarting or failed."""

    def __init__(self, server: LocalModelServer, name: str = "local", poll_s: float = 0.5,
                 backoff_s: tuple[float, ...] = BACKOFF_S):
        self.server = server
        self.name = name
        self.poll_s = poll_s
        self.backoff_s = backoff_s
        self.state = "starting"
        self.reason = ""
        self.restarts = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "ModelSupervisor":
        """Start the server once (raising LocalModelError if it cannot), then watch it in the background."""
        self.server.start()
        self._set("ready", "")
        self._thread = threading.Thread(target=self._watch, name="model-supervisor", daemon=True)
        self._thread.start()
        return self

    def unavailable_reason(self, model: str) -> str | None:
        """None when `model` can be called; else why not, as a sentence."""
        if model != self.name or self.state == "ready":
            return None
        if self.state == "failed":
            return f"'{model}' is down: its process {self.reason} Ask an admin to look at the server log."
        return (f"'{model}' is restarting (its process {self.reason}). Try again in a few seconds, "
                f"or pick another model.")

    def status(self) -> dict:
        return {"state": self.state, "reason": self.reason, "restarts": self.restarts}

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.server.stop()

    def _set(self, state: str, reason: str) -> None:
        self.state, self.reason = state, reason

    def _watch(self) -> None:
        while not self._stop.wait(self.poll_s):
            process = self.server.process
            if process is None or process.poll() is None:
                continue
            cause = explain_exit(process.returncode)
            log.error("The embedded model server %s; restarting it.", cause)
            self._set("restarting", cause)
            if process.returncode == -signal.SIGILL:
                self._fail(cause)
                return
            self._restart()

    def _restart(self) -> None:
        for attempt in itertools.count():
            delay = self.backoff_s[min(attempt, len(self.backoff_s) - 1)]
            if self._stop.wait(delay):
                return
            try:
                self.server.stop()
                self.server.start()
            except LocalModelError as exc:
                message = str(exc)
                log.error("Restart %d of the embedded model server failed: %s", attempt + 1, message)
                if "SIGILL" in message:
                    self._fail(message)
                    return
                continue
            self.restarts += 1
            log.warning("The embedded model server is back (restart %d).", self.restarts)
            self._set("ready", "")
            return

    def _fail(self, cause: str) -> None:
        log.error("The embedded model stays down: %s", cause)
        self._set("failed", cause)
