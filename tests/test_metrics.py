"""Prometheus series fed by finished audit records, served at /metrics beside the Gradio app."""

import dataclasses

from fastapi.testclient import TestClient

from sandbox.gateway import ChatRequest
from sandbox.metrics import SandboxMetrics
from sandbox.store import InteractionLog


def test_finished_records_feed_the_series(tmp_path):
    metrics = SandboxMetrics()
    log = InteractionLog(tmp_path / "a.db", on_finish=[metrics.observe])
    iid = log.start(user="ann", role="employee", model="local", prompt="<EMAIL_ADDRESS_1>",
                    verdicts=[{"guard": "pii", "decision": "redact", "details": {"entities": {"EMAIL_ADDRESS": 2}}},
                              {"guard": "deny_rules", "decision": "block"}])
    log.finish(iid, status="blocked", decision="block", latency_ms=40, guard_ms=40, tokens_in=9)
    text = metrics.exposition().decode()
    assert 'sandbox_requests_total{model="local",role="employee",status="blocked"} 1.0' in text
    assert 'sandbox_blocks_total{guard="deny_rules"} 1.0' in text
    assert 'sandbox_pii_entities_total{entity_type="EMAIL_ADDRESS"} 2.0' in text
    assert 'sandbox_tokens_total{direction="in",model="local"} 9.0' in text
    assert 'sandbox_latency_seconds_count{model="local",part="total"} 1.0' in text
    assert "ann" not in text


def test_metrics_endpoint_after_a_real_request(sandbox):
    from sandbox.ui.server import build_asgi

    result = sandbox.gateway.handle(ChatRequest(user="metrics-user", prompt="What is the capital of France?",
                                                model="local", max_tokens=16))
    assert result.status == "ok"
    sandbox.settings = dataclasses.replace(sandbox.settings, metrics_token="scrape-me")  # SANDBOX_METRICS_TOKEN
    client = TestClient(build_asgi(sandbox))
    assert client.get("/metrics").status_code == 401  # a stranger without the token
    response = client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert 'sandbox_requests_total{model="local",role="employee",status="ok"} 1.0' in body
    assert f'sandbox_tokens_total{{direction="out",model="local"}} {float(result.tokens_out)}' in body
    assert 'sandbox_latency_seconds_bucket{le="+Inf",model="local",part="model"} 1.0' in body
    assert "metrics-user" not in body
