"""Admin tab: accounts and roles, and recent sign-in attempts."""

from __future__ import annotations

import datetime as dt

import gradio as gr

from sandbox.app import Sandbox
from sandbox.store.users import UserError, new_password


def build_users_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    users = sandbox.users
    table = gr.Dataframe(headers=["user", "role", "state", "source"], label="Accounts", interactive=False,
                         elem_id="users-table")
    with gr.Row():
        name = gr.Textbox(label="User name", elem_id="users-name")
        role = gr.Dropdown([], label="Role", elem_id="users-role")
    with gr.Row():
        add = gr.Button("Add", variant="primary")
        set_role = gr.Button("Set role")
        disable = gr.Button("Disable")
        enable = gr.Button("Enable")
        reset = gr.Button("Reset password")
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
                text = str(exc)
            return text, rows()
        return handler

    def do_add(username, role_name, admin):
        if role_name not in sandbox.policy.current.roles:
            return f"Unknown role '{role_name}'."
        password = new_password()
        users.add(username, role_name, password)
        return f"Created **{username}** ({role_name}). Password, shown once: `{password}`"

    def do_role(username, role_name, admin):
        if role_name not in sandbox.policy.current.roles:
            return f"Unknown role '{role_name}'."
        if username == admin and not sandbox.is_admin(role_name):
            return "You cannot remove your own admin role."
        users.set_role(username, role_name)
        return f"{username} is now {role_name}."

    def do_disable(username, role_name, admin):
        if username == admin:
            return "You cannot disable your own account."
        users.set_disabled(username, True)
        return f"{username} is disabled; their sessions ended."

    def do_enable(username, role_name, admin):
        users.set_disabled(username, False)
        return f"{username} is enabled."

    def do_reset(username, role_name, admin):
        password = new_password()
        users.set_password(username, password)
        return f"New password for **{username}**, shown once: `{password}`"

    for button, action in ((add, do_add), (set_role, do_role), (disable, do_disable), (enable, do_enable),
                           (reset, do_reset)):
        button.click(act(action), [name, role], [message, table], api_visibility="private")
    return load, [table, role, attempts]
