"""Leave-one-family-out (LOFO) for the person-name NER (sandbox/pii/data/name_ner/): does it find names of a naming
family it never saw in training?

For each family F below, the model is trained exactly as training/pii_ner/train.py does (same templates, seed, sentence
count and epochs, the eval-dev *tune* rows included) but with F's Faker locales left out of the training names
(`--exclude-locales`), into a temporary directory: the shipped model is never touched. It is then run alone (no rules,
no gazetteer, no post-filter) on evaluation sentences whose names all come from F's locales: the English and French
templates of benchmarks/pii_generated.py that hold a {PERSON} or {GIVEN} slot, in its shapes and casings. Beside it,
on the same sentences: the model trained on all 30 locales with the same settings ("full"), the shipped model, and
vanilla spaCy NER (sandbox/pii/engine.SPACY_MODELS, told the row's language, its PERSON/PER entities) as a baseline.
The held-out locales (never in any training run) are reported by family too, for the full model, the shipped one,
vanilla spaCy and, where a training family matches, that family's LOFO model.

A name counts as found when >= 90% of its non-space characters are covered (benchmarks/pii_eval.protected, the
eval-dev README's rule: initials and titles may stay).

Usage: python benchmarks/names_lofo.py [--sentences 6000] [--epochs 8] [--seed 13] [--rows-en 300] [--rows-fr 200]
                                       [--families french,slavic] [--control-seeds 14] [--keep-models DIR [--reuse]]
                                       [--train-args "..."]   -- prints JSON
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import spacy
from faker import Faker
from pii_eval import coverage, protected
from pii_generated import (
    EN_TEMPLATES,
    FR_TEMPLATES,
    GAZETTEER_LOCALES,
    HELD_OUT_LOCALES,
    ROMANIZED,
    Values,
    build_row,
    fixed_hash_seed,
)

from sandbox.pii.engine import SPACY_MODELS

# Naming families of the 30 training locales: (locales, why they belong together).
FAMILIES = {
    "anglophone": (["en_US", "en_GB", "en_PH", "it_CH"],
                   "English names; Faker's en_PH and it_CH have no name lists of their own and draw en_US's"),
    "french": (["fr_FR", "fr_CA", "fr_CH"], "French names of France, Quebec and Romandy"),
    "romance_other": (["es_ES", "es_MX", "pt_BR", "pt_PT", "it_IT", "ro_RO"],
                      "Spanish, Portuguese, Italian, Romanian: Latin roots, compound given names, particles (da, de)"),
    "germanic": (["de_DE", "de_AT", "nl_NL", "sv_SE", "da_DK", "no_NO"],
                 "German, Dutch, Scandinavian: Germanic roots, -sen/-son patronymics, van/de particles"),
    "slavic": (["pl_PL", "cs_CZ"], "West Slavic: diacritics (ł, ř, ě), -ski/-ová/-ek endings"),
    "uralic_turkic": (["fi_FI", "hu_HU", "tr_TR"], "Finnish, Hungarian, Turkish: agglutinative non-Indo-European names"),
    "south_southeast_asian": (["en_IN", "vi_VN", "id_ID"], "Indian, Vietnamese and Indonesian names"),
    "african": (["yo_NG", "zu_ZA", "en_NG"], "Yoruba, Zulu, Nigerian (en_NG: English given names, Yoruba surnames)"),
}
# The held-out locales by the same families (for reading only; none of them is ever trained on).
HELD_OUT_FAMILIES = {
    "african": ["tw_GH", "ig_NG", "ha_NG", "en_KE"], "slavic": ["sk_SK", "hr_HR", "sl_SI"],
    "uralic_turkic": ["et_EE", "az_AZ"], "romance_other": ["es_CO", "es_AR"], "germanic": ["de_CH", "nl_BE", "is_IS"],
    "french": ["fr_BE"], "baltic": ["lt_LT", "lv_LV"], "celtic": ["ga_IE"], "anglophone": ["sq_AL", "mt_MT"],
}
PERSON_LABELS = {"PERSON", "PER"}
NAMED_EN = [t for t in EN_TEMPLATES if "{PERSON}" in t or "{GIVEN}" in t]
NAMED_FR = [t for t in FR_TEMPLATES if "{PERSON}" in t or "{GIVEN}" in t]


class FamilyValues(Values):
    """pii_generated.Values whose person names all come from the given locales (romanized lists for ja_JP/zh_CN)."""

    def __init__(self, seed: int, locales: list[str], romanized: bool = False):
        super().__init__(seed)
        self.locales, self.romanized = locales, romanized

    def _names(self) -> tuple[str, str, str]:
        f = self.faker(self.rng.choice(self.locales))
        if self.romanized:
            return f.first_romanized_name(), f.last_romanized_name(), "romanized"
        return f.first_name(), f.last_name(), "family"


def rows_for(locales: list[str], n_en: int, n_fr: int, seed: int, romanized: bool = False) -> list[dict]:
    values, rng, rows = FamilyValues(seed, locales, romanized), random.Random(seed), []
    for language, templates, n in (("en", NAMED_EN, n_en), ("fr", NAMED_FR, n_fr)):
        for i in range(n):
            rows.append(build_row(templates[i % len(templates)], values, language, f"{language}-{i}",
                                  lower=rng.random() < 0.12))
    return rows


def same_names_as_en_us(locales: list[str]) -> list[str]:
    """Locales whose Faker draws the very names en_US draws under the same seed (no name list of their own)."""
    def draws(locale: str) -> list[str]:
        f = Faker(locale)
        f.seed_instance(7)
        return [f"{f.first_name()} {f.last_name()}" for _ in range(20)]
    reference = draws("en_US")
    return [locale for locale in locales if locale != "en_US" and draws(locale) == reference]


def score(rows: list[dict], spans_of) -> dict:
    total, found = Counter(), Counter()
    for row in rows:
        covered = coverage(row["text"], spans_of(row))
        for span in row["spans"]:
            if span["type"] != "PERSON":
                continue
            hit = protected(row["text"], span, covered)
            for key in ("all", f"lang:{row['language']}", f"shape:{span['shape'].split('/')[0]}"):
                total[key] += 1
                found[key] += hit
    return {k: round(found[k] / n, 3) for k, n in sorted(total.items())} | {"names": total["all"]}


def by_model(scores: dict) -> dict:
    """{"names": n, model: {key: share}}: the name count once, the same for every model."""
    names = {v.pop("names") for v in scores.values()}
    assert len(names) == 1
    return {"names": names.pop(), **scores}


def learned(path: Path):
    nlp = spacy.load(path)
    return lambda row: [(e.start_char, e.end_char) for e in nlp(row["text"]).ents if e.label_ == "PERSON"]


def vanilla():
    pipelines = {lang: spacy.load(name) for lang, name in SPACY_MODELS.items()}
    return lambda row: [(e.start_char, e.end_char) for e in pipelines[row["language"]](row["text"]).ents
                        if e.label_ in PERSON_LABELS]


def train(args, out: Path, exclude: list[str], seed: int | None = None) -> float | None:
    if args.reuse and (out / "training_report.json").exists():
        return None  # trained by an earlier run with --keep-models into the same directory
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "training" / "pii_ner" / "train.py"), "--sentences",
                    str(args.sentences), "--epochs", str(args.epochs), "--seed", str(seed or args.seed), "--out",
                    str(out), "--exclude-locales", ",".join(exclude), *args.train_args.split()],
                   check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - start, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--rows-en", type=int, default=300)
    parser.add_argument("--rows-fr", type=int, default=200)
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--keep-models", type=Path, help="Write the models here instead of a temporary directory.")
    parser.add_argument("--reuse", action="store_true", help="With --keep-models: do not retrain models found there.")
    parser.add_argument("--control-seeds", default="14",
                        help="Also train the full model with these seeds: the spread from the seed alone.")
    parser.add_argument("--train-args", default="", help="Extra options passed to train.py for every run.")
    args = parser.parse_args()
    fixed_hash_seed()
    families = args.families.split(",")
    assert sorted(loc for locs, _ in FAMILIES.values() for loc in locs) == sorted(GAZETTEER_LOCALES)
    assert sorted(loc for locs in HELD_OUT_FAMILIES.values() for loc in locs) == sorted(HELD_OUT_LOCALES)
    with tempfile.TemporaryDirectory(prefix="names_lofo_") as tmp:
        base = args.keep_models or Path(tmp)
        seconds = {"full": train(args, base / "full", [])}
        controls = [int(s) for s in args.control_seeds.split(",") if s]
        for seed in controls:
            seconds[f"full_seed{seed}"] = train(args, base / f"full_seed{seed}", [], seed)
        for family in families:
            seconds[family] = train(args, base / family, FAMILIES[family][0])
        shipped = ROOT / "sandbox" / "pii" / "data" / "name_ner"
        same_as_shipped = (base / "full" / "ner" / "model").read_bytes() == (shipped / "ner" / "model").read_bytes()
        models = {"full": learned(base / "full"), **{f"full_seed{s}": learned(base / f"full_seed{s}") for s in controls},
                  "shipped": learned(shipped), "vanilla_spacy": vanilla()}
        result = {"families": {}, "held_out": {}}
        for family in families:
            rows = rows_for(FAMILIES[family][0], args.rows_en, args.rows_fr, args.seed)
            scores = {"lofo": score(rows, learned(base / family))}
            scores |= {name: score(rows, model) for name, model in models.items()}
            result["families"][family] = {"locales": FAMILIES[family][0], "reason": FAMILIES[family][1],
                                          "train_seconds": seconds[family], **by_model(scores)}
        held = {**HELD_OUT_FAMILIES, "romanized_ja_zh": ROMANIZED, "all_held_out": HELD_OUT_LOCALES}
        for group, locales in held.items():
            rows = rows_for(locales, args.rows_en, args.rows_fr, args.seed, romanized=group == "romanized_ja_zh")
            scores = {name: score(rows, model) for name, model in models.items()}
            if group in families:
                scores["lofo_" + group] = score(rows, learned(base / group))
            result["held_out"][group] = {"locales": locales, **by_model(scores)}
    print(json.dumps({
        "command": "python benchmarks/names_lofo.py " + " ".join(sys.argv[1:]), "seed": args.seed,
        "training": {"sentences": args.sentences, "epochs": args.epochs, "extra_train_args": args.train_args,
                     "seconds": seconds,
                     "full_model_identical_to_shipped": same_as_shipped},
        "evaluation_rows_per_set": {"en": args.rows_en, "fr": args.rows_fr},
        "locales_drawing_en_US_names": same_names_as_en_us(GAZETTEER_LOCALES + HELD_OUT_LOCALES),
        "found": "share of names with >= 90% of their non-space characters covered by the model's PERSON spans",
        **result}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
