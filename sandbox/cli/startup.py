"""What `serve` and `ask` share: the embedded model for the command's lifetime, the sandbox built from settings
with readable errors, and the first admin account."""

from __future__ import annotations

import contextlib
from typing import Iterator

import click

from sandbox.settings import Settings


@contextlib.contextmanager
def local_model(settings: Settings, needed: bool, supervised: bool = False) -> Iterator[dict]:
    """How to reach the embedded model, as build_sandbox's keyword arguments: SANDBOX_LOCAL_MODEL_URL if set,
    else a server started (and one completion tried) for this command; `supervised` restarts it when it dies."""
    from sandbox.llm.local_server import LocalModelError, LocalModelServer
    from sandbox.llm.supervisor import ModelSupervisor

    if settings.local_model_url or not needed:
        yield {"local_url": settings.local_model_url}
        return
    server = LocalModelServer(log_path=settings.ensure_data_dir() / "local-model.log")
    runner = ModelSupervisor(server) if supervised else server
    try:
        runner.start()
    except LocalModelError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        yield {"local_url": server.url, "local_key": server.api_key,
               **({"unavailable_reason": runner.unavailable_reason, "model_status": runner.status}
                  if supervised else {})}
    finally:
        runner.stop()


def load_sandbox(settings: Settings, endpoint: dict):
    """Build the sandbox, turning configuration and storage problems into a readable message."""
    from sandbox.app import build_sandbox
    from sandbox.audit.chain import AuditKeyError
    from sandbox.llm.registry import ModelsFileError
    from sandbox.policy.loader import PolicyError
    from sandbox.store import StoreError

    try:
        return build_sandbox(settings, **endpoint)
    except PolicyError as exc:
        raise click.ClickException(f"The policy files are invalid; fix them and start again:\n{exc}") from exc
    except (ModelsFileError, StoreError, AuditKeyError) as exc:
        raise click.ClickException(str(exc)) from exc


def first_admin(sandbox) -> None:
    """On the very first start, create an admin whose random password is printed once, here only."""
    from sandbox.store.users import new_password

    if sandbox.users.count():
        return
    password = new_password()
    sandbox.users.add("admin", "admin", password)
    click.echo("First start: created the account 'admin'. Its password, shown only this once: "
               f"{password}\nSign in with it, then add accounts in the Users tab or with `sandbox users add`.")
