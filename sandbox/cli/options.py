"""Options and defaults every `sandbox` command group shares, defined once."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import click

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="SANDBOX_DATA_DIR", default="data",
    show_default=True, help="Directory for the database and everything the sandbox writes.",
)


def default_user() -> str:
    """Who acts when a command is not told: $SANDBOX_USER, else the login name."""
    return os.environ.get("SANDBOX_USER") or getpass.getuser() or "local"


def readably(action, *errors: type[Exception]):
    """Run `action`; an expected error (`errors`) reaches the person as its sentence, not a traceback."""
    try:
        return action()
    except errors as exc:
        raise click.ClickException(str(exc)) from exc
