"""Train the harmful-request classifier and write sandbox/guards/models/harmful.npz.

    PYTHONPATH=$PWD python -m training.harmful.train [--seed 14] [--out PATH]

Classes: benign + the categories in sandbox/guards/harmful.py. Rows: training/harmful/data.py (requests and
look-alikes, `train` split) and the injection set's benign prompts (training/injection/benign.py and
multilingual.py) and Faker prompts with personal data (training/ordinary.py), so ordinary office prompts
stay benign. The operating point (0.5 after the shift) is chosen
on out-of-fold scores grouped by goal, at <= 8% false alarms on the matched look-alikes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sandbox.guards.harmful import BENIGN, CATEGORIES, MODEL_PATH
from sandbox.guards.text_cues import model_view
from training.fit import SEED, choose_offset, fit, train_command
from training.generate import expand_all
from training.harmful.data import rows as harmful_rows
from training.injection import benign, multilingual
from training.ordinary import personal_data_rows

CLASSES = [BENIGN] + CATEGORIES
MAX_FPR = 0.08  # on matched look-alikes (the goal is <= 0.10)


def training_rows(seed: int = SEED, split: str = "train") -> list[dict]:
    ordinary = expand_all(benign.FAMILIES + multilingual.BENIGN_FAMILIES, split, seed) + \
        personal_data_rows(split, seed, 240 if split == "train" else 60)
    return harmful_rows(split, seed) + [dict(r, label=BENIGN, family="ordinary") for r in ordinary]


def train(seed: int = SEED, out: Path | None = None, operating_point: dict | None = None):
    rows = training_rows(seed)
    views, labels = [model_view(r["text"]) for r in rows], [r["label"] for r in rows]
    if operating_point is None:
        lookalikes = np.array([r["label"] == BENIGN and r["family"] in CATEGORIES for r in rows])
        operating_point = choose_offset(views, labels, None, CLASSES, [], [r["template"] for r in rows], MAX_FPR,
                                        seed, hard=lookalikes)
    header = {"detector": "harmful", "offset": operating_point["offset"], "operating_point": operating_point}
    return fit(views, labels, None, CLASSES, [], seed, header, out), operating_point


def main() -> None:
    train_command(train, MODEL_PATH, __doc__)


if __name__ == "__main__":
    main()
