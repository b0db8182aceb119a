"""What the playground shows, without a browser: escaping, invented placeholders, the policy panel in words, markers,
a user's own conversations from the real SQLite store, and a stopped stream recorded by the real gateway."""

from __future__ import annotations

from sandbox.gateway import ChatRequest, ChatResult
from sandbox.store import InteractionLog
from sandbox.store.conversations import conversation_turns, conversations
from sandbox.ui.policy_summary import check_table, headline, markers
from sandbox.ui.render import escape_text, shown

PROMPT_PII = {"guard": "pii", "decision": "redact", "message": "Redacted 1 EMAIL_ADDRESS, 1 PERSON.",
              "details": {"entities": {"PERSON": 1, "EMAIL_ADDRESS": 1}}}
ANSWER_PII = {"guard": "pii", "decision": "redact", "stage": "output", "details": {"entities": {"PHONE_NUMBER": 2}}}


def test_tags_and_placeholders_are_escaped_outside_code_only():
    assert escape_text("Mail <EMAIL_ADDRESS_1> & <img src=x onerror=alert(1)>") == \
        "Mail &lt;EMAIL_ADDRESS_1&gt; &amp; &lt;img src=x onerror=alert(1)&gt;"
    code = "Use `<b>` or\n```html\n<div>\n```\nthen <i>"
    assert escape_text(code) == "Use `<b>` or\n```html\n<div>\n```\nthen &lt;i&gt;"
    assert escape_text("\\`<img src=x>`") == "\\`&lt;img src=x&gt;`"  # an escaped backtick opens no code span
    assert escape_text("```\n<open fence") == "```\n<open fence"  # an unclosed fence is code to its end


def test_an_invented_placeholder_is_marked_unknown_and_a_known_one_is_not():
    text = shown("Call <PERSON_1> at <ADDRESS_2>.", {"<ADDRESS_2>"})
    assert "&lt;ADDRESS_2&gt; *(unknown)*" in text and "&lt;PERSON_1&gt; *(unknown)*" not in text
    assert "wrote itself" in text
    assert "unknown" not in shown("Call <PERSON_1>.")
    assert "[embedded content not shown]" in shown("<img src=x>")  # a model's tag becomes words
    assert "&lt;img src=x&gt;" in shown("<img src=x>", typed=True)  # the person's own text shows as typed
    # An address redacted inside an image link becomes a valid remote link once escaped: still no image.
    assert shown("See ![chart](http://host.example:8080/<PERSON_1>=q) now") == \
        "See [image not shown: chart from host.example:8080] now"


def test_the_panel_says_in_words_what_was_replaced_and_where():
    record = {"status": "ok", "verdicts": [{"guard": "token_count", "decision": "allow", "details": {"tokens": 12}},
                                           PROMPT_PII, ANSWER_PII]}
    lines = "\n".join(headline(record))
    assert "2 personal details were replaced before sending:** an e-mail address, a name" in lines
    assert "2 personal details were removed from the answer:** 2 phone numbers" in lines
    table = check_table(record)
    assert table.index("Checks on your prompt (input)") < table.index("Prompt size") < \
        table.index("Checks on the answer (output)") < table.index("replaced 2 phone numbers")
    assert "token_count" not in table and "entities" not in table
    assert markers(record) == ("2 personal details replaced before sending", "2 personal details removed from the answer")


def test_records_without_a_stage_split_where_a_guard_comes_round_again():
    record = {"status": "blocked", "verdicts": [
        {"guard": "pii", "decision": "allow", "details": {"entities": {}}},
        {"guard": "deny_rules", "decision": "allow"},
        {"guard": "pii", "decision": "allow", "details": {"entities": {}}},
        {"guard": "deny_rules", "decision": "block", "message": "Answers may not name <PROJECT_1>."}]}
    assert markers(record) == ("", "answer withheld by the policy")
    assert "**The answer was withheld** by the blocked topics and words: Answers may not name &lt;PROJECT_1&gt;." \
        in headline(record)[0]
    blocked_prompt = {"status": "blocked", "verdicts": [{"guard": "injection", "decision": "block", "message": "No."}]}
    assert markers(blocked_prompt) == ("not sent: stopped by the policy", "")


def test_conversations_are_listed_and_reopened_only_for_their_owner(tmp_path):
    log = InteractionLog(tmp_path / "sandbox.db")
    for user, conv, turn, prompt in (("ann", "c1", 1, "First <PERSON_1>"), ("ann", "c1", 2, "Second"),
                                     ("ann", "c2", 1, "Other chat"), ("bob", "c3", 1, "Bob's secret")):
        iid = log.start(user=user, role="employee", model="local", conversation_id=conv, turn=turn, prompt=prompt,
                        channel="ui")
        log.finish(iid, status="ok", decision="allow", answer=f"answer {turn}")
    api = log.start(user="ann", role="employee", model="local", conversation_id="c4", turn=1, prompt="via API",
                    channel="api")
    log.finish(api, status="ok", decision="allow", answer="x")
    listed = conversations(log.db, "ann")
    assert [c["id"] for c in listed] == ["c2", "c1"]  # newest first; API calls are not playground chats
    assert listed[1]["first_prompt"] == "First <PERSON_1>" and listed[1]["turns"] == 2
    assert [r["prompt"] for r in conversation_turns(log.db, "ann", "c1")] == ["First <PERSON_1>", "Second"]
    assert conversation_turns(log.db, "ann", "c3") == []  # Bob's conversation, asked for by its id


def test_a_stream_stopped_by_its_reader_is_recorded_with_what_arrived(tmp_path):
    from standin_model import StandIn

    from sandbox.app import build_sandbox
    from sandbox.settings import Settings

    model = StandIn()  # streams one sentence every 0.1 s for 20 s
    try:
        sandbox = build_sandbox(Settings.load(tmp_path / "data"), model.url)
        sandbox.warm_up()  # as `sandbox serve` does: a cold detector can outlast its 5 s limit on a busy machine
        events = sandbox.gateway.stream(ChatRequest(user="stopper", prompt="Count SLOWLY.", model="local"))
        seen = [next(events) for _ in range(3)]

        events.close()  # what Gradio does when the employee presses Stop
    finally:
        model.close()
    assert not any(isinstance(e, ChatResult) for e in seen)
    (row,) = sandbox.log.recent(user="stopper")
    assert row["status"] == "interrupted" and row["error_class"] == "Stopped" and row["finished_at"]
    assert row["answer"].startswith("Sentence number 1 is here.") and "number 150 " not in row["answer"]
    assert row["tokens_out"] > 0 and [v.get("stage") for v in row["verdicts"]][-1] == "output"
