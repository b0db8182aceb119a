"""Policies: which guards run for which role. The policy issue replaces the built-in set with YAML files."""

from sandbox.policy.builtin import BuiltinPolicy

__all__ = ["BuiltinPolicy"]
