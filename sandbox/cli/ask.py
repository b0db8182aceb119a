"""`sandbox ask`: one prompt through the same gateway as the playground."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from sandbox.cli.options import acting_user, data_dir_option
from sandbox.cli.startup import load_sandbox, local_model
from sandbox.settings import Settings


@click.command()
@data_dir_option
@click.argument("prompt")
@click.option("--model", "-m", default=None, help="Model name from `sandbox models` (default: the embedded one).")
@click.option("--user", "-u", default=None, help="Who is asking: an account (default: $SANDBOX_USER or your login).")
@click.option("--max-tokens", default=256, show_default=True, help="Longest answer to ask for.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of the answer.")
def ask(data_dir: Path, prompt: str, model: str | None, user: str | None, max_tokens: int, as_json: bool) -> None:
    """Send PROMPT through the policy layer to a model and print the answer.

    Exits 1 when the policy blocked the prompt, 2 when the model failed, 3 when the user has no account.
    """
    from sandbox.gateway import ChatRequest
    from sandbox.llm.registry import ModelRegistry
    from sandbox.store.users import UserDirectory

    settings = Settings.load(data_dir)
    settings.ensure_data_dir()
    user = acting_user(UserDirectory(settings.db_path), user)  # before the model starts: refused at once
    registry = ModelRegistry.from_file(settings.models_file)
    model = model or registry.default_model()
    entry = registry.get(model)
    with local_model(settings, needed=bool(entry and entry.embedded)) as endpoint:
        sandbox = load_sandbox(settings, endpoint)
        request = ChatRequest(user=user, role=sandbox.role_of(user), prompt=prompt, model=model,
                              max_tokens=max_tokens, channel="cli")
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


commands = [ask]
