"""`sandbox keys create|list|revoke`: personal API keys for the OpenAI-compatible API."""

from __future__ import annotations

from pathlib import Path

import click

from sandbox.cli.options import data_dir_option, readably
from sandbox.settings import Settings


def _service(data_dir: Path):
    from sandbox.api.keys import ApiKeyService
    from sandbox.policy.active import build_policy
    from sandbox.store.api_keys import ApiKeyStore
    from sandbox.store.users import UserDirectory

    settings = Settings.load(data_dir)
    policy, _ = build_policy(settings)
    return ApiKeyService(ApiKeyStore(settings.database), UserDirectory(settings.database), policy)


def _run(action):
    from sandbox.store.api_keys import ApiKeyError

    return readably(action, ApiKeyError, PermissionError)


@click.group()
def keys() -> None:
    """Create, list and revoke personal API keys (the /v1 OpenAI-compatible API)."""


@keys.command("create")
@data_dir_option
@click.option("--user", required=True, help="Whose key it is; the key acts with that account's role.")
@click.option("--name", default="", help="A label to recognise the key by (e.g. 'laptop IDE').")
@click.option("--expires-days", type=click.IntRange(min=1), default=None, help="Days until it stops working.")
def create(data_dir: Path, user: str, name: str, expires_days: int | None) -> None:
    """Create a key and print it once; only its id and a hash are kept."""
    key, secret = _run(lambda: _service(data_dir).create(None, user, name, expires_days))
    click.echo(secret)
    click.echo(f"Key {key.id} for {key.user}" + (f" ('{key.name}')" if key.name else "") +
               (f", expires {key.expires_at[:10]}" if key.expires_at else ", no expiry") +
               ". It is shown only this once: store it now.", err=True)


@keys.command("list")
@data_dir_option
@click.option("--user", default=None, help="Only this user's keys.")
def list_keys(data_dir: Path, user: str | None) -> None:
    """List keys: id, user, label, state, created, last used, expiry (never the key)."""
    for key in _service(data_dir).list(None, user):
        click.echo("\t".join([key.id, key.user, key.name or "-", key.state(), key.created_at[:19],
                              (key.last_used_at or "never")[:19], (key.expires_at or "no expiry")[:19]]))


@keys.command("revoke")
@data_dir_option
@click.argument("key_id")
def revoke(data_dir: Path, key_id: str) -> None:
    """Revoke a key: the next call with it is refused."""
    key = _run(lambda: _service(data_dir).revoke(None, key_id))
    click.echo(f"Revoked key {key.id} of {key.user}.")


commands = [keys]
