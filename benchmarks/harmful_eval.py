"""How the harmful-request classifier does on requests it was not trained on, per category. Prints JSON.

    PYTHONPATH=$PWD nice -n 5 python benchmarks/harmful_eval.py [--quick]

- heldout: the shipped model on objectives, framings and look-alikes written apart and never trained on:
  per category, TPR (flagged at the shipped operating point), category accuracy among flagged requests, and the
  false-alarm rate on that category's benign look-alikes; plus held-out ordinary prompts.
- grouped_cv: 5 folds grouped by objective (a request's framings stay together) over the training rows, each
  fold retrained; the operating point is the shipped model's (chosen on training rows only).
- plain_sentences: false alarms on the 500 ordinary sentences of ../shared/eval-dev/pii_en_dev.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.devsplit import EVAL_DEV  # noqa: E402
from sandbox.guards.harmful import BENIGN, CATEGORIES, MODEL_PATH  # noqa: E402
from sandbox.guards.text_cues import model_view  # noqa: E402
from sandbox.guards.text_model import TextModel  # noqa: E402
from training.fit import SEED, fit  # noqa: E402
from training.harmful.train import CLASSES, training_rows  # noqa: E402


def predict(model: TextModel, rows: list[dict], offset: float) -> tuple[np.ndarray, list[str]]:
    if not rows:
        return np.zeros(0, dtype=bool), []
    p = model.probabilities(model.features([model_view(r["text"]) for r in rows]))
    raw = np.clip(1 - p[:, 0], 1e-7, 1 - 1e-7)
    shifted = 1 / (1 + np.exp(-(np.log(raw / (1 - raw)) - offset)))
    return shifted >= 0.5, [model.classes[1 + i] for i in p[:, 1:].argmax(axis=1)]


def per_category(rows: list[dict], flagged: np.ndarray, named: list[str]) -> dict:
    report = {}
    for category in CATEGORIES:
        harmful = [i for i, r in enumerate(rows) if r["label"] == category]
        lookalike = [i for i, r in enumerate(rows) if r["label"] == BENIGN and r["family"] == category]
        caught = [i for i in harmful if flagged[i]]
        report[category] = {
            "requests": len(harmful), "tpr": round(len(caught) / len(harmful), 4) if harmful else None,
            "category_accuracy": round(sum(named[i] == category for i in caught) / len(caught), 4) if caught else None,
            "lookalikes": len(lookalike),
            "lookalike_fpr": round(float(np.mean([flagged[i] for i in lookalike])), 4) if lookalike else None}
    harmful = [i for i, r in enumerate(rows) if r["label"] != BENIGN]
    matched = [i for i, r in enumerate(rows) if r["label"] == BENIGN and r["family"] in CATEGORIES]
    ordinary = [i for i, r in enumerate(rows) if r["label"] == BENIGN and r["family"] not in CATEGORIES]
    report["all"] = {"requests": len(harmful), "tpr": round(float(np.mean(flagged[harmful])), 4),
                     "matched_lookalikes": len(matched), "lookalike_fpr": round(float(np.mean(flagged[matched])), 4),
                     "ordinary_prompts": len(ordinary),
                     "ordinary_fpr": round(float(np.mean(flagged[ordinary])), 4) if ordinary else None}
    return report


def grouped_cv(rows: list[dict], offset: float, seed: int, folds: int = 5) -> dict:
    flagged, named = np.zeros(len(rows), dtype=bool), [""] * len(rows)
    groups = [r["template"] for r in rows]
    for train, test in GroupKFold(n_splits=folds).split(rows, groups=groups):
        model = fit([model_view(rows[i]["text"]) for i in train], [rows[i]["label"] for i in train], None, CLASSES,
                    [], seed)
        got, names = predict(model, [rows[i] for i in test], offset)
        flagged[test] = got
        for i, name in zip(test, names):
            named[i] = name
    return per_category(rows, flagged, named)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="Skip the cross-validation retraining.")
    args = parser.parse_args()
    model = TextModel.load(MODEL_PATH)
    heldout = training_rows(args.seed, "heldout")
    flagged, named = predict(model, heldout, model.offset)
    report = {"benchmark": "harmful_eval", "artefact": str(MODEL_PATH.relative_to(ROOT)),
              "operating_point": model.header["operating_point"], "heldout": per_category(heldout, flagged, named)}
    plain = EVAL_DEV / "pii_en_dev.jsonl"
    if plain.exists():
        rows = [{"text": json.loads(line)["text"]} for line in plain.open(encoding="utf-8")]
        report["plain_sentences"] = {"rows": len(rows),
                                     "fpr": round(float(np.mean(predict(model, rows, model.offset)[0])), 4)}
    if not args.quick:
        report["grouped_cv"] = grouped_cv(training_rows(args.seed), model.offset, args.seed)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
