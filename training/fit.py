"""One seeded fit for both detectors: TF-IDF char_wb 2-5 + word 1-2 n-grams, dense cues, logistic regression.

`fit` returns a loaded `TextModel`, so evaluation scores exactly what the guard will ship; `choose_offset`
sets the operating point on out-of-fold scores of the training rows (grouped by template), never on eval data.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from sandbox.guards.text_model import TextModel, export

SEED = 14
SETTINGS = {"char_max_features": 40000, "word_max_features": 15000, "min_df": 2, "C": 8.0}


def fit(views: list[str], labels: list, dense: np.ndarray | None, classes: list[str], dense_names: list[str],
        seed: int = SEED, header: dict | None = None, path: Path | None = None) -> TextModel:
    """Fit on model views (already normalised text) and write the artefact to `path` (a temp file if None)."""
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False, sublinear_tf=True,
                           min_df=SETTINGS["min_df"], max_features=SETTINGS["char_max_features"], dtype=np.float32)
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), lowercase=False, sublinear_tf=True,
                           min_df=SETTINGS["min_df"], max_features=SETTINGS["word_max_features"], dtype=np.float32)
    parts = [char.fit_transform(views), word.fit_transform(views)]
    if dense_names:
        parts.append(sparse.csr_matrix(dense))
    x = sparse.hstack(parts, format="csr")
    y = np.array([classes.index(label) for label in labels])
    model = LogisticRegression(C=SETTINGS["C"], class_weight="balanced", max_iter=3000, random_state=seed,
                               solver="liblinear" if len(classes) == 2 else "lbfgs")
    model.fit(x, y)
    meta = {"classes": classes, "dense": dense_names, "seed": seed, "rows": len(views), "settings": SETTINGS,
            "offset": 0.0, **(header or {})}
    with tempfile.TemporaryDirectory() as tmp:
        target = path or Path(tmp) / "model.npz"
        export(target, meta, [char, word], model.coef_, model.intercept_)
        return TextModel.load(target)


def positive_scores(model: TextModel, views: list[str], dense: np.ndarray | None) -> np.ndarray:
    """P(not the first class): attack for the injection model, any harm for the harmful one."""
    return 1.0 - model.probabilities(model.features(views, dense))[:, 0]


def choose_offset(views, labels, dense, classes, dense_names, groups, max_fpr: float, seed: int = SEED,
                  folds: int = 5, hard: np.ndarray | None = None) -> dict:
    """The log-odds shift that puts 0.5 where out-of-fold benign rows (only the `hard` ones, if given) have at
    most `max_fpr` false alarms."""
    oof = np.zeros(len(views))
    y = np.array([classes.index(label) for label in labels])
    for train, test in GroupKFold(n_splits=folds).split(views, y, groups):
        model = fit([views[i] for i in train], [labels[i] for i in train],
                    dense[train] if dense is not None else None, classes, dense_names, seed)
        oof[test] = positive_scores(model, [views[i] for i in test], dense[test] if dense is not None else None)
    negatives = (y == 0) if hard is None else (y == 0) & hard
    benign = np.sort(oof[negatives])
    cut = benign[min(len(benign) - 1, int(math.floor((1 - max_fpr) * len(benign))))]
    threshold = float(min(max(cut + 1e-6, 0.05), 0.95))
    tpr = float(np.mean(oof[y != 0] >= threshold))
    fpr = float(np.mean(oof[negatives] >= threshold))
    return {"threshold": round(threshold, 6), "offset": round(math.log(threshold / (1 - threshold)), 6),
            "oof_tpr": round(tpr, 4), "oof_fpr": round(fpr, 4), "folds": folds, "max_fpr": max_fpr}


def train_command(train, model_path, doc: str) -> None:
    """The command line both training scripts share: --seed and --out, then a JSON summary of the artefact."""
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=model_path)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model, point = train(args.seed, args.out)
    print(json.dumps({"artefact": str(args.out), "bytes": args.out.stat().st_size, "rows": model.header["rows"],
                      "features": len(model.names), "operating_point": point}, indent=2))
