"""Seeded expansion of written templates into training rows: templates x slot values, each row tagged.

A template is a string with {slot} fields; every family keeps two lists of templates, `train` and `heldout`
(written separately, never trained on), so evaluation measures phrasing the model has not seen.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field


@dataclass
class Family:
    name: str
    label: int | str  # 1/0 for injection, a category name for harmful requests
    train: list[str]
    heldout: list[str]
    slots: dict[str, list[str]] = field(default_factory=dict)
    per_template: int = 6
    language: str = "en"


def fill(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return template.format(**{name: rng.choice(slots[name]) for name in names})


def expand(family: Family, split: str, rng: random.Random, source: str = "team-written") -> list[dict]:
    """Rows of one family from its `train` or `heldout` templates, duplicates dropped."""
    rows, seen = [], set()
    for number, template in enumerate(getattr(family, split)):
        for _ in range(family.per_template):
            text = fill(template, family.slots, rng)
            if text in seen:
                continue
            seen.add(text)
            rows.append({"text": text, "label": family.label, "family": family.name, "source": source,
                         "template": f"{family.name}/{split}/{number}", "split": split,
                         "language": family.language})
    return rows


def expand_all(families: list[Family], split: str, seed: int) -> list[dict]:
    rng = random.Random(f"{seed}:{split}")
    return [row for family in families for row in expand(family, split, rng)]
