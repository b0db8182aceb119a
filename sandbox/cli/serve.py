"""`sandbox serve`: the embedded model (supervised) and the playground, until Ctrl-C."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

import click

from sandbox.cli.options import data_dir_option
from sandbox.cli.startup import first_admin, load_sandbox, local_model
from sandbox.settings import Settings


@click.command()
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
        click.echo(f"Audit database: {settings.database_label}")
        click.echo(f"Playground on http://{host}:{port}  (Ctrl-C stops it)")
        run_server(sandbox, host=host, port=port)


commands = [serve]
