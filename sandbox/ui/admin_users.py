"""Admin tab: accounts and roles, and recent sign-in attempts. Actions apply to the account picked in the table;
deleting, disabling an account and resetting its password ask for a confirmation first."""

from __future__ import annotations

import datetime as dt
import html

import gradio as gr

from sandbox.app import Sandbox
from sandbox.store.users import UserError, new_password

# What each destructive action asks before it runs, and its confirming button.
CONFIRMATIONS = {
    "delete": (("Delete **{name}**? They can no longer sign in and their API keys stop working; their audit "
                "records stay."), "Yes, delete the account"),
    "disable": (("Disable **{name}**? Their sessions end at once and they cannot sign in until an admin enables "
                 "them again."), "Yes, disable the account"),
    "reset": (("Reset the password of **{name}**? Their current password stops working; the new one is shown "
               "once, here."), "Yes, reset the password"),
}


def build_users_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    users = sandbox.users
    table = gr.Dataframe(headers=["user", "role", "state", "source"], interactive=False, elem_id="users-table",
                         label="Accounts (select a row to act on that account, or type a new name to add one)")
    with gr.Row():
        name = gr.Textbox(label="User name", elem_id="users-name")
        role = gr.Dropdown([], label="Role", elem_id="users-role")
    with gr.Row():
        add = gr.Button("Add", variant="primary", elem_id="users-add")
        set_role = gr.Button("Set role", elem_id="users-set-role")
        disable = gr.Button("Disable…", elem_id="users-disable")
        enable = gr.Button("Enable")
        reset = gr.Button("Reset password…", elem_id="users-reset")
        delete = gr.Button("Delete…", variant="stop", elem_id="users-delete")
    pending = gr.State("")  # the action waiting for its confirmation: kept server-side, never sent by the page
    with gr.Row(visible=False, elem_id="users-confirm") as confirm_row:
        confirm_text = gr.Markdown("", elem_id="users-confirm-text")
        confirm = gr.Button("Yes", variant="stop", elem_id="users-confirm-delete")
        cancel = gr.Button("Cancel", elem_id="users-cancel-delete")
    message = gr.Markdown("", elem_id="users-message")
    attempts = gr.Dataframe(headers=["time", "user", "address", "ok", "reason"], label="Recent sign-in attempts",
                            interactive=False)

    def rows():
        return [[u.username, u.role, "disabled" if u.disabled else "active", u.source] for u in users.list()]

    def attempt_rows():
        found = users.db["sign_in_attempts"].rows_where(order_by="at desc", limit=50)
        return [[dt.datetime.fromtimestamp(r["at"], dt.timezone.utc).isoformat(timespec="seconds"), r["username"],
                 r["address"], bool(r["ok"]), r["reason"]] for r in found]

    def load(request: gr.Request):
        access.admin(request)
        return rows(), gr.update(choices=sorted(sandbox.policy.current.roles), value="employee"), attempt_rows()

    def act(action):
        def handler(username: str, role_name: str, request: gr.Request):
            admin = access.admin(request)
            username = (username or "").strip()
            try:
                text = action(username, role_name, admin)
            except UserError as exc:
                text = html.escape(str(exc))
            return text, rows()
        return handler

    def pick(evt: gr.SelectData, request: gr.Request):
        access.admin(request)
        row = evt.row_value or []
        account = users.get(str(row[0])) if row else None
        if account is None:
            return gr.update(), gr.update(), ""
        return account.username, account.role, f"Selected **{html.escape(account.username)}**."

    def ask(kind: str):
        def handler(username: str, request: gr.Request):
            admin = access.admin(request)
            username = (username or "").strip()
            refused = None
            if users.get(username) is None:
                refused = "Pick an account in the table first."
            elif username == admin and kind != "reset":
                refused = f"You cannot {kind} your own account."
            if refused:
                return gr.update(visible=False), "", gr.update(), "", refused
            question, button = CONFIRMATIONS[kind]
            return (gr.update(visible=True), question.format(name=html.escape(username)),
                    gr.update(value=button), kind, "")
        return handler

    def close_confirmation(request: gr.Request):
        access.admin(request)
        return gr.update(visible=False), ""

    def do_confirmed(kind: str, username: str, request: gr.Request):
        admin = access.admin(request)
        username = (username or "").strip()
        action = {"delete": do_delete, "disable": do_disable, "reset": do_reset}.get(kind or "")
        if action is None:
            return gr.update(visible=False), "", "Nothing to confirm: pick an account and an action again.", rows()
        try:
            text = action(username, None, admin)
        except UserError as exc:
            text = html.escape(str(exc))
        return gr.update(visible=False), "", text, rows()

    def do_delete(username, role_name, admin):
        if username == admin:
            return "You cannot delete your own account."
        users.delete(username)
        return f"Deleted **{html.escape(username)}**."

    def do_add(username, role_name, admin):
        if role_name not in sandbox.policy.current.roles:
            return f"Unknown role '{html.escape(str(role_name))}'."
        password = new_password()
        users.add(username, role_name, password)
        return f"Created **{html.escape(username)}** ({role_name}). Password, shown once: `{password}`"

    def do_role(username, role_name, admin):
        if role_name not in sandbox.policy.current.roles:
            return f"Unknown role '{html.escape(str(role_name))}'."
        if username == admin and not sandbox.is_admin(role_name):
            return "You cannot remove your own admin role."
        users.set_role(username, role_name)
        return f"{html.escape(username)} is now {role_name}."

    def do_disable(username, role_name, admin):
        if username == admin:
            return "You cannot disable your own account."
        users.set_disabled(username, True)
        return f"{html.escape(username)} is disabled; their sessions ended."

    def do_enable(username, role_name, admin):
        users.set_disabled(username, False)
        return f"{html.escape(username)} is enabled."

    def do_reset(username, role_name, admin):
        password = new_password()
        users.set_password(username, password)
        return f"New password for **{html.escape(username)}**, shown once: `{password}`"

    for button, action in ((add, do_add), (set_role, do_role), (enable, do_enable)):
        button.click(act(action), [name, role], [message, table], api_visibility="private")
    table.select(pick, None, [name, role, message], api_visibility="private")
    for button, kind in ((delete, "delete"), (disable, "disable"), (reset, "reset")):
        button.click(ask(kind), [name], [confirm_row, confirm_text, confirm, pending, message],
                     api_visibility="private")
    confirm.click(do_confirmed, [pending, name], [confirm_row, pending, message, table], api_visibility="private")
    cancel.click(close_confirmation, None, [confirm_row, pending], api_visibility="private")
    return load, [table, role, attempts]
