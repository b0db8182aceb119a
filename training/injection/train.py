"""Train the injection/jailbreak detector and write sandbox/guards/models/injection.npz.

    PYTHONPATH=$PWD python -m training.injection.train [--seed 14] [--out PATH]

Seeded end to end (data generation, folds, solver). The operating point (0.5 after the shift) is chosen on
out-of-fold scores of the training rows, grouped by template, at <= 5% false alarms on the hard benign negatives
(see `counted_benign`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sandbox.guards.injection import DENSE, MODEL_PATH, model_inputs
from training.fit import SEED, choose_offset, fit, train_command
from training.injection.dataset import training_rows

CLASSES = ["benign", "attack"]
MAX_FPR = 0.05


def inputs(rows: list[dict]) -> tuple[list[str], np.ndarray, list[str]]:
    views, dense = [], []
    for row in rows:
        view, cues, _, _ = model_inputs(row["text"])
        views.append(view)
        dense.append(cues)
    return views, np.asarray(dense, dtype=np.float32), [CLASSES[row["label"]] for row in rows]


EASY = {"benign_plain_harmful", "benign_general", "benign_office", "benign_personal_data"}


def counted_benign(rows: list[dict]) -> np.ndarray:
    """Benign rows the false-alarm budget is set on: the hard negatives. Left out: ordinary prompts (easy, they
    would dilute the budget) and plain harmful requests (negatives here so the model learns framing rather than
    topic; blocking them is the harmful guard's job)."""
    return np.array([r["family"] not in EASY for r in rows])


def train(seed: int = SEED, out: Path | None = None, operating_point: dict | None = None):
    rows = training_rows(seed)
    views, dense, labels = inputs(rows)
    if operating_point is None:
        operating_point = choose_offset(views, labels, dense, CLASSES, DENSE, [r["template"] for r in rows],
                                        MAX_FPR, seed, hard=counted_benign(rows))
    header = {"detector": "injection", "offset": operating_point["offset"], "operating_point": operating_point}
    return fit(views, labels, dense, CLASSES, DENSE, seed, header, out), operating_point


def main() -> None:
    train_command(train, MODEL_PATH, __doc__)


if __name__ == "__main__":
    main()
