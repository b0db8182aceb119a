"""The `sandbox` command: one module per command group, assembled here.

Each module in GROUPS exposes `commands`, a list of click commands; a new group is a new module named here.
Modules import their heavy dependencies inside the commands, so `sandbox --help` stays fast.
"""

from __future__ import annotations

import importlib

import click

GROUPS = ("serve", "ask", "models", "policy", "check", "redact", "users", "keys", "audit", "feedback")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sandbox")
def cli() -> None:
    """A governed generative-AI sandbox: chat with models through a policy layer that redacts,
    budgets, blocks and logs every interaction."""


for _name in GROUPS:
    for _command in importlib.import_module(f"sandbox.cli.{_name}").commands:
        cli.add_command(_command)


def main() -> None:
    cli()
