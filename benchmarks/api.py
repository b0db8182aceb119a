"""The governed API path against calling the same model server directly, in one run. Prints JSON.

    python benchmarks/api.py [--calls 30] [--seconds 15] [--workers 24]

1. Latency: the embedded model (llama.cpp) asked for 8 tokens, `--calls` times each way, sequentially: straight to
   its OpenAI-compatible server, then through `sandbox serve`'s /v1/chat/completions with a personal key (guards,
   PII, budget, rate limit, audit record). Added latency = governed - direct, per percentile.
   The direct request is the one the gateway sends (the model's system prompt first, streamed), so the difference
   is the sandbox's own cost.
2. Throughput with an instant model: a local stand-in that answers at once, so the sandbox itself is measured;
   `--workers` concurrent clients for `--seconds`, direct and governed. Where the time goes comes from the audit
   records: guard time, model time, and the rest of the server's time (HTTP, litellm, store).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browser import served_playground  # noqa: E402
from conftest import cli_env, sandbox_cli  # noqa: E402
from sandbox.llm.local_server import LocalModelServer  # noqa: E402
from sandbox.store.users import UserDirectory  # noqa: E402

PROMPT = "In one short sentence, what is a spreadsheet?"
SYSTEM_PROMPT = next(m for m in yaml.safe_load((ROOT / "models.yaml").read_text())["models"]
                     if m["name"] == "local")["system_prompt"]


def percentiles(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50_ms": round(statistics.median(ms), 1), "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "n": len(ms)}


class InstantModel:
    """Answers every chat completion at once, streamed, with usage: the sandbox's own cost is what remains."""

    def __init__(self):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if body.get("stream"):
                    events = [{"choices": [{"index": 0, "delta": {"content": "A grid of cells."},
                                            "finish_reason": None}]},
                              {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
                              {"choices": [], "usage": {"prompt_tokens": 20, "completion_tokens": 5,
                                                        "total_tokens": 25}}]
                    data = "".join(f"data: {json.dumps({'id': 'x', 'object': 'chat.completion.chunk', 'created': 0, 'model': 'm', **e})}\n\n"
                                   for e in events) + "data: [DONE]\n\n"
                    kind = "text/event-stream"
                else:
                    data = json.dumps({"id": "x", "object": "chat.completion", "created": 0, "model": "m",
                                       "choices": [{"index": 0, "finish_reason": "stop", "message": {
                                           "role": "assistant", "content": "A grid of cells."}}],
                                       "usage": {"prompt_tokens": 20, "completion_tokens": 5, "total_tokens": 25}})
                    kind = "application/json"
                raw = data.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def call(url: str, key: str, model: str, client: httpx.Client) -> float:
    """One whole answer. Straight to a model server the request is what the gateway itself sends (the model's
    system prompt first, streamed with usage), so the difference is the sandbox's own cost."""
    direct = model != "local"
    messages = [{"role": "user", "content": PROMPT}]
    if direct:
        messages.insert(0, {"role": "system", "content": SYSTEM_PROMPT})
    started = time.perf_counter()
    with client.stream("POST", f"{url}/chat/completions", headers={"Authorization": f"Bearer {key}"},
                       json={"model": model, "max_tokens": 8, "temperature": 0, "messages": messages,
                             **({"stream": True, "stream_options": {"include_usage": True}} if direct else {})}
                       ) as response:
        response.raise_for_status()
        response.read()
    return (time.perf_counter() - started) * 1000


def sequential(url: str, key: str, model: str, calls: int) -> list[float]:
    with httpx.Client(timeout=120) as client:
        call(url, key, model, client)  # warm-up
        return [call(url, key, model, client) for _ in range(calls)]


def throughput(url: str, key: str, model: str, workers: int, seconds: float) -> dict:
    done, errors, stop = [], [], time.monotonic() + seconds

    def worker():
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < stop:
                try:
                    done.append(call(url, key, model, client))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"requests_per_s": round(len(done) / elapsed, 1), "errors": len(errors), **percentiles(done or [0])}


def governed_server(base: Path, model_url: str, model_key: str | None):
    """`sandbox serve` on the shipped policy, with limits lifted for one benchmark user; returns (cm, key)."""
    policies = base / "policies"
    shutil.copytree(ROOT / "policies", policies)
    company = yaml.safe_load((policies / "company.yaml").read_text())
    company["roles"]["employee"]["rate_limits"] = {}
    company["roles"]["employee"]["budgets"] = {"max_output_tokens": 64}
    (policies / "company.yaml").write_text(yaml.safe_dump(company))
    env = cli_env(base / "data", SANDBOX_LOCAL_MODEL_URL=model_url, SANDBOX_POLICIES_DIR=str(policies),
                  **({"SANDBOX_LOCAL_MODEL_KEY": model_key} if model_key else {}))
    UserDirectory(base / "data" / "sandbox.db").add("bench", "employee", "bench-Pa55-long-enough")
    key = sandbox_cli("keys", "create", "--user", "bench", env=env).stdout.strip()
    return served_playground(env, base / "serve.log"), key


def where_time_goes(db: Path) -> dict:
    import sqlite3

    rows = sqlite3.connect(db).execute("select avg(guard_ms), avg(model_ms), avg(latency_ms) from interactions "
                                       "where status = 'ok' and channel = 'api'").fetchone()
    guard, model, total = (round(v or 0, 2) for v in rows)
    return {"guards_ms": guard, "model_call_ms": model, "gateway_total_ms": total,
            "store_and_rest_ms": round(total - guard - model, 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=24)
    args = parser.parse_args()
    report: dict = {"benchmark": "api", "prompt": PROMPT, "max_tokens": 8}
    with tempfile.TemporaryDirectory() as tmp, LocalModelServer() as model:
        base = Path(tmp) / "real"
        base.mkdir()
        served, key = governed_server(base, model.url, model.api_key)
        with served as url:
            direct = sequential(model.url, model.api_key, "smollm2-135m-instruct", args.calls)
            governed = sequential(f"{url}v1", key, "local", args.calls)
        d, g = percentiles(direct), percentiles(governed)
        report["embedded_model"] = {"direct": d, "governed": g,
                                    "added_p50_ms": round(g["p50_ms"] - d["p50_ms"], 1),
                                    "added_p95_ms": round(g["p95_ms"] - d["p95_ms"], 1)}
    instant = InstantModel()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "instant"
        base.mkdir()
        served, key = governed_server(base, instant.url, None)
        direct = throughput(instant.url, "none", "m", args.workers, args.seconds)
        with served as url:
            governed = throughput(f"{url}v1", key, "local", args.workers, args.seconds)
        report["instant_model"] = {"workers": args.workers, "seconds": args.seconds, "direct": direct,
                                   "governed": governed,
                                   "governed_share_of_direct": round(governed["requests_per_s"]
                                                                     / max(direct["requests_per_s"], 1e-9), 3),
                                   "where_time_goes": where_time_goes(base / "data" / "sandbox.db")}
    instant.server.shutdown()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
