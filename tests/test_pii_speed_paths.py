"""The faster paths of the PII scan find exactly what the plain ones find (real spaCy pipelines, no mocks)."""

from __future__ import annotations

import pytest
import spacy

from sandbox.pii.engine import SPACY_MODELS, shared_engines
from sandbox.pii.sparse_ner import lower_lemma
from sandbox.pii.greedy_ner import GreedyNer
from sandbox.pii.recognizers.learned import name_model
from sandbox.pii.sparse_ner import SparseNer, _single_threaded_openblas

TEXTS = [
    "Hello, I am writing for Margaret Olsen, who lives at 42 Harbor View Road, Springfield.",
    "Please ask thomas becker to call back on +44 20 7946 0958 before Friday.",
    "The budget is on track. Could you suggest a structure with headings?",
    "Le client Jean Dupont habite au 18 rue des Tilleuls, 69003 Lyon.",
]


@pytest.fixture(scope="module")
def pipelines():
    analyzer, _ = shared_engines()
    return analyzer.nlp_engine.nlp


def test_lemmas_are_the_lower_cased_words(pipelines):
    doc = pipelines["en"]("Call Marie DUPONT at HOME about the Invoice.")
    assert [t.lemma_ for t in doc] == [t.lower_ for t in doc]
    assert "dupont" in [t.lemma_ for t in doc]
    assert len(lower_lemma(pipelines["en"].make_doc(""))) == 0


def test_entity_recognizer_uses_numpy_blas_when_pinned(pipelines):
    ner = pipelines["en"].get_pipe("sparse_ner").ner
    uses_blis = {getattr(node.ops, "use_blis", None) for node in ner.model.walk()}
    assert uses_blis == ({False} if _single_threaded_openblas() else {True})


@pytest.mark.parametrize("language", ["en", "fr"])
def test_same_entities_as_thinc_default_blas(pipelines, language):
    reference = spacy.load(SPACY_MODELS[language])  # thinc's default ops (blis), as shipped
    plain, fast = SparseNer(reference.get_pipe("ner")), pipelines[language].get_pipe("sparse_ner")
    assert getattr(reference.get_pipe("ner").model.ops, "use_blis", True) is True
    found = 0
    for text in TEXTS:
        expected = [(e.start_char, e.end_char, e.label_) for e in plain(reference.make_doc(text)).ents]
        actual = [(e.start_char, e.end_char, e.label_) for e in fast(pipelines[language].make_doc(text)).ents]
        assert actual == expected
        found += len(actual)
    assert found > 0  # the comparison saw entities, not only empty lists


GREEDY_TEXTS = TEXTS + [
    "On 12 March 2024 Olga Petrenko of Acme Corp paid $1,200 for 3 licences in New York.",
    "  Dr.  Amara   Okafor-Bello\n\nand  Jean-Luc Picard met the United Nations team on Friday at 5 pm.",
    "Grace", "", "   ", "Mr. John Ronald Reuel Tolkien wrote The Hobbit.\nChapter One. Sarah Connor",
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_numpy_decoding_gives_spacys_entities(pipelines, language):
    """The numpy decoding (sandbox/pii/greedy_ner.py) chooses spaCy's actions: the same entities, token for token,
    on single texts and on a batch (long entities, whitespace tokens, a one-word text, an empty one)."""
    nlp = pipelines[language]
    ner = nlp.get_pipe("ner")
    greedy = GreedyNer(ner)
    docs = [nlp.make_doc(text) for text in GREEDY_TEXTS]
    expected = [[(e.start, e.end, e.label_) for e in ner(nlp.make_doc(doc.text)).ents] for doc in docs]
    assert [greedy.entities([doc])[0] for doc in docs] == expected
    assert greedy.entities(docs) == expected
    assert sum(map(len, expected)) >= 4
    assert any(end - start >= 3 for ents in expected for start, end, _ in ents)  # an entity walked inside


def test_the_name_model_is_decoded_as_spacy_decodes_it():
    nlp, greedy = name_model()
    for text in GREEDY_TEXTS + ["ask jaroslav nowak and brigita about it", "Thanks, Oyelaran Adebayo-Smith."]:
        doc = nlp.make_doc(text)
        assert greedy.entities([doc])[0] == [(e.start, e.end, e.label_) for e in nlp(text).ents]


def test_sentences_read_with_their_context_find_what_a_whole_text_pass_finds(pipelines):
    """The sparse recognizer reads only sentences that may name someone, with a few tokens either side: the people
    it finds there are those spaCy's recognizer finds reading the whole text."""
    text = ("The quarterly revenue grew by four percent. The warehouse team will move the count. "
            "Maria Lopez asked whether the invoice can be paid. We should compare the two offers on price. "
            "The marketing plan includes a webinar. Peter Jansen from the Berlin office will present the budget. "
            "Customer feedback mentions slow response times. I met amara okafor yesterday.")
    nlp = pipelines["en"]
    sparse = nlp.get_pipe("sparse_ner")
    whole = [(e.start_char, e.end_char) for e in sparse.ner(nlp.make_doc(text)).ents if e.label_ == "PERSON"]
    found = [(e.start_char, e.end_char) for e in sparse(nlp.make_doc(text)).ents if e.label_ == "PERSON"]
    assert found == whole and len(found) >= 2


@pytest.mark.parametrize("which", ["en", "fr", "names"])
def test_numpy_encoder_gives_thincs_token_vectors(pipelines, which):
    """The encoder run in numpy (sandbox/pii/numpy_tok2vec.py) is what the recognizers use, and its vectors are
    thinc's up to float rounding (its first product is folded into the embedding tables), for one doc or a batch."""
    import numpy

    from sandbox.pii.numpy_tok2vec import NumpyTok2Vec

    nlp = name_model()[0] if which == "names" else pipelines[which]
    greedy = name_model()[1] if which == "names" else nlp.get_pipe("sparse_ner").greedy
    assert isinstance(greedy.tok2vec, NumpyTok2Vec)
    thinc_encoder = nlp.get_pipe("ner").model.layers[0]
    docs = [nlp.make_doc(text) for text in GREEDY_TEXTS if text.strip()]
    for batch in [[doc] for doc in docs] + [docs]:
        expected, actual = thinc_encoder.predict(batch), greedy.tok2vec.predict(batch)
        assert actual.shape == expected.shape
        assert numpy.abs(actual - expected).max() < 1e-4 * max(1.0, numpy.abs(expected).max())


def test_numpy_encoder_refuses_a_shape_it_does_not_know():
    from thinc.api import Linear, chain

    from sandbox.pii.numpy_tok2vec import NumpyTok2Vec

    with pytest.raises(ValueError):
        NumpyTok2Vec(chain(Linear(4, 4), Linear(4, 4)))
