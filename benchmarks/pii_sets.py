"""The PII evaluation sets, each a list of {id, text, language, spans:[{type, start, end, shape?}]} rows.

- dev_tune / dev_check: ../shared/eval-dev/pii_en_dev.jsonl split by benchmarks/devsplit.py (read misses of tune
  only; check is reported, never read row by row);
- generated_en / generated_fr: Faker values in many locales and shapes (benchmarks/pii_generated.py);
- fr_natural: French letters, HR notes and court-style text written by hand (benchmarks/data/fr_natural.txt);
- fr_check: the short French sentences of tests/data/fr_pii_check.jsonl;
- mixed: 200 prompts in both languages, each a generated English row and a generated French row joined by a blank
  line (English first in half of them), the way a French letter is pasted into an English request.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
FR_NATURAL = HERE / "data" / "fr_natural.txt"
FR_CHECK = HERE.parent / "tests" / "data" / "fr_pii_check.jsonl"
MARK = re.compile(r"\[\[(?:([A-Z_]+):)?(.+?)\]\]", re.S)


def parse_marked(text: str) -> tuple[str, list[dict]]:
    """'M. [[Bernhardt]] au [[PHONE_NUMBER:06 12]]' -> plain text and its spans (PERSON when no type is given)."""
    plain, spans, pos = "", [], 0
    for match in MARK.finditer(text):
        plain += text[pos:match.start()]
        value = match.group(2)
        spans.append({"type": match.group(1) or "PERSON", "start": len(plain), "end": len(plain) + len(value)})
        plain += value
        pos = match.end()
    return plain + text[pos:], spans


def fr_natural() -> list[dict]:
    body = "\n".join(line for line in FR_NATURAL.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#"))
    rows = []
    for i, chunk in enumerate(c.strip() for c in re.split(r"(?m)^---$", body)):
        if chunk:
            text, spans = parse_marked(chunk)
            rows.append({"id": f"fr-natural-{i}", "text": text, "language": "fr", "spans": spans})
    return rows


def mixed(english: list[dict], french: list[dict], count: int = 200) -> list[dict]:
    rows = []
    for i, (en, fr) in enumerate(zip(english[:count], french[:count])):
        first, second = (en, fr) if i % 2 == 0 else (fr, en)
        offset = len(first["text"]) + 2
        rows.append({"id": f"mixed-{i}", "text": first["text"] + "\n\n" + second["text"],
                     "language": first["language"],
                     "spans": first["spans"] + [{**span, "start": span["start"] + offset, "end": span["end"] + offset}
                                                for span in second["spans"]]})
    return rows


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def all_sets() -> dict[str, list[dict]]:
    from devsplit import load_split
    from pii_generated import generate

    generated = generate()
    english = [r for r in generated if r["language"] == "en"]
    french = [r for r in generated if r["language"] == "fr"]
    return {
        "dev_tune": load_split("pii_en_dev.jsonl", "tune"),
        "dev_check": load_split("pii_en_dev.jsonl", "check"),
        "generated_en": english,
        "generated_fr": french,
        "fr_natural": fr_natural(),
        "fr_check": load_jsonl(FR_CHECK),
        "mixed": mixed(english, french),
    }
