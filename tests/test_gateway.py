"""The request path end to end with the real local model and a real SQLite file."""

from sandbox.app import build_sandbox
from sandbox.gateway import ChatRequest, ChatResult
from conftest import closed_port_url


def ask(sandbox, prompt, model="local", **kw):
    return sandbox.gateway.handle(ChatRequest(user="ann", prompt=prompt, model=model, **kw))


def test_answer_streams_and_is_recorded(sandbox):
    events = list(sandbox.gateway.stream(ChatRequest(user="ann", prompt="Count from one to five, one number per line.",
                                                     model="local", max_tokens=48)))
    pieces, result = events[:-1], events[-1]
    assert isinstance(result, ChatResult) and result.ok
    assert len(pieces) > 1 and "".join(pieces) == result.answer
    row = sandbox.log.get(result.interaction_id)
    assert row["status"] == "ok" and row["user"] == "ann" and row["model"] == "local"
    assert row["prompt"] == "Count from one to five, one number per line."
    assert row["answer"] == result.answer == result.recorded_answer
    assert row["tokens_in"] > 0 and row["tokens_out"] > 0 and row["latency_ms"] > 0
    guards = [v["guard"] for v in row["verdicts"]]
    assert guards[:2] == ["model_access", "token_count"] and "pii" in guards and "injection" in guards


def test_capital_of_france(sandbox):
    result = ask(sandbox, "What is the capital of France?", max_tokens=48)
    assert result.ok
    assert "paris" in result.answer.lower()


def test_conversation_keeps_turns(sandbox):
    first = ask(sandbox, "My favourite colour is green.", max_tokens=16)
    second = ask(sandbox, "What did I just say?", conversation_id=first.conversation_id, max_tokens=16,
                 history=[{"role": "user", "content": first.forwarded_prompt},
                          {"role": "assistant", "content": first.recorded_answer}])
    assert second.conversation_id == first.conversation_id
    assert sandbox.log.get(second.interaction_id)["turn"] == 2


def test_empty_prompt_is_blocked_and_recorded(sandbox):
    result = ask(sandbox, "   ")
    assert result.status == "blocked" and "empty" in result.message
    assert sandbox.log.get(result.interaction_id)["status"] == "blocked"


def test_unknown_model_is_blocked_and_recorded(sandbox):
    result = ask(sandbox, "hello", model="gpt-17")
    assert result.status == "blocked" and "gpt-17" in result.message
    row = sandbox.log.get(result.interaction_id)
    assert row["status"] == "blocked" and row["model"] == "gpt-17"


def test_prompt_over_the_context_is_blocked(sandbox):
    result = ask(sandbox, "word " * 3000)
    assert result.status == "blocked" and "tokens" in result.message
    assert sandbox.log.get(result.interaction_id)["decision"] == "block"


def test_model_down_gives_a_sentence_and_an_error_record(settings):
    sandbox = build_sandbox(settings, closed_port_url())
    result = ask(sandbox, "hello")
    assert result.status == "error"
    assert "cannot be reached" in result.message or "failed" in result.message
    row = sandbox.log.get(result.interaction_id)
    assert row["status"] == "error" and row["error_class"] and row["error_message"] == result.message
