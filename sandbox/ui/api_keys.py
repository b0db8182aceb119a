"""The API keys tab: each signed-in user creates, sees and revokes their own keys; admins see everyone's."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox

COLUMNS = ["id", "user", "label", "state", "created", "last used", "expires"]


def build_api_keys_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    gr.Markdown("Personal keys for the OpenAI-compatible API at `/v1` (the `openai` client, `curl`, IDE "
                "assistants): calls with your key go through the same policy, budget and audit log as the "
                "playground. A key is shown **once** when it is created; only a hash is kept.")
    with gr.Row():
        label = gr.Textbox(label="Label", placeholder="laptop IDE", max_lines=1, elem_id="key-label")
        days = gr.Number(label="Expires after (days, 0 = never)", value=90, precision=0, minimum=0,
                         elem_id="key-days")
        create = gr.Button("Create key", variant="primary", elem_id="key-create")
    secret = gr.Textbox(label="Your new key (copy it now; it is not shown again)", interactive=False,
                        elem_id="key-secret")
    table = gr.Dataframe(headers=COLUMNS, label="Keys", interactive=False, elem_id="key-table")
    with gr.Row():
        pick = gr.Dropdown(label="Key to revoke", choices=[], elem_id="key-pick")
        revoke = gr.Button("Revoke", variant="stop", elem_id="key-revoke")
    status = gr.Markdown("", elem_id="key-status")

    def rows(user: str):
        keys = sandbox.api_keys.list(user)
        table_rows = [[k.id, k.user, k.name, k.state(), k.created_at[:19].replace("T", " "),
                       (k.last_used_at or "never")[:19].replace("T", " "),
                       (k.expires_at or "never")[:10]] for k in keys]
        live = [f"{k.id} ({k.user}{', ' + k.name if k.name else ''})" for k in keys if k.state() == "active"]
        return table_rows, gr.update(choices=live, value=None)

    def load(request: gr.Request):
        user, _ = access.identity(request)
        return (*rows(user), "")

    def on_create(name: str, expires: float | None, request: gr.Request):
        user, _ = access.identity(request)
        try:
            key, full = sandbox.api_keys.create(user, user, name or "", int(expires) if expires else None)
        except (ValueError, PermissionError) as exc:
            return ("", *rows(user), f"**Not created:** {exc}")
        return (full, *rows(user), f"Created key `{key.id}`. Copy it from the box above now.")

    def on_revoke(choice: str | None, request: gr.Request):
        user, _ = access.identity(request)
        if not choice:
            return (*rows(user), "Pick a key first.")
        try:
            key = sandbox.api_keys.revoke(user, choice.split(" ", 1)[0])
        except (ValueError, PermissionError) as exc:
            return (*rows(user), f"**Not revoked:** {exc}")
        return (*rows(user), f"Revoked key `{key.id}`; the next call with it is refused.")

    create.click(on_create, [label, days], [secret, table, pick, status], api_visibility="private")
    revoke.click(on_revoke, [pick], [table, pick, status], api_visibility="private")
    return load, [table, pick, status]
