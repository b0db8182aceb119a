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

from sandbox.pii.recognizers.gazetteer import common_words, known_given, known_surnames, name_form
from sandbox.pii.recognizers.person import NOT_NAMES

SENTENCE_END = {".", "!", "?", ";"}


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    spans, start = [], 0
    for token in doc:
        if token.text in SENTENCE_END or "\n" in token.text or "\n" in token.whitespace_:
            spans.append((start, token.i + 1))
            start = token.i + 1
    if start < len(doc):
        spans.append((start, len(doc)))
    return spans


def _may_name_someone(doc: Doc, start: int, end: int) -> bool:
    """A capitalised word that is not a common opener, a known given name and surname in lower case ("on the
    account of joel nyambane"), or a sentence typed in lower case (names too, then)."""
    words = [t for t in doc[start:end] if t.is_alpha]
    if words and words[0].text[:1].islower():
        return True
    given, surnames = known_given(), known_surnames()
    if any(t.text[:1].isupper() and t.text.strip(".,'’") not in NOT_NAMES for t in words):
        return True
    # a known given name then a known name or a word no lexicon holds, in lower case ("joel nyambane"); not "the
    # tone friendly"
    common = common_words()
    return any(b.text[:1].islower() and name_form(a.text) in given and (
        name_form(b.text) in surnames or name_form(b.text) in given or b.text not in common)
        for a, b in zip(words, words[1:]))


class SparseNer:
    def __init__(self, ner):
        self.ner = ner

    def __call__(self, doc: Doc) -> Doc:
        runs: list[list[int]] = []
        sentences = _sentences(doc)
        for index, (start, end) in enumerate(sentences):
            if not _may_name_someone(doc, start, end):
                continue
            if index:  # the sentence before gives the recognizer its context ("a song on this list? Lamovec and")
                start = sentences[index - 1][0]
            if runs and runs[-1][1] >= start:
                runs[-1][1] = end  # neighbouring sentences share one pass, and each other's context
            else:
                runs.append([start, end])
        entities = []
        parts = [doc[start:end].as_doc() for start, end in runs]
        # one batch for all runs: the model's fixed cost per call (~1.5 ms) is paid once
        for (start, _), part in zip(runs, self.ner.pipe(parts, batch_size=max(1, len(parts)))):
            for ent in part.ents:
                entities.append(doc[start + ent.start:start + ent.end])
                entities[-1].label_ = ent.label_
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
