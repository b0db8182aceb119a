"""Faults after the model was called: the model dying mid-answer, the audit log failing to complete the record.
Real llama-cpp-python server killed with SIGKILL, real SQLite lock held by another connection."""

from __future__ import annotations

import os
import signal
import sqlite3

from sandbox.app import build_sandbox
from sandbox.gateway import ChatRequest, ChatResult, Gateway
from sandbox.llm.local_server import LocalModelServer
from sandbox.store.interactions import InteractionLog

STORY = ChatRequest(user="ann", prompt="Write a long story about a lighthouse keeper, in many paragraphs.",
                    model="local", max_tokens=400)


def test_a_model_that_dies_mid_answer_leaves_the_partial_answer_recorded(settings, tmp_path):
    server = LocalModelServer(log_path=tmp_path / "model.log").start()
    try:
        sandbox = build_sandbox(settings, server.url, server.api_key)
        seen, result = [], None
        for event in sandbox.gateway.stream(STORY):
            if isinstance(event, ChatResult):
                result = event
                continue
            seen.append(event)
            if len(seen) == 5:
                os.kill(server.process.pid, signal.SIGKILL)
    finally:
        server.stop()
    assert result.status == "error" and "stopped after" in result.message
    row = sandbox.log.get(result.interaction_id)
    assert row["status"] == "error" and row["error_class"]
    assert row["answer"] and row["answer"].startswith("".join(seen[:5]))  # what the employee saw is on record
    assert row["tokens_out"] >= 5


def test_an_audit_log_that_fails_after_the_model_call_is_reported_truthfully(sandbox, settings):
    gateway = Gateway(InteractionLog(settings.db_path, busy_timeout_s=0.3), sandbox.client, sandbox.policy)
    request = ChatRequest(user="ann", prompt="Count from one to ten.", model="local", max_tokens=40)
    blocker = sqlite3.connect(settings.db_path, isolation_level=None)
    result = None
    try:
        for event in gateway.stream(request):
            if isinstance(event, ChatResult):
                result = event
            elif not blocker.in_transaction:
                blocker.execute("begin exclusive")  # another program holds the database until the end
    finally:
        blocker.execute("rollback")
        blocker.close()
    assert result.status == "error" and result.answer == ""  # an answer the log does not hold is not shown
    assert result.message.startswith("The model was called, but the audit log could not complete the record")
    assert "nothing was sent" not in result.message
    assert sandbox.log.get(result.interaction_id)["status"] == "pending"  # closed later as interrupted


def test_a_full_database_refuses_the_request_before_the_model_is_called(sandbox):
    db = sandbox.log.db  # this thread's connection, the one the gateway writes with
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {pages}")  # SQLite now answers 'database or disk is full'
    result = sandbox.gateway.handle(ChatRequest(user="ann", prompt="Summarise this. " + "Lorem ipsum. " * 2000,
                                                model="local", max_tokens=16))
    assert result.status == "error" and "nothing was sent to a model" in result.message
    assert "full" in result.message and result.tokens_out == 0 and result.forwarded_prompt == ""
    db.execute("pragma max_page_count = 1073741823")
    assert not list(sandbox.log.recent(user="ann"))  # nothing half-written
