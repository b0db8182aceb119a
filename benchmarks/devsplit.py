"""The one split of ../shared/eval-dev into a *tune* part and a *check* part, fixed by a seed.

A row's side depends only on the seed and its id (a hash), not on file order, so the split never moves when rows
are added elsewhere. Misses may be read on the tune part only; the check part is reported, never read row by row,
and only the tune part may train a model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

EVAL_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "eval-dev"
SEED = 20261130
TUNE_FRACTION = 0.5


def side(row_id, seed: int = SEED, tune_fraction: float = TUNE_FRACTION) -> str:
    digest = hashlib.sha256(f"{seed}:{row_id}".encode()).digest()
    return "tune" if int.from_bytes(digest[:8], "big") / 2**64 < tune_fraction else "check"


def load_split(name: str, part: str) -> list[dict]:
    """Rows of eval-dev/NAME (e.g. 'pii_en_dev.jsonl') on one side: part is 'tune' or 'check'."""
    if part not in ("tune", "check"):
        raise ValueError("part is 'tune' or 'check'")
    rows = [json.loads(line) for line in (EVAL_DEV / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if side(row["id"]) == part]
