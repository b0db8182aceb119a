"""Changing a policy file safely: validate the whole set with the change, keep the old file, write atomically."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from sandbox.files import atomic_open
from sandbox.policy.loader import PolicyError, PolicyProblem, load_policy_set, policy_files

# \Z, not $: `$` also matches before a final newline, which let "a.yaml\n" through.
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.yaml\Z")


def validate_change(directory: Path, name: str, text: str, models: set[str]) -> list[PolicyProblem]:
    """Problems the policy set would have if `name` held `text`; empty when the change is valid."""
    if not FILE_NAME.fullmatch(name):
        return [PolicyProblem(name, 1, "(file)", "a policy file name is letters, digits, - or _, ending in .yaml")]
    target = Path(directory) / name
    paths = sorted(set(policy_files(directory)) | {target})
    try:
        load_policy_set(paths, models, texts={target: text})
    except PolicyError as exc:
        return exc.problems
    return []


def save_policy_file(directory: Path, name: str, text: str, models: set[str], history_dir: Path) -> list[PolicyProblem]:
    """Write the file only if the whole set stays valid; the previous version is copied to `history_dir`."""
    problems = validate_change(directory, name, text, models)
    if problems:
        return problems
    target = Path(directory) / name
    if target.exists():
        history_dir.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
        shutil.copy2(target, history_dir / f"{target.stem}.{stamp}.yaml")
    with atomic_open(target, "w", encoding="utf-8") as out:
        out.write(text)
    return []
