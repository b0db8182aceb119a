"""Guardrails: each module finds or decides one thing and returns a Verdict."""

from sandbox.guards.base import Decision, Guard, GuardContext, Verdict, run_guards

__all__ = ["Decision", "Guard", "GuardContext", "Verdict", "run_guards"]
