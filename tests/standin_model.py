"""A stand-in for a model at the HTTP boundary, for browser tests that need an answer the small embedded model does
not give on demand: it echoes the prompt as the model received it (placeholders included, as a model that invents
one would), and streams a long answer slowly when asked, so Stop has something to stop."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW = "SLOWLY"  # a prompt holding this word gets a long answer, one sentence every 0.1 s


class OpenAIStandIn(BaseHTTPRequestHandler):
    """What every stand-in model shares: quiet logs, a JSON reply and one server-sent event."""

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def _event(self, data: dict) -> None:
        self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def _json(self, data: dict) -> None:
        payload = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class EchoModel(OpenAIStandIn):
    def do_GET(self) -> None:
        self._json({"object": "list", "data": [{"id": "local", "object": "model"}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        said = body["messages"][-1]["content"]
        pieces = [f"Sentence number {i} is here. " for i in range(1, 200)] if SLOW in said else ["You said: ", said]
        if not body.get("stream"):
            return self._json({"id": "c1", "object": "chat.completion", "created": 0, "model": "local",
                               "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(pieces)},
                                            "finish_reason": "stop"}],
                               "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10}})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "local"}
        try:
            for piece in pieces:
                self._event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                                  "finish_reason": None}]})
                if SLOW in said:
                    time.sleep(0.1)
            self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            self.wfile.write(b"data: [DONE]\n\n")
        except (BrokenPipeError, ConnectionResetError):  # the caller stopped reading
            pass


class StandIn:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), EchoModel)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
