"""Time to the first words on screen for a short answer, through the gateway as the playground calls it. Prints JSON.

Splits the wait into: guards (recorded guard_ms), the model's own first token (straight through litellm), and what
the gateway holds back before showing words (the output PII scan releases text a sentence at a time). The first
request after start-up is reported on its own: it pays for whatever is loaded lazily, unless the start-up warmed
the checks (`Sandbox.warm_up`, as `sandbox serve` does; `--no-warm-up` measures without it).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sandbox.app import build_sandbox  # noqa: E402
from sandbox.gateway import ChatRequest, ChatResult  # noqa: E402
from sandbox.llm.local_server import LocalModelServer  # noqa: E402
from sandbox.settings import Settings  # noqa: E402

PROMPTS = ["What is the capital of France?", "Say hello in French.", "Name a primary colour.",
           "What is 2 plus 2?"]
RUNS = 3


def one(sandbox, prompt: str) -> dict:
    t0 = time.perf_counter()
    first = None
    result = None
    for event in sandbox.gateway.stream(ChatRequest(user="bench", prompt=prompt, model="local", max_tokens=96)):
        if isinstance(event, ChatResult):
            result = event
        elif first is None and event.strip():
            first = time.perf_counter() - t0
    total = time.perf_counter() - t0
    assert result and result.ok, result
    row = sandbox.log.get(result.interaction_id)
    return {"first_words_ms": (first or total) * 1000, "total_ms": total * 1000, "guard_ms": row["guard_ms"],
            "model_ms": row["model_ms"]}


def direct_first_token(url: str, key: str, system_prompt: str, prompt: str) -> float:
    import litellm

    t0 = time.perf_counter()
    stream = litellm.completion(model="openai/smollm2-135m-instruct", api_base=url, api_key=key,
                                messages=[{"role": "system", "content": system_prompt},
                                          {"role": "user", "content": prompt}], max_tokens=96, stream=True)
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
            first = time.perf_counter() - t0
            break
    for _ in stream:
        pass
    return first * 1000


def main() -> None:
    with LocalModelServer() as server, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        sandbox = build_sandbox(Settings.load(tmp), server.url, server.api_key)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        if "--no-warm-up" not in sys.argv:
            sandbox.warm_up()  # what `sandbox serve` does before it takes requests
        warm_up_s = time.perf_counter() - t0
        cold = one(sandbox, "What is the capital of Italy?")
        warm = [one(sandbox, p) for _ in range(RUNS) for p in PROMPTS]
        system_prompt = sandbox.registry.get("local").system_prompt
        direct = [direct_first_token(server.url, server.api_key, system_prompt, p) for p in PROMPTS]

    def p50(key: str) -> float:
        return round(statistics.median(w[key] for w in warm), 1)

    print(json.dumps({
        "benchmark": "first_words",
        "requests": len(warm) + 1,
        "build_sandbox_s": round(build_s, 2),
        "warm_up": "--no-warm-up" not in sys.argv,
        "warm_up_s": round(warm_up_s, 2),
        "first_request": {k: round(v, 1) for k, v in cold.items()},
        "first_words_ms_p50": p50("first_words_ms"),
        "first_words_ms_max": round(max(w["first_words_ms"] for w in warm), 1),
        "guard_ms_p50": p50("guard_ms"),
        "model_ms_p50": p50("model_ms"),
        "total_ms_p50": p50("total_ms"),
        "direct_model_first_token_ms_p50": round(statistics.median(direct), 1),
    }, indent=2))


if __name__ == "__main__":
    main()
