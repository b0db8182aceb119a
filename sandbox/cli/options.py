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


class UnknownUser(click.ClickException):
    """A command was told to act as someone who has no account (exit code 3)."""

    exit_code = 3


def acting_user(users, named: str | None) -> str:
    """Who a command acts as: `named` (from --user) must be an account; without it, $SANDBOX_USER or the login
    name, which must be an account too once the directory has any (a fresh single-person install has none)."""
    who = named or default_user()
    account = users.get(who)
    if account is not None:
        if account.disabled:
            raise UnknownUser(f"The account '{who}' is disabled; an admin can enable it with "
                              f"`sandbox users enable {who}`.")
        return who
    if named is None and not os.environ.get("SANDBOX_USER") and users.count() == 0:
        return who
    raise UnknownUser(f"There is no account '{who}'. Name an existing one (`sandbox users list`), or have an "
                      f"admin add it: `sandbox users add {who} --role employee`.")
