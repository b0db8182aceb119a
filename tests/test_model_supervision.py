"""The embedded model's process under supervision: a key only the sandbox holds, death noticed and explained,
restart with the model marked unavailable meanwhile. Real llama-cpp-python servers, real signals."""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request

import pytest

from sandbox.gateway import ChatRequest
from sandbox.llm.local_server import LocalModelServer
from sandbox.llm.supervisor import ModelSupervisor


def wait_for(predicate, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def supervised(tmp_path):
    supervisor = ModelSupervisor(LocalModelServer(log_path=tmp_path / "model.log"), poll_s=0.1,
                                 backoff_s=(0.5,)).start()
    yield supervisor
    supervisor.stop()


def test_the_model_server_refuses_callers_without_the_sandbox_key(supervised):
    request = urllib.request.Request(f"{supervised.server.url}/models")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401
    assert supervised.server.healthy()  # with the key


def test_a_killed_model_is_marked_restarting_then_answers_again(supervised, settings):
    from sandbox.app import build_sandbox

    sandbox = build_sandbox(settings, supervised.server.url, supervised.server.api_key,
                            unavailable_reason=supervised.unavailable_reason, model_status=supervised.status)
    request = ChatRequest(user="ann", prompt="Say hello.", model="local", max_tokens=8)
    assert sandbox.gateway.handle(request).ok

    supervised.backoff_s = (3.0,)  # long enough to ask while it is down
    os.kill(supervised.server.process.pid, signal.SIGKILL)
    wait_for(lambda: supervised.state == "restarting")
    assert "local" not in sandbox.model_names()
    down = sandbox.gateway.handle(request)
    assert down.status == "error" and "restarting" in down.message and "SIGKILL" in down.message
    assert sandbox.log.get(down.interaction_id)["status"] == "error"  # still in the audit log

    wait_for(lambda: supervised.state == "ready")
    assert supervised.restarts == 1 and "local" in sandbox.model_names()
    assert sandbox.gateway.handle(request).ok


def test_an_illegal_instruction_is_named_with_the_fix_and_not_retried(supervised):
    os.kill(supervised.server.process.pid, signal.SIGILL)
    wait_for(lambda: supervised.state == "failed")
    reason = supervised.unavailable_reason("local")
    assert "SIGILL" in reason and "make rebuild-model" in reason
    time.sleep(1.0)
    assert supervised.restarts == 0 and supervised.state == "failed"
