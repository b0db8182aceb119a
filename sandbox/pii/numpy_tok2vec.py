"""The entity recognizers' token encoder (spaCy's HashEmbedCNN: hashed embeddings of NORM, PREFIX, SUFFIX and SHAPE,
a maxout mix, then residual convolutions), run as one numpy function instead of thinc's tree of layers.

thinc calls about 40 layers per prediction, each building the closure it would need for training; on a 200-token
prompt that overhead was half of the English encoder's 3.9 ms (its five matrix products take 2.0 ms). Here the same
operations run in the same order with thinc's own kernels (its Ops' gemm, hash, gather, window and maxout), except
the first product, folded into the embedding tables at load: the vectors are thinc's to float rounding and the
entities the same (tests/test_pii_speed_paths.py). A model of another shape is refused (ValueError).
"""

from __future__ import annotations

import re

import numpy
from spacy.tokens import Doc, Span

# The chain spaCy builds for Tok2Vec(MultiHashEmbed, MaxoutWindowEncoder) in a parser's model, by layer names.
ARCHITECTURE = re.compile(
    r"extract_features>>list2ragged>>with_array\((?:ints-getitem>>hashembed\|?)+\)>>"
    r"with_array\(maxout>>layernorm>>dropout\)>>ragged2list>>"
    r"with_array\((?:residual\(expand_window>>maxout>>layernorm>>dropout\)(?:>>)?)+\)>>list2array>>linear")


class NumpyTok2Vec:
    def __init__(self, tok2vec):
        if not ARCHITECTURE.fullmatch(tok2vec.name):
            raise ValueError(f"NumpyTok2Vec does not know the encoder {tok2vec.name[:80]}")
        nodes = list(tok2vec.walk())
        named = {name: [n for n in nodes if n.name == name] for name in
                 ("extract_features", "ints-getitem", "hashembed", "maxout", "layernorm", "expand_window",
                  "linear")}
        self.ops = named["maxout"][0].ops
        if any((type(n.ops), getattr(n.ops, "use_blis", None)) != (type(self.ops), getattr(self.ops, "use_blis", None))
               for n in nodes if n.name in ("maxout", "linear")):
            raise ValueError("NumpyTok2Vec runs every product with one kind of Ops; this model mixes them")
        self.columns = named["extract_features"][0].attrs["columns"]
        self.maxouts = [(m.get_param("W").reshape(-1, m.get_dim("nI")), m.get_param("b").reshape(-1),
                         m.get_dim("nO"), m.get_dim("nP")) for m in named["maxout"]]
        # The mix multiplies the concatenated embeddings, each a sum of hashed table rows: multiplying each table by
        # its block of the mix once, here, turns the first product of every call into row sums (4 MB per 1,000 rows).
        mix, blocks, start = self.maxouts[0][0], [], 0
        for getter, embed in zip(named["ints-getitem"], named["hashembed"]):
            table = embed.get_param("E")
            block = mix[:, start:start + table.shape[1]]
            start += table.shape[1]
            blocks.append((getter.attrs["index"], numpy.ascontiguousarray(numpy.dot(table, block.T)),
                           embed.attrs["seed"]))
        if start != mix.shape[1]:
            raise ValueError("NumpyTok2Vec: the embeddings do not fill the mix layer's input")
        self.embeds = blocks
        self.norms = [(n.get_param("G"), n.get_param("b")) for n in named["layernorm"]]
        self.windows = [n.attrs["window_size"] for n in named["expand_window"]]
        self.pad = next(n for n in nodes if n.name.startswith("with_array(residual")).attrs["pad"]
        linear = named["linear"][0]
        self.linear = (linear.get_param("W"), linear.get_param("b"))

    def predict(self, docs: list[Doc | Span]) -> numpy.ndarray:
        """thinc's `tok2vec.predict(docs)`: one row per token of all docs (or spans of one), in order."""
        ops = self.ops
        lengths = [len(doc) for doc in docs]
        if not any(lengths):
            return numpy.zeros((0, self.linear[0].shape[0]), dtype="float32")
        ids = numpy.concatenate(token_rows(docs, self.columns)).astype("uint64", copy=False)
        _, bias, n_out, pieces = self.maxouts[0]
        Y = bias + sum(ops.gather_add(table, ops.hash(ops.as_contig(ids[index], dtype="uint64"), seed)
                                      % table.shape[0]) for index, table, seed in self.embeds)
        mixed = self._norm(ops.maxout(Y.reshape(Y.shape[0], n_out, pieces))[0], self.norms[0])
        # the convolutions see each doc between `pad` zero rows, as thinc's with_array(pad=...) lays them out
        # (an empty doc takes no place)
        parts, start = [], 0
        for n in lengths:
            if n:
                parts += [numpy.zeros((self.pad, mixed.shape[1]), dtype=mixed.dtype), mixed[start:start + n]]
            start += n
        X = numpy.concatenate(parts + [numpy.zeros((self.pad, mixed.shape[1]), dtype=mixed.dtype)])
        for window, maxout, norm in zip(self.windows, self.maxouts[1:], self.norms[1:]):
            X = X + self._norm(self._maxout(ops.seq2col(X, window), maxout), norm)
        rows, offset = [], 0
        for n in lengths:
            if n:
                offset += self.pad
                rows.append(X[offset:offset + n])
                offset += n
        W, b = self.linear
        Y = self.ops.gemm(numpy.concatenate(rows), W, trans2=True)
        Y += b
        return Y

    def _maxout(self, X: numpy.ndarray, layer) -> numpy.ndarray:
        W, b, n_out, pieces = layer
        Y = self.ops.gemm(X, W, trans2=True)
        Y += b
        return self.ops.maxout(Y.reshape(Y.shape[0], n_out, pieces))[0]

    @staticmethod
    def _norm(X: numpy.ndarray, layer) -> numpy.ndarray:
        G, b = layer
        mu = X.mean(axis=1, keepdims=True)
        var = X.var(axis=1, keepdims=True) + 1e-08
        Y = (X - mu) * var ** (-1.0 / 2.0) * G
        Y += b
        return Y


def token_rows(docs: list[Doc | Span], attrs: list) -> list[numpy.ndarray]:
    """Each doc's token attributes, (tokens, attributes); a span's are rows of its doc's (its own Span.to_array
    rejects attribute names), each doc read once however many of its spans are given."""
    whole: dict[int, numpy.ndarray] = {}
    rows = []
    for doc in docs:
        if id(doc.doc) not in whole:
            whole[id(doc.doc)] = doc.doc.to_array(attrs).reshape(len(doc.doc), len(attrs))
        rows.append(whole[id(doc.doc)][doc.start:doc.end] if isinstance(doc, Span) else whole[id(doc.doc)])
    return rows
