"""spaCy's entity recognizer run only on the sentences that can hold a name: those with a capitalised word that is
not a common sentence opener, or typed in lower case. Business prompts are mostly sentences without one, and NER
is most of a scan's time."""

from __future__ import annotations

import ctypes
import glob
import os

import numpy
from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps

from sandbox.pii.greedy_ner import GreedyNer
from sandbox.pii.recognizers.gazetteer import common_words, known_given, known_surnames, name_form
from sandbox.pii.recognizers.person import NOT_NAMES

SENTENCE_END = {".", "!", "?", ";"}


def sentences(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the doc's sentences: split after . ! ? ; and at line breaks ("Mr." is one token)."""
    spans, start = [], 0
    for i, (text, space) in enumerate(zip(_texts(doc), _spaces(doc))):
        if text in SENTENCE_END or "\n" in text or "\n" in space:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(doc):
        spans.append((start, len(doc)))
    return spans


def _texts(doc: Doc) -> list[str]:
    return [t.text for t in doc]


def _spaces(doc: Doc) -> list[str]:
    return [t.whitespace_ for t in doc]


def _may_name_someone(words: list[str]) -> bool:
    """A sentence's words (letters only) may name someone: a capitalised word that is not a common opener, a known
    given name and surname in lower case ("on the account of joel nyambane"), or a sentence typed in lower case
    (names too, then). A first word that is an everyday word ("Draft a reply") still counts: the French pipeline
    finds names there that no list knows."""
    if not words:
        return False
    if words[0][:1].islower():
        return True
    if any(w[:1].isupper() and w.strip(".,'’") not in NOT_NAMES for w in words):
        return True
    # a known given name then a known name or a word no lexicon holds, in lower case; not "the tone friendly"
    given, surnames, common = known_given(), known_surnames(), common_words()
    return any(b[:1].islower() and name_form(a) in given and (
        name_form(b) in surnames or name_form(b) in given or b not in common)
        for a, b in zip(words, words[1:]))


# Tokens of context on each side of a sentence that may name someone. Both entity recognizers (spaCy's, ours) see
# at most 4 tokens each side through their CNN (depth 4, window 1, or less), plus the tokens the transition system
# looks at: with 6, a sentence's entities are those of a whole-text pass, read from about half the tokens.
MARGIN = 6


def name_runs(flags: list[bool], bounds: list[tuple[int, int]], size: int) -> list[list[int]]:
    """Token runs to read: each flagged sentence with MARGIN tokens of context either side ("a song on this list?
    Lamovec and"); overlapping runs join, so each token is read once."""
    runs: list[list[int]] = []
    for flagged, (start, end) in zip(flags, bounds):
        if not flagged:
            continue
        start, end = max(0, start - MARGIN), min(size, end + MARGIN)
        if runs and runs[-1][1] >= start:
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    return runs


def read_entities(ner: GreedyNer, doc: Doc, flags: list[bool], bounds: list[tuple[int, int]]
                  ) -> list[tuple[int, int, str]]:
    """(start token, end token, label) of the entities the recognizer finds in the flagged sentences, read with their
    context in one batch (the model's fixed cost per call is paid once); an entity wholly in the context of a
    sentence not flagged is left out (a run may start mid-sentence, which the recognizer reads as a start)."""
    runs = name_runs(flags, bounds, len(doc))
    if runs == [[0, len(doc)]]:
        found = ner.entities([doc])[0]
    else:
        parts = [doc[start:end] for start, end in runs]  # spans, not copies (as_doc took 0.6 ms per prompt)
        found = [(start + s, start + e, label) for (start, _), ents in zip(runs, ner.entities(parts))
                 for s, e, label in ents]
    flagged = [bound for bound, flag in zip(bounds, flags) if flag]
    return [(start, end, label) for start, end, label in found
            if any(start < b_end and b_start < end for b_start, b_end in flagged)]


class SparseNer:
    def __init__(self, ner):
        self.ner = ner
        self.greedy = GreedyNer(ner)

    def __call__(self, doc: Doc) -> Doc:
        bounds = sentences(doc)
        alpha = [t.is_alpha for t in doc]
        texts = _texts(doc)
        flags = [_may_name_someone([texts[i] for i in range(start, end) if alpha[i]]) for start, end in bounds]
        entities = []
        for start, end, label in read_entities(self.greedy, doc, flags, bounds):
            entities.append(doc[start:end])
            entities[-1].label_ = label
        doc.set_ents(entities, default="outside")
        return doc


def _single_threaded_openblas() -> bool:
    """Pin numpy's bundled OpenBLAS to one thread; False (keep blis) where it cannot be found. Its worker threads
    spin while they wait: on a busy 2-core machine they made a 200-token scan take 150 ms instead of 15 ms."""
    libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), os.pardir, "numpy.libs", "*openblas*"))
    for path in libs:
        try:
            library = ctypes.CDLL(path)
            for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                         "openblas_set_num_threads"):
                if hasattr(library, name):
                    getattr(library, name)(1)
                    return True
        except OSError:
            continue
    return False


@Language.component("lower_lemma")
def lower_lemma(doc):
    """Lower-cased words as lemmas: all Presidio's context words need, without the tagger and lemmatizer (spaCy's
    entity recognizer has its own embeddings, so the tagger, parser and lemmatizer were pure cost)."""
    if len(doc):
        doc.from_array([LEMMA], doc.to_array([LOWER]))  # one array copy instead of a string lookup per token
    return doc


@Language.factory("sparse_ner")
def make_sparse_ner(nlp: Language, name: str):
    return SparseNer(nlp.get_pipe("ner"))


def sparse_ner(pipeline: Language) -> None:
    """Replace the pipeline's components by the sparse entity recognizer and lower-cased lemmas."""
    if "sparse_ner" in pipeline.pipe_names:
        return
    if _single_threaded_openblas():
        # numpy's OpenBLAS multiplies the recognizer's small matrices about 3x faster than thinc's default blis
        # (NER -25% on a 200-token prompt, the same entities on the dev and benchmark sets).
        ops = NumpyOps(use_blis=False)
        for node in pipeline.get_pipe("ner").model.walk():
            node.ops = ops
    pipeline.add_pipe("sparse_ner", last=True)
    pipeline.select_pipes(enable=["sparse_ner"])
    pipeline.add_pipe("lower_lemma", last=True)
