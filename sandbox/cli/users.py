"""`sandbox users add|list|set-role|disable|enable|reset-password|delete`: local accounts."""

from __future__ import annotations

from pathlib import Path

import click

from sandbox.cli.options import data_dir_option, readably
from sandbox.settings import Settings


def _directory(data_dir: Path):
    from sandbox.store.users import UserDirectory

    settings = Settings.load(data_dir)
    settings.ensure_data_dir()
    return settings, UserDirectory(settings.database)


def _check_role(settings: Settings, role: str) -> None:
    from sandbox.llm.registry import ModelRegistry
    from sandbox.policy.loader import PolicyError, load_policy_set, policy_files

    models = {m.name for m in ModelRegistry.from_file(settings.models_file).all}
    try:
        roles = load_policy_set(policy_files(settings.policies_dir), models).roles
    except PolicyError as exc:
        raise click.ClickException(f"The policy files are invalid, so roles cannot be checked:\n{exc}") from exc
    if role not in roles:
        raise click.ClickException(f"Unknown role '{role}'. Roles in the policy: {', '.join(sorted(roles))}.")


def _guarded(action):
    from sandbox.store.users import UserError

    return readably(action, UserError)


@click.group()
def users() -> None:
    """Manage local accounts. Passwords are stored only as salted scrypt hashes."""


@users.command("add")
@data_dir_option
@click.argument("username")
@click.option("--role", default="employee", show_default=True, help="A role defined in the policy files.")
@click.option("--email", default="", help="Contact address.")
@click.option("--password", default=None, help="Initial password (default: a random one, printed once).")
def add(data_dir: Path, username: str, role: str, email: str, password: str | None) -> None:
    """Create a local account."""
    from sandbox.store.users import new_password

    settings, directory = _directory(data_dir)
    _check_role(settings, role)
    generated = password is None
    password = password or new_password()
    _guarded(lambda: directory.add(username, role, password, email=email))
    click.echo(f"Created {username} ({role}).")
    if generated:
        click.echo(f"Password (shown once): {password}")


@users.command("list")
@data_dir_option
def list_users(data_dir: Path) -> None:
    """List accounts: name, role, state, source."""
    _, directory = _directory(data_dir)
    for user in directory.list():
        click.echo(f"{user.username}\t{user.role}\t{'disabled' if user.disabled else 'active'}\t{user.source}")


@users.command("set-role")
@data_dir_option
@click.argument("username")
@click.argument("role")
def set_role(data_dir: Path, username: str, role: str) -> None:
    """Give USERNAME the policy role ROLE."""
    settings, directory = _directory(data_dir)
    _check_role(settings, role)
    _guarded(lambda: directory.set_role(username, role))
    click.echo(f"{username} is now {role}.")


@users.command("disable")
@data_dir_option
@click.argument("username")
def disable(data_dir: Path, username: str) -> None:
    """Disable an account and end its sessions at once."""
    _, directory = _directory(data_dir)
    _guarded(lambda: directory.set_disabled(username, True))
    click.echo(f"{username} is disabled.")


@users.command("enable")
@data_dir_option
@click.argument("username")
def enable(data_dir: Path, username: str) -> None:
    """Enable a disabled account."""
    _, directory = _directory(data_dir)
    _guarded(lambda: directory.set_disabled(username, False))
    click.echo(f"{username} is enabled.")


@users.command("reset-password")
@data_dir_option
@click.argument("username")
@click.option("--password", default=None, help="The new password (default: a random one, printed once).")
def reset_password(data_dir: Path, username: str, password: str | None) -> None:
    """Set a new password and end the account's sessions."""
    from sandbox.store.users import new_password

    _, directory = _directory(data_dir)
    generated = password is None
    password = password or new_password()
    _guarded(lambda: directory.set_password(username, password))
    click.echo(f"Password of {username} changed." + (f" New password (shown once): {password}" if generated else ""))


@users.command("delete")
@data_dir_option
@click.argument("username")
def delete(data_dir: Path, username: str) -> None:
    """Delete an account; its interactions stay in the audit log."""
    _, directory = _directory(data_dir)
    _guarded(lambda: directory.delete(username))
    click.echo(f"{username} deleted.")


commands = [users]
