"""A small linear text classifier loaded from a plain .npz artefact: TF-IDF over character and word n-grams,
a few dense cues, and logistic-regression weights. No pickle: the file holds arrays and a JSON header only.

Training lives in training/ (scikit-learn fits the vocabulary, idf and weights; `export` writes them here), so
loading can never run code and scoring needs only numpy, scipy and sklearn's CountVectorizer.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

FORMAT = 1


class ModelUnavailable(RuntimeError):
    """The artefact is missing or unreadable; the message says which file and what to do."""


@lru_cache(maxsize=16)
def _analyzer(analyzer: str, ngram_range: tuple[int, int]):
    return CountVectorizer(analyzer=analyzer, ngram_range=ngram_range, lowercase=False).build_analyzer()


@lru_cache(maxsize=8)
def ngram_counts(analyzer: str, ngram_range: tuple[int, int], text: str) -> Counter:
    """How often each n-gram occurs in the text, as sklearn's CountVectorizer reads it. Cached: the injection and
    harmful-request models read the same view of the same prompt with the same analyzers, so it is counted once."""
    return Counter(_analyzer(analyzer, ngram_range)(text))


@dataclass
class NgramBlock:
    analyzer: str
    ngram_range: tuple[int, int]
    names: list[str]
    idf: np.ndarray

    def __post_init__(self) -> None:
        self.vocabulary = {name: i for i, name in enumerate(self.names)}

    def counts(self, texts: list[str]) -> sparse.csr_matrix:
        """CountVectorizer(vocabulary=names).transform(texts), from the shared counts, with the set intersection and
        lookups done in C instead of sklearn's Python loop over every n-gram (about 1.5 ms of a 200-token prompt)."""
        indptr, indices, data = [0], [], []
        for text in texts:
            counts = ngram_counts(self.analyzer, self.ngram_range, text)
            known = list(counts.keys() & self.vocabulary.keys())
            if known:
                columns = np.fromiter(map(self.vocabulary.__getitem__, known), dtype=np.int32, count=len(known))
                values = np.fromiter(map(counts.__getitem__, known), dtype=np.float32, count=len(known))
                order = np.argsort(columns)
                indices.append(columns[order])
                data.append(values[order])
            indptr.append(indptr[-1] + len(known))
        return sparse.csr_matrix((np.concatenate(data) if data else np.zeros(0, np.float32),
                                  np.concatenate(indices) if indices else np.zeros(0, np.int32),
                                  np.asarray(indptr, dtype=np.int32)), shape=(len(texts), len(self.names)))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        """TfidfVectorizer(sublinear_tf=True, norm="l2") with the stored idf, computed on the sparse data in place."""
        x = self.counts(texts)
        x.data = ((1.0 + np.log(x.data)) * self.idf[x.indices]).astype(np.float32)
        squares = np.concatenate([[0.0], np.cumsum(x.data.astype(np.float64) ** 2)])
        norms = np.sqrt(squares[x.indptr[1:]] - squares[x.indptr[:-1]])
        norms[norms == 0] = 1.0
        x.data /= np.repeat(norms, np.diff(x.indptr)).astype(np.float32)
        return x


class TextModel:
    """`probabilities(texts, dense)` -> (rows x classes); `evidence` names the features that pushed a class."""

    def __init__(self, header: dict, blocks: list[NgramBlock], coef: np.ndarray, intercept: np.ndarray):
        self.header = header
        self.classes: list[str] = header["classes"]
        self.dense_names: list[str] = header["dense"]
        self.offset: float = header.get("offset", 0.0)
        self.blocks = blocks
        self.coef = coef  # (classes or 1) x features
        self.intercept = intercept
        self.names = [n for b in blocks for n in b.names] + [f"cue:{d}" for d in self.dense_names]

    @classmethod
    def load(cls, path: Path) -> "TextModel":
        try:
            with np.load(path, allow_pickle=False) as data:
                header = json.loads(bytes(data["header"]).decode("utf-8"))
                if header.get("format") != FORMAT:
                    raise ValueError(f"format {header.get('format')} is not {FORMAT}")
                blocks = [NgramBlock(spec["analyzer"], tuple(spec["ngram_range"]),
                                     bytes(data[f"vocab{i}"]).decode("utf-8").split("\n"), data[f"idf{i}"])
                          for i, spec in enumerate(header["blocks"])]
                coef, intercept = data["coef"].astype(np.float32), data["intercept"].astype(np.float32)
        except FileNotFoundError as exc:
            raise ModelUnavailable(f"The detector model {path} is missing; reinstall the package or retrain it "
                                   "(see training/README.md).") from exc
        except Exception as exc:  # a truncated or edited file: name it, never guess
            raise ModelUnavailable(f"The detector model {path} cannot be read ({type(exc).__name__}); "
                                   "reinstall the package or retrain it (see training/README.md).") from exc
        if coef.shape[1] != sum(len(b.names) for b in blocks) + len(header["dense"]):
            raise ModelUnavailable(f"The detector model {path} is inconsistent (weights do not match its "
                                   "vocabulary); reinstall the package or retrain it.")
        return cls(header, blocks, coef, intercept)

    def features(self, texts: list[str], dense: np.ndarray | None = None) -> sparse.csr_matrix:
        parts = [block.transform(texts) for block in self.blocks]
        if self.dense_names:
            parts.append(sparse.csr_matrix(np.asarray(dense, dtype=np.float32).reshape(len(texts), -1)))
        return sparse.hstack(parts, format="csr")

    def probabilities(self, x: sparse.csr_matrix) -> np.ndarray:
        scores = np.asarray(x @ self.coef.T) + self.intercept
        if len(self.classes) == 2:  # one weight row: the second class's log-odds
            p = 1.0 / (1.0 + np.exp(-scores[:, 0]))
            return np.column_stack([1 - p, p])
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def shifted(self, raw: float) -> float:
        """A raw probability moved so 0.5 is the operating point chosen on training data (header 'offset')."""
        raw = min(max(raw, 1e-7), 1 - 1e-7)
        return 1.0 / (1.0 + math.exp(-(math.log(raw / (1 - raw)) - self.offset)))

    def evidence(self, x: sparse.csr_matrix, class_index: int, top: int = 5) -> list[str]:
        """The features of one row with the largest positive contribution to a class, strongest first."""
        row = x.getrow(0).tocoo()
        weights = self.coef[0 if len(self.classes) == 2 else class_index]
        contributions = row.data * weights[row.col]
        found = []
        for i in np.argsort(-contributions):
            name = self.names[row.col[i]].strip()
            if contributions[i] <= 0 or len(found) == top:
                break
            if sum(c.isalnum() for c in name) >= 3:  # "v" or "|" explain nothing to a reader
                found.append(name)
        return found


_CACHE: dict[tuple, TextModel] = {}


def cached_model(path: Path) -> TextModel:
    """The model at `path`, loaded once per file version (a replaced file is read again)."""
    try:
        stat = Path(path).stat()
    except OSError as exc:
        raise ModelUnavailable(f"The detector model {path} is missing; reinstall the package or retrain it "
                               "(see training/README.md).") from exc
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = TextModel.load(Path(path))
    return _CACHE[key]


def export(path: Path, header: dict, vectorizers: list, coef: np.ndarray, intercept: np.ndarray) -> None:
    """Write fitted sklearn TfidfVectorizers and weights in the artefact format `TextModel.load` reads."""
    arrays, specs = {}, []
    for i, vec in enumerate(vectorizers):
        names = vec.get_feature_names_out().tolist()
        if any("\n" in n for n in names):
            raise ValueError("an n-gram holds a newline; the vocabulary format cannot store it")
        arrays[f"vocab{i}"] = np.frombuffer("\n".join(names).encode("utf-8"), dtype=np.uint8)
        arrays[f"idf{i}"] = vec.idf_.astype(np.float32)
        specs.append({"analyzer": vec.analyzer, "ngram_range": list(vec.ngram_range)})
    header = {**header, "format": FORMAT, "blocks": specs}
    arrays["header"] = np.frombuffer(json.dumps(header, sort_keys=True).encode("utf-8"), dtype=np.uint8)
    np.savez_compressed(path, coef=coef.astype(np.float32), intercept=intercept.astype(np.float32), **arrays)


def model_or_refusal(path: Path, guard: str, what: str):
    """(the model, None), or (None, a blocking Verdict that says why) when it cannot be loaded: fail closed."""
    from sandbox.guards.base import Decision, Verdict

    try:
        return cached_model(path), None
    except ModelUnavailable as exc:
        return None, Verdict(guard, Decision.BLOCK, f"The {what} is not available, so the request was stopped. {exc}",
                             details={"error": "model_unavailable"})
