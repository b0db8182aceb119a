"""Train the small person-name NER shipped as sandbox/pii/data/name_ner/ (spaCy, PERSON only, EN and FR).

    python training/pii_ner/train.py [--sentences 6000] [--epochs 8] [--seed 13] [--exclude-locales de_DE,nl_NL]
                                     [--out DIR]

`--exclude-locales` leaves those Faker locales out of the training *names* (benchmarks/names_lofo.py uses it for
leave-one-family-out runs; the distractors' en_US/fr_FR fakers are unchanged); `--out` writes elsewhere than the
shipped model. With neither, the data and the model are the shipped ones.

Data, all generated here from a fixed seed: training/pii_ner/templates.py (worded apart from the evaluation templates)
filled with Faker (MIT) names of benchmarks/pii_generated.GAZETTEER_LOCALES only (the evaluation's held-out locales
and romanized names stay unseen), in several casings, with organisations, places, products, jobs and dates as
negatives; plus the *tune* half of eval-dev (benchmarks/devsplit.py; presidio-research, MIT), PERSON spans only.
Writes the model and training_report.json (losses, data counts) next to it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import spacy
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from faker import Faker  # noqa: E402
from pii_generated import GAZETTEER_LOCALES, fixed_hash_seed  # noqa: E402
from templates import DAYS_EN, DAYS_FR, EN, FR, MONTHS_EN, MONTHS_FR, PRODUCTS  # noqa: E402

OUT = ROOT / "sandbox" / "pii" / "data" / "name_ner"
SLOT = re.compile(r"\{([A-Z]+)\}")
CONFIG = {"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
                    "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "nO": None,
                    "tok2vec": {"@architectures": "spacy.HashEmbedCNN.v2", "pretrained_vectors": None, "width": 64,
                                "depth": 3, "embed_size": 3000, "window_size": 1, "maxout_pieces": 3,
                                "subword_features": True}}}


# --no-word-identity: the same network without the NORM (whole word) embedding, only prefix, suffix and shape, so
# the model cannot learn names by heart and must read context and spelling (spaCy's HashEmbedCNN is this Tok2Vec with
# NORM added).
NO_NORM_TOK2VEC = {"@architectures": "spacy.Tok2Vec.v2",
                   "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64,
                             "attrs": ["PREFIX", "SUFFIX", "SHAPE"], "rows": [1500, 1500, 1500],
                             "include_static_vectors": False},
                   "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "depth": 3,
                              "window_size": 1, "maxout_pieces": 3}}


class MarkovNames:
    """Made-up names from an order-3 character chain over the given and family names of the training locales only
    (so a left-out family's spelling stays unseen), for `--synthetic-names`."""

    def __init__(self, fakers):
        self.next: dict[str, list[str]] = {}
        for f in fakers:
            for provider in f.get_providers():
                for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
                    for name in getattr(provider, attr, ()) if "person" in type(provider).__module__ else ():
                        padded = "^^^" + name.lower() + "$"
                        for i in range(3, len(padded)):
                            self.next.setdefault(padded[i - 3:i], []).append(padded[i])
        for key in self.next:
            self.next[key].sort()  # set-free and ordered: the same seed draws the same names

    def draw(self, rng: random.Random) -> str:
        while True:
            word = "^^^"
            while word[-1] != "$" and len(word) < 18:
                word += rng.choice(self.next[word[-3:]])
            name = word[3:].rstrip("$")
            if word[-1] == "$" and 3 <= len(name) <= 12 and " " not in name:
                return name[0].upper() + name[1:]


class Filler:
    def __init__(self, seed: int, exclude: frozenset[str] = frozenset(), synthetic: float = 0.0):
        self.rng = random.Random(seed)
        self.fakers = {}
        for i, locale in enumerate(GAZETTEER_LOCALES):  # all of them, so the seeds do not move when some are left out
            self.fakers[locale] = Faker(locale)
            self.fakers[locale].seed_instance(seed + i)
        self.en, self.fr = self.fakers["en_US"], self.fakers["fr_FR"]
        self.name_locales = [locale for locale in GAZETTEER_LOCALES if locale not in exclude]
        self.synthetic, self.chain = synthetic, MarkovNames(self.fakers[locale] for locale in self.name_locales)

    def person(self, kind: str, casing: str) -> str:
        f = self.fakers[self.rng.choice(self.name_locales)]
        given, surname = f.first_name(), f.last_name()
        if self.synthetic and self.rng.random() < self.synthetic:  # a name no locale holds: context must carry it
            given, surname = self.chain.draw(self.rng), self.chain.draw(self.rng)
        if kind == "G":
            value = given
        elif kind == "S":
            value = surname
        else:
            roll = self.rng.random()
            value = (f"{given} {self.rng.choice('ABCDEHJKLMRST')}. {surname}" if roll < 0.2 else
                     f"{surname}, {given}" if roll < 0.27 else f"{given} {surname}")
        return value.lower() if casing == "lower" else value.upper() if casing == "upper" else value

    def other(self, kind: str, french: bool) -> str:
        f = self.fr if french and self.rng.random() < 0.6 else self.en
        return {"ORG": lambda: f.company(), "CITY": lambda: f.city(), "COUNTRY": lambda: f.country(),
                "JOB": lambda: f.job().split(",")[0], "PRODUCT": lambda: self.rng.choice(PRODUCTS),
                "DAY": lambda: self.rng.choice(DAYS_FR if french else DAYS_EN),
                "MONTH": lambda: self.rng.choice(MONTHS_FR if french else MONTHS_EN)}[kind]()


def sentence(template: str, filler: Filler, french: bool) -> tuple[str, list[tuple[int, int]]]:
    roll = filler.rng.random()
    casing = "lower" if roll < 0.2 else "upper" if roll < 0.25 else "title"
    text, spans, pos = "", [], 0
    for match in SLOT.finditer(template):
        text += template[pos:match.start()]
        kind = match.group(1)
        value = filler.person(kind, casing) if kind in ("P", "G", "S") else filler.other(kind, french)
        if kind in ("P", "G", "S"):
            spans.append((len(text), len(text) + len(value)))
        text += value
        pos = match.end()
    text += template[pos:]
    if filler.rng.random() < 0.1:  # everything typed in lower case
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return text, spans


def dev_tune_examples() -> list[tuple[str, list[tuple[int, int]]]]:
    from devsplit import load_split

    return [(row["text"], [(s["start"], s["end"]) for s in row["spans"] if s["type"] == "PERSON"])
            for row in load_split("pii_en_dev.jsonl", "tune")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=6000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=OUT, help="Where to write the model (default: the package data).")
    parser.add_argument("--exclude-locales", default="", help="Comma-separated Faker locales whose names stay out.")
    parser.add_argument("--synthetic-names", type=float, default=0.0,
                        help="Share of person names replaced by made-up ones (MarkovNames); 0 = the shipped data.")
    parser.add_argument("--no-word-identity", action="store_true",
                        help="Embed prefix, suffix and shape only (NO_NORM_TOK2VEC); off = the shipped network.")
    args = parser.parse_args()
    exclude = frozenset(filter(None, args.exclude_locales.split(",")))
    if exclude - set(GAZETTEER_LOCALES) or exclude >= set(GAZETTEER_LOCALES):
        parser.error(f"--exclude-locales must name some, not all, of {GAZETTEER_LOCALES}")
    fixed_hash_seed()  # Faker draws some lists from sets
    fix_random_seed(args.seed)
    filler = Filler(args.seed, exclude, args.synthetic_names)
    data = []
    for i in range(args.sentences):
        french = i % 5 >= 3  # 40% French
        data.append(sentence(filler.rng.choice(FR if french else EN), filler, french))
    data += dev_tune_examples()
    nlp = spacy.blank("xx")
    config = {"model": {**CONFIG["model"], "tok2vec": NO_NORM_TOK2VEC}} if args.no_word_identity else CONFIG
    ner = nlp.add_pipe("ner", config=config)
    ner.add_label("PERSON")
    examples = []
    for text, spans in data:
        doc = nlp.make_doc(text)
        ents = [s for s in (doc.char_span(a, b, label="PERSON", alignment_mode="expand") for a, b in spans) if s]
        examples.append(Example.from_dict(doc, {"entities": [(e.start_char, e.end_char, "PERSON") for e in
                                                             spacy.util.filter_spans(ents)]}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(args.seed)
    losses_by_epoch = []
    for epoch in range(args.epochs):
        rng.shuffle(examples)
        losses = {}
        for batch in minibatch(examples, size=32):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
        losses_by_epoch.append(round(float(losses["ner"]), 1))
        print(f"epoch {epoch + 1}: loss {losses['ner']:.1f}", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    report = {"seed": args.seed, "sentences_generated": args.sentences, "dev_tune_rows": len(data) - args.sentences,
              "epochs": args.epochs, "loss_by_epoch": losses_by_epoch, "spacy": spacy.__version__}
    if exclude:
        report["excluded_locales"] = sorted(exclude)
    if args.synthetic_names:
        report["synthetic_names"] = args.synthetic_names
    if args.no_word_identity:
        report["no_word_identity"] = True
    (args.out / "training_report.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
