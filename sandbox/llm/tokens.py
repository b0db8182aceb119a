"""Token counting offline: tiktoken for OpenAI-family models, litellm's counter (bundled encodings) otherwise."""

from __future__ import annotations

from functools import lru_cache

import tiktoken

OPENAI_PREFIXES = ("gpt-", "o1", "o3", "o4", "openai/gpt-", "azure/gpt-", "text-embedding-")


@lru_cache(maxsize=8)
def _encoding(name: str) -> tiktoken.Encoding:
    return tiktoken.get_encoding(name)


def count_tokens(text: str, model: str = "") -> int:
    """Tokens of `text` as `model` (a litellm model string) would count them."""
    if not text:
        return 0
    bare = model.split("/", 1)[-1] if model.startswith(("openai/", "azure/")) else model
    if model.startswith(OPENAI_PREFIXES):
        try:
            return len(tiktoken.encoding_for_model(bare).encode(text, disallowed_special=()))
        except KeyError:
            return len(_encoding("o200k_base").encode(text, disallowed_special=()))
    import litellm  # imported lazily: the counter needs it only for non-OpenAI models

    try:
        return int(litellm.token_counter(model=model, text=text))
    except Exception:  # an unknown tokenizer must not stop a request: fall back to cl100k
        return len(_encoding("cl100k_base").encode(text, disallowed_special=()))
