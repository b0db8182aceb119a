"""Tokens per second of the embedded model through the gateway and directly through litellm. Prints JSON."""

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

PROMPTS = [
    "Write a short paragraph about the history of Paris.",
    "Explain what a spreadsheet is to a child.",
    "List five tips for writing a clear email.",
]
RUNS = 3


def main() -> None:
    started = time.perf_counter()
    with LocalModelServer() as server, tempfile.TemporaryDirectory() as tmp:
        start_s = time.perf_counter() - started
        sandbox = build_sandbox(Settings.load(tmp), server.url, server.api_key)
        rates, first_token, totals = [], [], []
        for i in range(RUNS):
            for prompt in PROMPTS:
                t0 = time.perf_counter()
                first = None
                result = None
                for event in sandbox.gateway.stream(ChatRequest(user="bench", prompt=prompt, model="local",
                                                                max_tokens=128)):
                    if isinstance(event, ChatResult):
                        result = event
                    elif first is None:
                        first = time.perf_counter() - t0
                elapsed = time.perf_counter() - t0
                assert result and result.ok, result
                rates.append(result.tokens_out / elapsed)
                first_token.append(first * 1000)
                totals.append(result.tokens_out)
        direct_rates, direct_first = direct_baseline(server.url, sandbox.registry.get("local").system_prompt)
    print(json.dumps({
        "benchmark": "local_model",
        "model": "SmolLM2-135M-Instruct Q4_1 via llama-cpp-python server, through the gateway",
        "requests": len(rates),
        "server_start_s": round(start_s, 2),
        "tokens_per_s_p50": round(statistics.median(rates), 1),
        "tokens_per_s_min": round(min(rates), 1),
        "time_to_first_token_ms_p50": round(statistics.median(first_token), 1),
        "time_to_first_token_ms_max": round(max(first_token), 1),
        "tokens_out_mean": round(statistics.mean(totals), 1),
        "direct_litellm_tokens_per_s_p50": round(statistics.median(direct_rates), 1),
        "direct_litellm_time_to_first_token_ms_p50": round(statistics.median(direct_first), 1),
        "gateway_vs_direct_throughput_ratio": round(statistics.median(rates) / statistics.median(direct_rates), 3),
    }, indent=2))


def direct_baseline(url: str, system_prompt: str) -> tuple[list[float], list[float]]:
    """The same prompts straight through litellm to the server: no guards, no audit record, no output scan."""
    import litellm

    rates, first_token = [], []
    for _ in range(RUNS):
        for prompt in PROMPTS:
            t0 = time.perf_counter()
            first, pieces = None, []
            stream = litellm.completion(model="openai/smollm2-135m-instruct", api_base=url, api_key="local",
                                        messages=[{"role": "system", "content": system_prompt},
                                                  {"role": "user", "content": prompt}], max_tokens=128,
                                        temperature=0, stream=True, stream_options={"include_usage": True})
            tokens = 0
            for chunk in stream:
                usage = getattr(chunk, "usage", None)
                if usage and getattr(usage, "completion_tokens", None):
                    tokens = usage.completion_tokens
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    pieces.append(chunk.choices[0].delta.content)
                    first = first if first is not None else time.perf_counter() - t0
            rates.append((tokens or len(pieces)) / (time.perf_counter() - t0))
            first_token.append((first or 0) * 1000)
    return rates, first_token


if __name__ == "__main__":
    main()
