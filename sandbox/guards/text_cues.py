"""What the learned detectors read: the text as rules see it (folded, de-leeted, decoded) and a few dense cues
for random-looking suffixes. Shared by the guards and by the training scripts, so both see the same thing."""

from __future__ import annotations

import re

import numpy as np

from sandbox.guards.readings import MAX_SCAN_CHARS, readings_of

HEAD_CHARS, TAIL_CHARS = 6000, 2000  # long prompts: the start and the end, where suffixes sit
PLAIN_TOKEN = re.compile(r"^[(\"'«“]?(?:[a-zà-ÿ]+(?:['’-][a-zà-ÿ]+)*|[A-ZÀ-Ý][a-zà-ÿ]*|\d+(?:[.,:]\d+)*%?)"
                         r"[.,;:!?)\"'»”]*$")
CAMEL = re.compile(r"[a-z][A-Z]")
SYMBOL = re.compile(r"[^\w\s]")
CUES = ["symbol_ratio", "odd_token_ratio", "camel_ratio"]


def clip(text: str) -> str:
    text = text[:MAX_SCAN_CHARS]
    return text if len(text) <= HEAD_CHARS + TAIL_CHARS else text[:HEAD_CHARS] + "\n" + text[-TAIL_CHARS:]


def model_view(text: str, state: dict | None = None) -> str:
    """The normalised text, then the words its de-leeted, spelled-out and decoded readings change.

    `state` (GuardContext.state) keeps it for the next guard of the same request that reads the same text."""
    if state is not None and state.get("model_view", (None,))[0] == text:
        return state["model_view"][1]
    first, *others = readings_of(clip(text))
    seen = set(first.split())
    # Other readings add only the words they change ("1gn0re" -> "ignore"), or everything when decoded.
    extra = [" ".join(w for w in v.split() if w not in seen) for v in others]
    view = " | ".join([first] + [e for e in extra if e])
    if state is not None:
        state["model_view"] = (text, view)
    return view


def suffix_cues(text: str) -> list[float]:
    """How random the end of the prompt looks: share of symbols, of tokens that are not plain words, of camelCase."""
    tail = clip(text)[-400:]
    tokens = tail.split()[-40:]
    if not tokens:
        return [0.0, 0.0, 0.0]
    symbols = len(SYMBOL.findall(tail)) / max(1, len(tail.replace(" ", "")))
    odd = sum(1 for t in tokens if not PLAIN_TOKEN.match(t)) / len(tokens)
    camel = sum(1 for t in tokens if CAMEL.search(t)) / len(tokens)
    return [round(symbols, 4), round(odd, 4), round(camel, 4)]


def cue_matrix(texts: list[str], extra: list[list[float]] | None = None) -> np.ndarray:
    rows = [suffix_cues(t) + (extra[i] if extra else []) for i, t in enumerate(texts)]
    return np.asarray(rows, dtype=np.float32)
