"""Token counting offline: tiktoken for OpenAI-family models, litellm's counter (bundled encodings) otherwise."""

from __future__ import annotations

import math
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


# Role markers and separators a chat template adds around each message (OpenAI: 3, ChatML as the embedded model
# uses it: 5), and the tokens that prime the reply; counted generously so a reservation is an upper bound.
MESSAGE_OVERHEAD = 8
REPLY_PRIMER = 3
# Only OpenAI-family models are counted with their own tokenizer; others (the embedded SmolLM2, hosted Claude or
# Mistral) are counted with cl100k, which measured up to 23% fewer tokens than SmolLM2's own count on English,
# French, SQL and code: the margin keeps the estimate above the model's count.
INEXACT_MARGIN = 1.3


def count_message_tokens(messages: list[dict], model: str = "") -> int:
    """An upper bound of the prompt tokens a model counts for `messages` (system prompt, history, template)."""
    content = sum(count_tokens(m.get("content") or "", model=model) for m in messages)
    if not model.startswith(OPENAI_PREFIXES):
        content = math.ceil(content * INEXACT_MARGIN)
    return content + MESSAGE_OVERHEAD * len(messages) + REPLY_PRIMER
