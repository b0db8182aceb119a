"""The playground tab: past conversations, chat with streaming, Stop and regenerate, thumbs on every answer, model and
template pickers, and what the policy layer did to any message."""

from __future__ import annotations

import uuid

import gradio as gr

from sandbox.app import Sandbox
from sandbox.gateway import ChatRequest, ChatResult
from sandbox.guards.token_budget import budget_limits
from sandbox.llm.tokens import count_tokens
from sandbox.store.conversations import conversation_turns, conversations
from sandbox.ui.chat_turns import CHECKING, STOPPED, answer_text, prompt_text, record_of, reopened
from sandbox.ui.feedback_panel import HOW, build_feedback_panel, turn_of
from sandbox.ui.policy_summary import check_table, summary
from sandbox.ui.render import shown

UNAVAILABLE = "The sandbox could not handle this request ({error}). Nothing was sent to a model; try again or tell an admin."
PANEL_EMPTY = "Send a message: what the policy layer checked and changed will show here, in plain words."
CHECKS_EMPTY = "Each check on your prompt and on the answer will be listed here."
NO_PAST = "No past conversations yet. Each chat you start is listed here, so you can reopen it later."
CHAT_EMPTY = ("**Start a conversation.** Personal details you type are replaced by placeholders such as "
              "`<PERSON_1>` before the model sees them; the panel on the right shows what was changed.")
CSS = """  /* passed to the mounted app by sandbox/ui/server.py */
#chat .policy-marker { font-size: 0.8em; opacity: 0.75; border-left: 3px solid #d97706; padding-left: 6px;
  display: inline-block; }
#chat .checking { font-style: italic; opacity: 0.7; }
#policy-checks table { table-layout: auto; width: 100%; display: table; }
#policy-checks th, #policy-checks td { word-break: normal; overflow-wrap: normal; hyphens: none; padding: 4px 6px; }
#policy-checks td:nth-child(2), #policy-checks th { white-space: nowrap; }
"""


def message_text(content) -> str:
    """A chat message's text: the browser sends it back as a list of parts ({"type": "text", "text": ...})."""
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content if isinstance(content, str) else ""


THUMBS = {"up": "Like", "down": "Dislike"}  # a stored rating as the Chatbot's own thumb shows it


def new_conversation() -> dict:
    return {"id": "", "history": [], "turns": [], "feedback": {}}


def policy_views(record: dict) -> tuple[str, str]:
    """(the plain summary, the folded tables of input and output checks) for one turn's record."""
    tables = check_table(record)
    return summary(record), tables


def budget_text(sandbox: Sandbox, user: str, role: str) -> str:
    rules = sandbox.policy.role(role)
    if rules is None:
        return f"Your role '{role}' has no policy; ask an admin."
    limits = budget_limits(rules.budgets)
    if not limits:
        return "No token budget applies to you."
    names = {"user/day": "you today", "user/month": "you this month", "role/day": f"all {role}s today",
             "role/month": f"all {role}s this month"}
    left = sandbox.policy.ledger.remaining(user, role, limits)
    return "**Tokens left:** " + " · ".join(f"{left[k]:,} for {names[k]}" for k in left)


def past_choices(sandbox: Sandbox, user: str) -> list[tuple[str, str]]:
    found = conversations(sandbox.log.db, user)
    return [(f"{c['last'][:16].replace('T', ' ')} · {_title(c['first_prompt'])} ({c['turns']})", c["id"])
            for c in found]


def _title(prompt: str, length: int = 48) -> str:
    prompt = " ".join((prompt or "(no text kept)").split())
    return prompt if len(prompt) <= length else prompt[: length - 1] + "…"


def build_playground(sandbox: Sandbox, identity):
    """Adds the playground components to the enclosing Blocks. `identity(request)` -> (user, role).

    Returns (load, outputs) to run when the page opens.
    """
    templates = sandbox.templates
    conversation = gr.State(new_conversation())
    with gr.Row():
        with gr.Column(scale=1, min_width=200):
            gr.Markdown("**Past conversations**")
            past_empty = gr.Markdown(NO_PAST, elem_id="past-empty")
            past = gr.Radio([], label="Reopen", show_label=False, elem_id="past-chats", visible=False)
            new_chat = gr.Button("New chat", elem_id="new-chat", size="sm")
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Chat", height=460, elem_id="chat", buttons=["copy", "copy_all"],
                                 feedback_options=("Like", "Dislike"), placeholder=CHAT_EMPTY, allow_tags=False)
            prompt = gr.Textbox(label="Prompt", placeholder="Ask something, or start from a template",
                                lines=3, elem_id="prompt")
            with gr.Row():
                send = gr.Button("Send", variant="primary", elem_id="send")
                stop = gr.Button("Stop", variant="stop", elem_id="stop")
            token_count = gr.Markdown("0 tokens", elem_id="token-count")
            budget = gr.Markdown("", elem_id="budget")
            with gr.Group(elem_id="feedback-panel"):
                target, rating = build_feedback_panel(sandbox, identity, conversation, chatbot)
        with gr.Column(scale=2):
            model = gr.Dropdown([], value=None, label="Model", elem_id="model")
            template = gr.Dropdown(sorted(templates), value=None, label="Prompt template", elem_id="template")
            template_help = gr.Markdown("")
            with gr.Accordion("What the policy layer did", open=True):
                policy = gr.Markdown(PANEL_EMPTY, elem_id="policy-panel")
                with gr.Accordion("Each check, in detail", open=False, elem_id="policy-checks-panel"):
                    checks = gr.Markdown(CHECKS_EMPTY, elem_id="policy-checks")
            with gr.Accordion("Prompt as the model received it", open=False, elem_id="forwarded-panel"):
                forwarded = gr.Textbox(label="Redacted prompt", lines=4, interactive=False, elem_id="forwarded")

    def past_update(user: str):
        choices = past_choices(sandbox, user)
        return gr.update(choices=choices, value=None, visible=bool(choices)), gr.update(visible=not choices)

    def load(request: gr.Request):
        user, role = identity(request)
        names = sandbox.model_names(role)
        return (gr.update(choices=names, value=names[0] if names else None), budget_text(sandbox, user, role),
                *past_update(user))

    def pick_template(name: str | None):
        if not name or name not in templates:
            return gr.update(), ""
        chosen = templates[name]
        variables = "".join(f"\n- `<{v.name}>`: {v.description}" for v in chosen.variables)
        return chosen.skeleton(), f"{chosen.description}{variables and chr(10) + 'Replace:' + variables}"

    def tokens(text: str, model_name: str | None) -> str:
        entry = sandbox.registry.get(model_name or "")
        litellm_model = entry.litellm_params.get("model", "") if entry else ""
        return f"{count_tokens(text or '', model=litellm_model)} tokens"

    def respond(text: str, chat: list, model_name: str, conv: dict, request: gr.Request):
        user, role = identity(request)
        conv = {**new_conversation(), **(conv or {})}
        interaction_id = uuid.uuid4().hex  # named now, so a stopped answer can still be found in the log
        pending = {"interaction_id": interaction_id, "status": "pending", "typed": text, "in_history": False}
        conv = {**conv, "turns": [*conv["turns"], pending]}
        chat = list(chat or []) + [{"role": "user", "content": prompt_text(text, None)},
                                   {"role": "assistant", "content": CHECKING}]
        yield chat, "", "Checking your prompt ...", gr.update(), conv, gr.update(), ""
        req = ChatRequest(user=user, role=role, prompt=text, model=model_name or "", conversation_id=conv["id"],
                          history=conv["history"], interaction_id=interaction_id)
        result, answer = None, ""
        events = sandbox.gateway.stream(req)
        try:
            for event in events:
                if isinstance(event, ChatResult):
                    result = event
                else:
                    answer += event
                    chat[-1]["content"] = shown(answer)
                    yield chat, "", "Answering ...", gr.update(), conv, gr.update(), gr.update()
        except Exception as exc:  # the server keeps serving; the employee gets one sentence
            chat[-1]["content"] = UNAVAILABLE.format(error=type(exc).__name__)
            yield chat, text, f"**Error:** {chat[-1]['content']}", gr.update(), conv, gr.update(), ""
            return
        finally:
            events.close()  # on Stop: the gateway records what arrived as an interrupted interaction
        record = record_of(result)
        chat[-2]["content"] = prompt_text(text, record)
        chat[-1]["content"] = answer_text(record, result.answer, result.invented)
        turn = {**record, "typed": text, "in_history": result.ok}
        conv = {**conv, "id": result.conversation_id, "turns": [*conv["turns"][:-1], turn]}
        if result.ok:
            # Later turns resend the answer as recorded (redacted), never the copy restored for display.
            conv.update(last=result.interaction_id, history=conv["history"] + [
                {"role": "user", "content": result.recorded_prompt},
                {"role": "assistant", "content": result.recorded_answer},
            ])
        yield (chat, "", *policy_views(record), conv, budget_text(sandbox, user, role), result.forwarded_prompt)

    def regenerate(chat: list, model_name: str, conv: dict, request: gr.Request):
        conv = {**new_conversation(), **(conv or {})}
        if not conv["turns"] or len(chat or []) < 2:
            yield chat, "", gr.update(), gr.update(), conv, gr.update(), gr.update()
            return
        last = conv["turns"][-1]
        history = conv["history"][:-2] if last.get("in_history") else conv["history"]
        conv = {**conv, "turns": conv["turns"][:-1], "history": history}
        yield from respond(last.get("typed") or "", list(chat)[:-2], model_name, conv, request)

    def stopped(chat: list, conv: dict):
        chat = list(chat or [])
        if chat and chat[-1].get("role") == "assistant":
            content = message_text(chat[-1]["content"])  # the bubble as sent, already escaped
            content = "" if content == CHECKING else content
            chat[-1] = {**chat[-1], "content": f"{content}\n\n{STOPPED}".strip()}
        turns = (conv or {}).get("turns") or []
        iid = turns[-1]["interaction_id"] if turns else ""
        return chat, f"**You stopped this answer.** It is kept in the audit log as record `{iid}`."

    def show_turn(conv: dict, evt: gr.SelectData):
        found = turn_of(conv, evt.index)
        if found is None:
            return gr.update(), gr.update(), gr.update(), gr.update(), conv
        number, turn = found
        if turn.get("status") == "pending":
            return "This answer has not finished.", gr.update(), gr.update(), gr.update(), conv
        text, tables = policy_views(turn)
        conv = {**conv, "rated": turn["interaction_id"]} if turn.get("status") == "ok" else conv
        return (f"*Message {number}:*\n\n{text}", tables, turn.get("forwarded", ""),
                f"Commenting on **answer {number}**.", conv)

    def reopen(conversation_id: str | None, request: gr.Request):
        user, _ = identity(request)
        rows = conversation_turns(sandbox.log.db, user, conversation_id or "")
        if not rows:
            return gr.update(), new_conversation(), "That conversation is not in your history.", CHECKS_EMPTY, "", \
                HOW, None
        chat, conv = reopened(rows)
        ids = {row["id"] for row in rows}  # feedback already given on these answers is amended, not repeated
        given = [f for f in sandbox.feedback.store.list(user=user, limit=500) if f["interaction_id"] in ids]
        conv["feedback"] = {f["interaction_id"]: f["id"] for f in given if f["status"] == "pending"}
        thumbs = {f["interaction_id"]: THUMBS[f["rating"]] for f in reversed(given)}  # the newest wins
        chat = gr.update(value=chat, feedback_value=[thumbs.get(row["id"]) for row in rows])
        note = (f"Reopened a conversation of {len(rows)} message(s), as the audit log holds it: personal details "
                "appear as placeholders such as `<PERSON_1>`. Click a message to see its checks; send a prompt to "
                "continue it.")
        return chat, conv, note, CHECKS_EMPTY, "", HOW, None

    def reset(request: gr.Request):
        user, _ = identity(request)
        return [], new_conversation(), PANEL_EMPTY, CHECKS_EMPTY, "", HOW, None, *past_update(user)

    def refresh_past(request: gr.Request):
        return past_update(identity(request)[0])

    template.change(pick_template, [template], [prompt, template_help], api_visibility="private")
    prompt.change(tokens, [prompt, model], [token_count], show_progress="hidden",
                  trigger_mode="always_last", api_visibility="private")
    outputs = [chatbot, prompt, policy, checks, conversation, budget, forwarded]
    running = [send.click(respond, [prompt, chatbot, model, conversation], outputs, api_visibility="private"),
               prompt.submit(respond, [prompt, chatbot, model, conversation], outputs, api_visibility="private"),
               chatbot.retry(regenerate, [chatbot, model, conversation], outputs, api_visibility="private")]
    for event in running:
        event.then(refresh_past, None, [past, past_empty], api_visibility="private")
    # Two listeners: an event that cancels others does not run its own function (gradio-app/gradio#10432).
    stop.click(None, None, None, cancels=running, api_visibility="private")
    stop.click(stopped, [chatbot, conversation], [chatbot, policy], api_visibility="private")
    chatbot.select(show_turn, [conversation], [policy, checks, forwarded, target, conversation],
                   api_visibility="private")
    past.input(reopen, [past], [chatbot, conversation, policy, checks, forwarded, target, rating],
               api_visibility="private")
    for cleared in (new_chat.click, chatbot.clear):
        cleared(reset, None, [chatbot, conversation, policy, checks, forwarded, target, rating, past, past_empty],
                api_visibility="private")
    return load, [model, budget, past, past_empty]
