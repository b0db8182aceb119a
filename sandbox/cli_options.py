"""Options every `sandbox` command shares, defined once for the main CLI and the feature modules."""

from __future__ import annotations

from pathlib import Path

import click

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), envvar="SANDBOX_DATA_DIR", default="data",
    show_default=True, help="Directory for the database and everything the sandbox writes.",
)
