"""How the injection detector does on data it was not trained on. Prints JSON.

    PYTHONPATH=$PWD nice -n 5 python benchmarks/injection_eval.py [--quick]

- heldout: the shipped model on templates written apart and never trained on, per family (TPR on attacks,
  false-alarm rate on benign hard negatives), and on sandbox/guards/examples/injection_unseen.yaml.
- leave_one_family_out: retrain without one attack family, measure TPR on all of that family's rows; the
  operating point of each retrained model is chosen on its own training rows (3-fold, grouped by template).
- leave_one_source_out: retrain without one source, measure on that source's rows.
- eval_dev: tune part (trained on, so in-sample) and check part (never trained on; aggregate figures only).
- french_pairs: English attacks and their French translations (never trained on).
- plain_sentences: false alarms on the 500 ordinary sentences of ../shared/eval-dev/pii_en_dev.jsonl.
- threshold_sweep: the same decision at other policy thresholds, aggregates only (never used to pick one).
The decision is the guard's: max(rule score, shifted model score) >= 0.5; rule-only and model-only are shown too,
and `pipeline`: blocked by the injection guard or the harmful-request guard (both at the shipped 0.5), which is
what `sandbox check` decides with the default policy (every harmful category blocks for employees).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.devsplit import EVAL_DEV, load_split  # noqa: E402
from sandbox.guards.harmful import MODEL_PATH as HARMFUL_PATH  # noqa: E402
from sandbox.guards.injection import DENSE, MODEL_PATH, model_inputs  # noqa: E402
from sandbox.guards.text_model import TextModel  # noqa: E402
from training.fit import SEED, choose_offset, fit  # noqa: E402
from training.injection.dataset import team_rows, training_rows, unseen_rows  # noqa: E402
from training.injection.multilingual import TRANSLATED_PAIRS  # noqa: E402
from training.injection.train import CLASSES, EASY, MAX_FPR, counted_benign  # noqa: E402

_INPUTS: dict[str, tuple] = {}
_HARMFUL: dict[str, float] = {}
HARMFUL = TextModel.load(HARMFUL_PATH)


def harmful_score(text: str) -> float:
    """The shipped harmful guard's score (its model never sees injection attacks in training)."""
    if text not in _HARMFUL:
        p = HARMFUL.probabilities(HARMFUL.features([inputs(text)[0]]))[0]
        _HARMFUL[text] = HARMFUL.shifted(float(1 - p[0]))
    return _HARMFUL[text]


def inputs(text: str) -> tuple:
    if text not in _INPUTS:
        _INPUTS[text] = model_inputs(text)
    return _INPUTS[text]


def scores(model: TextModel, rows: list[dict], offset: float | None = None) -> dict[str, np.ndarray]:
    if not rows:
        return {name: np.zeros(0) for name in ("guard", "model", "rules", "pipeline")}
    got = [inputs(r["text"]) for r in rows]
    x = model.features([g[0] for g in got], np.asarray([g[1] for g in got], dtype=np.float32))
    raw = model.probabilities(x)[:, 1]
    shift = model.offset if offset is None else offset
    learned = 1 / (1 + np.exp(-(np.log(np.clip(raw, 1e-7, 1 - 1e-7) / np.clip(1 - raw, 1e-7, 1)) - shift)))
    rules = np.array([g[2] for g in got])
    guard = np.maximum(rules, learned)
    harmful = np.array([harmful_score(r["text"]) for r in rows])
    return {"guard": guard, "model": learned, "rules": rules, "pipeline": np.maximum(guard, harmful)}


def rate(flags: np.ndarray) -> float | None:
    return round(float(np.mean(flags)), 4) if len(flags) else None


def summary(model: TextModel, rows: list[dict], offset: float | None = None) -> dict:
    s = scores(model, rows, offset)
    labels = np.array([r["label"] for r in rows])
    out = {"rows": len(rows), "attacks": int(labels.sum()), "benign": int((labels == 0).sum())}
    for name, values in s.items():
        out[name] = {"tpr": rate(values[labels == 1] >= 0.5), "fpr": rate(values[labels == 0] >= 0.5)}
    return out


def sweep(model: TextModel, sets: dict[str, list[dict]], thresholds=(0.3, 0.4, 0.5, 0.6, 0.7)) -> dict:
    """Guard decision at other policy thresholds (0.5 is the shipped operating point): aggregates only."""
    report = {}
    for name, rows in sets.items():
        s = scores(model, rows)["guard"]
        labels = np.array([r["label"] for r in rows])
        report[name] = {str(t): {"tpr": rate(s[labels == 1] >= t), "fpr": rate(s[labels == 0] >= t)}
                        for t in thresholds}
    return report


def by_family(model: TextModel, rows: list[dict]) -> dict:
    families = sorted({r["family"] for r in rows})
    return {f: summary(model, [r for r in rows if r["family"] == f]) for f in families}


def retrain(rows: list[dict], seed: int) -> tuple[TextModel, float]:
    got = [inputs(r["text"]) for r in rows]
    views, dense = [g[0] for g in got], np.asarray([g[1] for g in got], dtype=np.float32)
    labels = [CLASSES[r["label"]] for r in rows]
    point = choose_offset(views, labels, dense, CLASSES, DENSE, [r["template"] for r in rows], MAX_FPR, seed,
                          folds=3, hard=counted_benign(rows))
    return fit(views, labels, dense, CLASSES, DENSE, seed), point["offset"]


def leave_one_out(train: list[dict], heldout: list[dict], key: str, values: list[str], seed: int) -> dict:
    benign_heldout = [r for r in heldout if r["label"] == 0]
    report = {}
    for value in values:
        model, offset = retrain([r for r in train if r[key] != value], seed)
        target = [r for r in train + heldout if r[key] == value]
        report[value] = {"left_out": summary(model, target, offset),
                         "benign_heldout_fpr": summary(model, benign_heldout, offset)["guard"]["fpr"]}
        print(f"{key}={value}: {report[value]['left_out']['guard']}", file=sys.stderr)
    return report


def french_pairs(model: TextModel) -> dict:
    en = scores(model, [{"text": e} for e, _ in TRANSLATED_PAIRS])["guard"] >= 0.5
    fr = scores(model, [{"text": f} for _, f in TRANSLATED_PAIRS])["guard"] >= 0.5
    return {"pairs": len(TRANSLATED_PAIRS), "english_tpr": rate(en), "french_tpr": rate(fr),
            "french_missed_where_english_caught": [f for (e, f), a, b in zip(TRANSLATED_PAIRS, en, fr) if a and not b]}


def eval_dev(model: TextModel) -> dict:
    if not (EVAL_DEV / "injection_dev.jsonl").exists():
        return {"missing": str(EVAL_DEV / "injection_dev.jsonl")}
    # The check part is scored as a whole: no row, text or miss is printed.
    return {part: summary(model, [{"text": r["text"], "label": int(r["label"])}
                                  for r in load_split("injection_dev.jsonl", part)]) for part in ("tune", "check")}


def plain_sentences(model: TextModel) -> dict | str:
    path = EVAL_DEV / "pii_en_dev.jsonl"
    if not path.exists():
        return f"missing: {path}"
    rows = [{"text": json.loads(line)["text"], "label": 0} for line in path.open(encoding="utf-8")]
    return summary(model, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--quick", action="store_true", help="Skip the leave-one-out retraining.")
    args = parser.parse_args()
    model = TextModel.load(MODEL_PATH)
    train, heldout, unseen = training_rows(args.seed), team_rows("heldout", args.seed), unseen_rows()
    report = {
        "benchmark": "injection_eval", "artefact": str(MODEL_PATH.relative_to(ROOT)), "seed": args.seed,
        "operating_point": model.header["operating_point"], "training_rows": len(train),
        "heldout_all": summary(model, heldout), "heldout_by_family": by_family(model, heldout),
        "unseen_examples": summary(model, unseen), "eval_dev": eval_dev(model),
        "french_pairs": french_pairs(model), "plain_sentences": plain_sentences(model),
    }
    hard = [r for r in heldout if r["label"] == 1 or r["family"] not in EASY]
    plain_path = EVAL_DEV / "pii_en_dev.jsonl"
    report["threshold_sweep"] = sweep(model, {
        "heldout_attacks_and_hard_benign": hard, "unseen_examples": unseen,
        **({"plain_sentences": [{"text": json.loads(line)["text"], "label": 0}
                                for line in plain_path.open(encoding="utf-8")]} if plain_path.exists() else {})})
    report["heldout_hard_benign_fpr"] = summary(model, [r for r in hard if r["label"] == 0])["guard"]["fpr"]
    if not args.quick:
        attack_families = sorted({r["family"] for r in train if r["label"] == 1})
        report["leave_one_family_out"] = leave_one_out(train, heldout, "family", attack_families, args.seed)
        sources = sorted({r["source"] for r in train})
        report["leave_one_source_out"] = leave_one_out(train, heldout, "source", sources, args.seed)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
