"""The `sandbox` command: one module per command group, assembled here.

Each module in GROUPS exposes `commands`, a list of click commands; a new group is a new module named here.
Modules import their heavy dependencies inside the commands, so `sandbox --help` stays fast.
"""

from __future__ import annotations

import importlib
import os

import click

GROUPS = ("serve", "ask", "models", "policy", "check", "redact", "users", "keys", "audit", "feedback", "db")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sandbox")
@click.option("--database-url", metavar="URL", default=None,
              help="postgresql://user:password@host:port/db to keep everything in PostgreSQL (as "
                   "SANDBOX_DATABASE_URL does); unset, the SQLite file in the data directory.")
def cli(database_url: str | None) -> None:
    """A governed generative-AI sandbox: chat with models through a policy layer that redacts,
    budgets, blocks and logs every interaction."""
    if database_url:
        # Settings.load reads the environment, so every command of this process (and what it starts) sees it.
        os.environ["SANDBOX_DATABASE_URL"] = database_url


for _name in GROUPS:
    for _command in importlib.import_module(f"sandbox.cli.{_name}").commands:
        cli.add_command(_command)


def main() -> None:
    cli()
