"""`sandbox models`: the models this machine can offer."""

from __future__ import annotations

from pathlib import Path

import click

from sandbox.cli.options import data_dir_option
from sandbox.settings import Settings


@click.command()
@data_dir_option
@click.option("--all", "show_all", is_flag=True, help="Also list models whose key or URL is not set.")
def models(data_dir: Path, show_all: bool) -> None:
    """List the models available to the playground (hosted ones need their key or URL set)."""
    from sandbox.llm.registry import ModelRegistry

    registry = ModelRegistry.from_file(Settings.load(data_dir).models_file)
    for entry in registry.all if show_all else registry.available():
        state = "available" if entry.available(registry.env) else "needs " + ", ".join(entry.requires_env)
        click.echo(f"{entry.name}\t{entry.label}\t{state}")


commands = [models]
