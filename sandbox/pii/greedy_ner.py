"""spaCy's entity recognizer, decoded in numpy: the same network and the same greedy choice of actions, without
spaCy's compiled per-token loop.

That loop multiplies one state at a time through blis, whose wheel selects its slow generic kernels on this
machine's CPU ("libblis: selecting sub-configuration 'generic'"), and takes the GIL at every step: 8 ms of the
English recognizer's 13 ms on a 200-token prompt. Here the states outside an entity, which are almost all of them,
are scored for every token in one matrix product (numpy's OpenBLAS); only the tokens inside an entity are scored one
at a time, as their state depends on where the entity began.

The decoding is spaCy's (spacy/pipeline/_parser_internals/ner.pyx, TransitionBasedParser.v2 with an upper layer):
- a state's features are [the token, the first token of the open entity, the token before] (the last two are the
  padding rows when no entity is open);
- hidden = maxout over pieces of (the three precomputed feature rows + bias); scores = upper layer(hidden);
- the best *valid* action wins: B-X and U-X only outside an entity, B-X never on the last token or before a
  sentence start, neither on a whitespace token; inside an entity of label X only I-X (not on the last token, nor
  before a sentence start) or L-X. Preset entities are not supported: documents must come without entities.
tests/test_pii_speed_paths.py checks that the entities are spaCy's own on real texts.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.tokens import Doc, Span

from sandbox.pii.numpy_tok2vec import NumpyTok2Vec, token_rows


class GreedyNer:
    def __init__(self, ner):
        tok2vec, lower, upper = ner.model.layers
        if not ner.model.attrs.get("has_upper", False) or lower.get_dim("nP") < 2:
            raise ValueError("GreedyNer supports TransitionBasedParser.v2 models with an upper layer and maxout")
        if ner.model.attrs.get("unseen_classes"):
            raise ValueError("GreedyNer does not mask unseen classes; this model has some")
        self.tok2vec = NumpyTok2Vec(tok2vec)  # the encoder in numpy, spans read as rows of their doc; a shape it
        self.lower = lower                    # does not know raises ValueError
        self.weights_t = numpy.ascontiguousarray(upper.get_param("W").T)  # (hidden, classes)
        self.bias = upper.get_param("b")
        names = [ner.moves.get_class_name(i).partition("-") for i in range(ner.moves.n_moves)]
        self.move = [move for move, _, _ in names]
        self.label = [label for _, _, label in names]
        named = numpy.array([bool(label) for label in self.label])
        moves = numpy.array(self.move)
        # valid actions outside an entity: on whitespace only O; B also needs a next token in the same sentence
        self.outside = {"space": moves == "O",
                        "end": (moves == "O") | (moves == "U") & named,
                        "any": (moves == "O") | ((moves == "U") | (moves == "B")) & named}
        self.inside = {(label, more): numpy.array([lab == label and (m == "L" or m == "I" and more)
                                                   for m, lab in zip(self.move, self.label)])
                       for label in set(self.label) if label for more in (True, False)}

    def entities(self, docs: list[Doc | Span]) -> list[list[tuple[int, int, str]]]:
        """(start token, end token, label) of each doc's or span's entities, a span read as a doc of its own."""
        if not any(len(doc) for doc in docs):
            return [[] for _ in docs]
        cached = self.lower.predict(self.tok2vec.predict(docs))  # (tokens + 1, features, hidden, pieces), pad first
        pad, rows = cached[0], cached[1:]
        bias = self.lower.get_param("b")
        closed = self._scores(rows[:, 0] + pad[1] + pad[2] + bias)
        found, offset = [], 0
        for doc, flags in zip(docs, token_rows(docs, [IS_SPACE, SENT_START])):
            found.append(self._decode(doc, flags, rows[offset:offset + len(doc)], bias,
                                      closed[offset:offset + len(doc)]))
            offset += len(doc)
        return found

    def _scores(self, unmaxed: numpy.ndarray) -> numpy.ndarray:
        # The maxout, piece by piece: numpy's max(axis=-1) loops per element over so short an axis (0.45 ms of 0.5
        # on a 200-token prompt); the maximum is exact either way.
        hidden = unmaxed[..., 0]
        for piece in range(1, unmaxed.shape[-1]):
            hidden = numpy.maximum(hidden, unmaxed[..., piece])
        return hidden @ self.weights_t + self.bias

    @staticmethod
    def _best(scores: numpy.ndarray, valid: numpy.ndarray) -> numpy.ndarray:
        """spaCy's arg_max_if_valid: the first best-scoring valid action."""
        return numpy.argmax(numpy.where(valid, scores, -numpy.inf), axis=-1)

    def _decode(self, doc: Doc | Span, flags, rows, bias, closed) -> list[tuple[int, int, str]]:
        """`flags`: each token's (IS_SPACE, SENT_START)."""
        n = len(doc)
        if not n:
            return []
        if doc.doc.has_annotation("ENT_IOB"):
            raise ValueError("GreedyNer reads documents without preset entities")
        more = numpy.zeros(n, dtype=bool)  # B and I need a next token that does not start a sentence
        more[:-1] = flags[1:, 1] != 1
        kind = numpy.where(flags[:, 0] != 0, 0, numpy.where(more, 2, 1))
        valid = numpy.stack([self.outside["space"], self.outside["end"], self.outside["any"]])[kind]
        action = self._best(closed, valid)  # each token's action if no entity is open there
        found, i = [], 0
        while i < n:
            move, label = self.move[action[i]], self.label[action[i]]
            if move == "B":
                start, i = i, i + 1
                while i < n:
                    scores = self._scores(rows[i, 0] + rows[start, 1] + rows[i - 1, 2] + bias)
                    i += 1
                    if self.move[self._best(scores, self.inside[label, bool(more[i - 1])])] == "L":
                        break
                found.append((start, i, label))
            elif move == "U":
                found.append((i, i + 1, label))
                i += 1
            else:
                i += 1
        return found
