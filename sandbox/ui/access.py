"""Server-side identity for every Gradio handler: nothing in the browser is trusted."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox
from sandbox.ui.gate import REFUSAL_TITLE


def refusal(message: str) -> gr.Error:
    """An error whose sentence reaches the browser as written (the front door replaces all others)."""
    return gr.Error(message, title=REFUSAL_TITLE, print_exception=False)


class Access:
    """`identity(request)` -> (user, role) or raises gr.Error; `admin(request)` also demands an admin role."""

    def __init__(self, sandbox: Sandbox):
        self.sandbox = sandbox

    def identity(self, request: gr.Request | None) -> tuple[str, str]:
        if request is None:
            raise refusal("Sign in first.")
        client = getattr(request, "client", None)
        found, reason = self.sandbox.auth.identify(dict(request.headers), dict(request.cookies),
                                                   client.host if client else "")
        if found is None:
            raise refusal(reason if reason != "not signed in" else "Sign in first.")
        return found.user, found.role

    __call__ = identity

    def admin(self, request: gr.Request | None) -> str:
        user, role = self.identity(request)
        if not self.sandbox.is_admin(role):
            raise refusal("Only admins may do this.")
        return user

    def reviewer(self, request: gr.Request | None) -> str:
        user, role = self.identity(request)
        rules = self.sandbox.policy.role(role)
        if not (rules and rules.may_review_feedback):
            raise refusal("Only feedback reviewers may do this.")
        return user
