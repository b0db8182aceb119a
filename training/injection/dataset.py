"""Every row the injection detector may train on or be measured with, each tagged with family and source.

Sources: `team-written` (templates in attacks.py, benign.py, multilingual.py), `team-procedural`
(procedural.py), `team-faker` (training/ordinary.py), `team-examples`
(sandbox/guards/examples/injection_examples.yaml and injection_holdout.yaml),
`llm-guard` and `giskard` (the tune part of ../shared/eval-dev/injection_dev.jsonl, MIT). Never trained on:
the held-out templates, the translated pairs, injection_unseen.yaml and the eval-dev check part.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from training.generate import expand_all
from training.injection import attacks, benign, multilingual, procedural
from training.ordinary import personal_data_rows

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "sandbox" / "guards" / "examples"
SEED = 14
FAMILIES = attacks.FAMILIES + multilingual.FAMILIES + benign.FAMILIES + multilingual.BENIGN_FAMILIES


def plain_harmful_rows(split: str, seed: int) -> list[dict]:
    """Harmful requests with no jailbreak framing: not injections (the harmful guard's job), so the model learns
    the framing, the suffix or the override, not the topic."""
    from training.harmful.data import rows

    return [dict(r, label=0, family="benign_plain_harmful", language="en")
            for r in rows(split, seed) if r["label"] != "benign"]


def team_rows(split: str, seed: int = SEED) -> list[dict]:
    return (expand_all(FAMILIES, split, seed) + procedural.procedural_rows(split, seed) +
            personal_data_rows(split, seed, 240 if split == "train" else 60) + plain_harmful_rows(split, seed))


def example_rows(name: str, source: str) -> list[dict]:
    data = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    return [{"text": t, "label": label, "family": "examples" if label else "benign_examples", "source": source,
             "template": f"{source}/{i}", "split": "train", "language": "mixed"}
            for label, key in ((1, "attacks"), (0, "benign")) for i, t in enumerate(data.get(key, []))]


def tune_rows() -> list[dict]:
    """The eval-dev tune part only; `benchmarks/devsplit.py` keeps the check part out."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.devsplit import load_split

    sources = {"llm-guard-tests": "llm-guard", "giskard": "giskard"}
    return [{"text": r["text"], "label": int(r["label"]), "family": "eval-dev" if r["label"] else "benign_eval-dev",
             "source": sources.get(r["source"], r["source"]), "template": f"eval-dev/{r['id']}", "split": "train",
             "language": "mixed"} for r in load_split("injection_dev.jsonl", "tune")]


def training_rows(seed: int = SEED) -> list[dict]:
    return (team_rows("train", seed) + example_rows("injection_examples.yaml", "team-examples") +
            example_rows("injection_holdout.yaml", "team-examples") + tune_rows())


def unseen_rows() -> list[dict]:
    return [dict(r, source="team-unseen", family="unseen" if r["label"] else "benign_unseen")
            for r in example_rows("injection_unseen.yaml", "team-unseen")]
