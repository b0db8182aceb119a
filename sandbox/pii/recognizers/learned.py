"""Person names from the small NER we train on generated text (training/pii_ner/train.py), shipped as package data.

spaCy's news pipelines were trained on edited text: they miss names typed in lower case, given names alone and names
from cultures their data rarely held. This model was trained on Faker names of many locales in many casings, with
organisations, places and products as negatives; it only ADDS PERSON spans to what the pipelines find.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import spacy
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

from sandbox.pii.recognizers.gazetteer import (at_sentence_start, common_words, known_given, known_places,
                                               known_surnames, name_form)
from sandbox.pii.recognizers.person import LABELS, NOT_NAMES

MODEL = Path(__file__).resolve().parent.parent / "data" / "name_ner"
SCORE = 0.5


@lru_cache(maxsize=1)
def name_model():
    """(pipeline, its recognizer decoded in numpy), loaded once per process; a missing or broken model raises OSError,
    which blocks the engine (fail closed)."""
    from thinc.api import NumpyOps

    from sandbox.pii.greedy_ner import GreedyNer
    from sandbox.pii.sparse_ner import _single_threaded_openblas

    nlp = spacy.load(MODEL)
    if _single_threaded_openblas():  # as for the pipelines' recognizer: faster on small matrices, no spinning threads
        for node in nlp.get_pipe("ner").model.walk():
            node.ops = NumpyOps(use_blis=False)
    return nlp, GreedyNer(nlp.get_pipe("ner"))


class LearnedNameRecognizer(EntityRecognizer):
    def __init__(self, supported_language: str = "en"):
        super().__init__(supported_entities=["PERSON"], supported_language=supported_language,
                         name=f"LearnedName_{supported_language}")

    def load(self) -> None:
        name_model()

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        results, lower_text = [], not any(c.isupper() for c in text)
        for ent in self._entities(text):
            tokens = [t for t in ent if not t.is_punct]
            while tokens and not name_like(tokens[0].text):  # "notify Kınel Korutürk", "holder ivka jakopović"
                tokens = tokens[1:]
            while tokens and not name_like(tokens[-1].text):  # "Julie this", "John have both"
                tokens = tokens[:-1]
            if not tokens or len(tokens) == 1 and not _known(tokens[0].text) and (
                    at_sentence_start(text, tokens[0].idx) or tokens[0].text.islower() and not lower_text):
                continue  # "Objet" opening a line, a lone lower-case word in cased text: the guess is not enough
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            results.append(RecognizerResult("PERSON", start, end, SCORE,
                                            AnalysisExplanation(self.name, SCORE, pattern_name="learned")))
        return results

    @staticmethod
    def _entities(text: str) -> list:
        """The model's entities over the whole text (its context), skipped when no word may be a name: no
        capitalised word but openers and common words, no word that no lexicon or list holds."""
        if not any(_candidate(w) for w in WORD.findall(text)):
            return []
        nlp, ner = name_model()
        doc = nlp.make_doc(text)
        return [doc[start:end] for start, end, _ in ner.entities([doc])[0]]


WORD = re.compile(r"[^\W\d_][\w'’-]*")
NAME_SHAPE = re.compile(r"[^\W\d_](?:[^\W\d_]|['’.-])*")


def _candidate(word: str) -> bool:
    if word[:1].isupper():
        return word not in NOT_NAMES and (word.lower() not in common_words() or name_form(word) in known_given()
                                          or name_form(word) in known_surnames())
    return word not in common_words() and word not in EN_STOP and word not in FR_STOP


def _known(word: str) -> bool:
    form = name_form(word)
    return form in known_given() or form in known_surnames()


def written_as_a_name(word: str, shortest_acronym: int = 6) -> bool:
    """Letters as a name part is written, never a function word, a title, a label, or an acronym shorter than
    `shortest_acronym` letters that is no known name."""
    low = word.lower()
    if not NAME_SHAPE.fullmatch(word):
        return False  # letters with inner apostrophes, hyphens or dots only: not "chart](http://host/x.png?d"
    if not word[:1].isalpha() or low in EN_STOP or low in FR_STOP or word in NOT_NAMES or word in LABELS:
        return False  # "Date:" opening a line is a label
    return not (word.isupper() and len(word) < shortest_acronym and not _known(word))  # "IBAN", "SIREN"


def name_like(text: str) -> bool:
    """A word that can be part of a name: a known name that is no common word, or a word no list knows at all
    (English web text, French forms, places), written as a name; never a function word or an acronym."""
    word = text.strip(".")
    if not written_as_a_name(word):
        return False
    low = word.lower()
    common = low in common_words() or name_form(word) in known_places()
    # a known given name counts in any case ("joel nyambane"); a surname that is also a word only capitalised
    return not common or name_form(word) in known_given() or _known(word) and not word.islower()
