"""Model access by role, as the guard decides it."""

from sandbox.guards.base import GuardContext
from sandbox.guards.model_access import ModelAccess

AVAILABLE = {"local", "gpt-4o-mini"}


def verdict(model, role, allowed):
    return ModelAccess(AVAILABLE, allowed).check("hi", GuardContext(user="ann", role=role, model=model))


def test_role_lists_decide():
    allowed = {"employee": ["local"], "admin": ["*"], "analyst": ["local", "gpt-4o-mini"]}
    assert verdict("local", "employee", allowed).decision.value == "allow"
    refused = verdict("gpt-4o-mini", "employee", allowed)
    assert refused.decision.value == "block"
    assert refused.message == "Your role 'employee' may not use 'gpt-4o-mini'. Allowed: local; ask an admin for access."
    assert verdict("gpt-4o-mini", "admin", allowed).decision.value == "allow"
    assert verdict("gpt-4o-mini", "analyst", allowed).decision.value == "allow"


def test_unknown_role_and_unavailable_model_are_refused():
    allowed = {"employee": ["local"]}
    assert "Allowed: none" in verdict("local", "intern", allowed).message
    missing = verdict("claude-haiku", "admin", {"admin": ["*"]})  # '*' covers available models only
    assert missing.decision.value == "block"
    assert missing.message == "The model 'claude-haiku' is not available. Pick one of: gpt-4o-mini, local."
