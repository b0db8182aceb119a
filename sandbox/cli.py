"""The `sandbox` command: serve the playground, ask through the gateway, list models."""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Iterator

import click

from sandbox.cli_options import data_dir_option
from sandbox.settings import Settings



def default_user() -> str:
    return os.environ.get("SANDBOX_USER") or getpass.getuser() or "local"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sandbox")
def cli() -> None:
    """A governed generative-AI sandbox: chat with models through a policy layer that redacts,
    budgets, blocks and logs every interaction."""


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
    from sandbox.llm.registry import ModelsFileError
    from sandbox.policy.loader import PolicyError
    from sandbox.store import StoreError

    try:
        return build_sandbox(settings, **endpoint)
    except PolicyError as exc:
        raise click.ClickException(f"The policy files are invalid; fix them and start again:\n{exc}") from exc
    except (ModelsFileError, StoreError) as exc:
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


@cli.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address the playground listens on.")
@click.option("--port", default=7860, show_default=True, help="Port of the playground.")
def serve(data_dir: Path, host: str, port: int) -> None:
    """Start the embedded model and serve the playground until Ctrl-C."""
    settings = Settings.load(data_dir)
    # SIGTERM unwinds like Ctrl-C so the model server is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo("Starting the embedded model (SmolLM2-135M-Instruct) ...")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with local_model(settings, needed=True, supervised=True) as endpoint:
        from sandbox.ui.server import run_server

        sandbox = load_sandbox(settings, endpoint)
        sandbox.policy.watch()
        first_admin(sandbox)
        click.echo(f"Models available: {', '.join(sandbox.model_names())}")
        click.echo(f"Audit database: {settings.db_path}")
        click.echo(f"Playground on http://{host}:{port}  (Ctrl-C stops it)")
        run_server(sandbox, host=host, port=port)


@cli.command()
@data_dir_option
@click.argument("prompt")
@click.option("--model", "-m", default=None, help="Model name from `sandbox models` (default: the embedded one).")
@click.option("--user", "-u", default=None, help="Who is asking (default: $SANDBOX_USER or your login).")
@click.option("--max-tokens", default=256, show_default=True, help="Longest answer to ask for.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the answer.")
def ask(data_dir: Path, prompt: str, model: str | None, user: str | None, max_tokens: int, as_json: bool) -> None:
    """Send PROMPT through the policy layer to a model and print the answer.

    Exits 1 when the policy blocked the prompt, 2 when the model failed.
    """
    from sandbox.gateway import ChatRequest
    from sandbox.llm.registry import ModelRegistry

    settings = Settings.load(data_dir)
    registry = ModelRegistry.from_file(settings.models_file)
    model = model or registry.default_model()
    entry = registry.get(model)
    with local_model(settings, needed=bool(entry and entry.embedded)) as endpoint:
        sandbox = load_sandbox(settings, endpoint)
        user = user or default_user()
        request = ChatRequest(user=user, role=sandbox.role_of(user), prompt=prompt, model=model,
                              max_tokens=max_tokens)
        if as_json:
            result = sandbox.gateway.handle(request)
            click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        else:
            result = None
            for event in sandbox.gateway.stream(request):
                if isinstance(event, str):
                    click.echo(event, nl=False)
                else:
                    result = event
            click.echo("")
            if result and not result.ok:
                click.echo(f"{result.status}: {result.message}", err=True)
    if result.status == "blocked":
        sys.exit(1)
    if result.status == "error":
        sys.exit(2)


@cli.command()
@data_dir_option
@click.option("--all", "show_all", is_flag=True, help="Also list models whose key or URL is not set.")
def models(data_dir: Path, show_all: bool) -> None:
    """List the models available to the playground (hosted ones need their key or URL set)."""
    from sandbox.llm.registry import ModelRegistry

    registry = ModelRegistry.from_file(Settings.load(data_dir).models_file)
    for entry in registry.all if show_all else registry.available():
        state = "available" if entry.available(registry.env) else "needs " + ", ".join(entry.requires_env)
        click.echo(f"{entry.name}\t{entry.label}\t{state}")


# Commands that live beside their feature; each module exposes `commands`, a list of click commands.
COMMAND_MODULES = ("sandbox.pii.cli", "sandbox.policy.cli", "sandbox.audit_cli", "sandbox.users_cli",
                   "sandbox.feedback_cli")


def _register_feature_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if not exc.name or not name.startswith(exc.name):
                raise
            continue
        for command in module.commands:
            cli.add_command(command)


_register_feature_commands()


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
