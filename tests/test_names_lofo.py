"""Leave-one-family-out for the name model (benchmarks/names_lofo.py): the families cover the training locales, a
left-out locale's names never reach the training data, and the evaluation rows hold only the family's names."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from faker import Faker

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "training" / "pii_ner"))

import names_lofo
import train
from pii_generated import GAZETTEER_LOCALES, HELD_OUT_LOCALES


def name_words(locale: str) -> set[str]:
    words = set()
    for provider in Faker(locale).get_providers():
        if "person" in type(provider).__module__:
            for attr in [a for a in dir(provider) if "first_names" in a or "last_names" in a]:
                for name in getattr(provider, attr):
                    words.update(name.lower().split())
    return words


def test_the_families_split_the_training_and_held_out_locales_exactly():
    families = [loc for locales, _ in names_lofo.FAMILIES.values() for loc in locales]
    held_out = [loc for locales in names_lofo.HELD_OUT_FAMILIES.values() for loc in locales]
    assert sorted(families) == sorted(GAZETTEER_LOCALES) and len(set(families)) == len(families)
    assert sorted(held_out) == sorted(HELD_OUT_LOCALES) and len(set(held_out)) == len(held_out)


def test_left_out_locales_give_no_training_name():
    filler = train.Filler(13, frozenset(GAZETTEER_LOCALES) - {"pl_PL"})
    polish = name_words("pl_PL")
    for _ in range(200):
        words = re.split(r"[ ,]+", filler.person("P", "lower"))
        assert all(w in polish for w in words if len(w.strip(".")) > 1), words


def test_the_evaluation_rows_hold_only_the_family_names():
    polish, rows = name_words("pl_PL"), names_lofo.rows_for(["pl_PL"], 20, 10, 13)
    names = [row["text"][s["start"]:s["end"]] for row in rows for s in row["spans"] if s["type"] == "PERSON"]
    assert len(names) >= 30
    for name in names:
        assert all(w in polish for w in re.split(r"[ ,]+", name.lower()) if len(w.strip(".")) > 1), name
