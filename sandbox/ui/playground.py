"""The playground tab: chat with streaming, model and template pickers, and what the policy layer did."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox
from sandbox.gateway import ChatRequest, ChatResult
from sandbox.guards.token_budget import budget_limits
from sandbox.llm.tokens import count_tokens
from sandbox.ui.feedback_panel import build_feedback_panel
from sandbox.ui.render import no_remote_images

UNAVAILABLE = "The sandbox could not handle this request ({error}). Nothing was sent to a model; try again or tell an admin."


def policy_panel(result: ChatResult) -> str:
    """Markdown for 'what the policy layer did' on the last message."""
    lines = [
        f"**Decision:** {result.decision} · **status:** {result.status} · **model:** {result.model}",
        f"**Tokens:** {result.tokens_in} in / {result.tokens_out} out · **latency:** {result.latency_ms:.0f} ms",
        f"**Audit record:** `{result.interaction_id}`",
        "",
        "| guard | verdict | note |",
        "|---|---|---|",
    ]
    for verdict in result.verdicts:
        note = verdict.get("message") or ", ".join(f"{k}: {v}" for k, v in verdict.get("details", {}).items())
        lines.append(f"| {verdict['guard']} | {verdict['decision']} | {note} |")
    entities = next((v.get("details", {}).get("entities") for v in result.verdicts if v["guard"] == "pii"), None)
    if entities:
        found = ", ".join(f"{n} {kind}" for kind, n in sorted(entities.items()))
        lines[3:3] = [f"**Personal data replaced before sending:** {found} (open *Prompt as the model received it*)"]
    if result.notice:
        lines[1:1] = [f"**Model:** {result.notice}"]
    if result.message:
        lines += ["", f"**Why:** {result.message}"]
    return "\n".join(lines)


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


def build_playground(sandbox: Sandbox, identity):
    """Adds the playground components to the enclosing Blocks. `identity(request)` -> (user, role).

    Returns (load, outputs) to run when the page opens.
    """
    models: list[str] = []
    templates = sandbox.templates
    conversation = gr.State({"id": "", "history": []})
    with gr.Row():
        with gr.Column(scale=3):
            chatbot = gr.Chatbot(label="Chat", height=460, elem_id="chat")
            prompt = gr.Textbox(label="Prompt", placeholder="Ask something, or start from a template",
                                lines=3, elem_id="prompt")
            with gr.Row():
                send = gr.Button("Send", variant="primary", elem_id="send")
                new_chat = gr.Button("New chat", elem_id="new-chat")
            token_count = gr.Markdown("0 tokens", elem_id="token-count")
            budget = gr.Markdown("", elem_id="budget")
        with gr.Column(scale=2):
            model = gr.Dropdown(models, value=models[0] if models else None, label="Model", elem_id="model")
            template = gr.Dropdown(sorted(templates), value=None, label="Prompt template", elem_id="template")
            template_help = gr.Markdown("")
            with gr.Accordion("What the policy layer did", open=True):
                policy = gr.Markdown("Send a message to see each guard's verdict.", elem_id="policy-panel")
            with gr.Accordion("Prompt as the model received it", open=False, elem_id="forwarded-panel"):
                forwarded = gr.Textbox(label="Redacted prompt", lines=4, interactive=False, elem_id="forwarded")
            with gr.Accordion("Rate the last answer", open=False, elem_id="feedback-panel"):
                build_feedback_panel(sandbox, identity, conversation)

    def load(request: gr.Request):
        user, role = identity(request)
        names = sandbox.model_names(role)
        return gr.update(choices=names, value=names[0] if names else None), budget_text(sandbox, user, role)

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
        chat = list(chat or []) + [{"role": "user", "content": text}, {"role": "assistant", "content": ""}]
        yield chat, "", "Checking the prompt ...", conv, gr.update(), ""
        req = ChatRequest(user=user, role=role, prompt=text, model=model_name or "",
                          conversation_id=conv["id"], history=conv["history"])
        result, answer = None, ""
        try:
            for event in sandbox.gateway.stream(req):
                if isinstance(event, ChatResult):
                    result = event
                else:
                    answer += event
                    chat[-1]["content"] = no_remote_images(answer)
                    yield chat, "", "Answering ...", conv, gr.update(), gr.update()
        except Exception as exc:  # the server keeps serving; the employee gets one sentence
            chat[-1]["content"] = UNAVAILABLE.format(error=type(exc).__name__)
            yield chat, text, f"**Error:** {chat[-1]['content']}", conv, gr.update(), ""
            return
        chat[-1]["content"] = no_remote_images(result.answer) if result.ok else f"⚠️ {result.message}"
        if result.ok and result.notice:
            chat[-1]["content"] += f"\n\n*{result.notice}*"
        if result.ok:
            # Later turns resend the answer as recorded (redacted), never the copy restored for display.
            conv = {"id": result.conversation_id, "last": result.interaction_id, "history": conv["history"] + [
                {"role": "user", "content": result.recorded_prompt},
                {"role": "assistant", "content": result.recorded_answer},
            ]}
        else:
            conv = {**conv, "id": result.conversation_id}
        yield chat, "", policy_panel(result), conv, budget_text(sandbox, user, role), result.forwarded_prompt

    def reset():
        return [], {"id": "", "history": []}, "Send a message to see each guard's verdict.", ""

    template.change(pick_template, [template], [prompt, template_help], api_visibility="private")
    prompt.change(tokens, [prompt, model], [token_count], show_progress="hidden",
                  trigger_mode="always_last", api_visibility="private")
    outputs = [chatbot, prompt, policy, conversation, budget, forwarded]
    send.click(respond, [prompt, chatbot, model, conversation], outputs, api_visibility="private")
    prompt.submit(respond, [prompt, chatbot, model, conversation], outputs, api_visibility="private")
    new_chat.click(reset, None, [chatbot, conversation, policy, forwarded], api_visibility="private")
    return load, [model, budget]
