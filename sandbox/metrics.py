"""Prometheus series for operations, fed by every finished audit record (labels never include user text)."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120)


class SandboxMetrics:
    """One registry per sandbox, so several sandboxes in a process (tests) do not collide."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("sandbox_requests", "Interactions finished, by model, role and status.",
                                ["model", "role", "status"], registry=self.registry)
        self.blocks = Counter("sandbox_blocks", "Requests blocked, by the guard that blocked them.",
                              ["guard"], registry=self.registry)
        self.tokens = Counter("sandbox_tokens", "Tokens used, by model and direction (in/out).",
                              ["model", "direction"], registry=self.registry)
        self.pii = Counter("sandbox_pii_entities", "Personal-data entities redacted, by type.",
                           ["entity_type"], registry=self.registry)
        self.latency = Histogram("sandbox_latency_seconds", "Time per request, by model and part "
                                 "(guards, model, total).", ["model", "part"], buckets=LATENCY_BUCKETS,
                                 registry=self.registry)

    def observe(self, row: dict) -> None:
        """Count one finished interaction (a row as `InteractionLog.finish` returns it)."""
        model = row.get("model") or "unknown"
        self.requests.labels(model, row.get("role") or "unknown", row.get("status") or "unknown").inc()
        if row.get("status") == "blocked":
            self.blocks.labels(row.get("blocked_by") or "unknown").inc()
        for direction in ("in", "out"):
            if row.get(f"tokens_{direction}"):
                self.tokens.labels(model, direction).inc(row[f"tokens_{direction}"])
        for entity_type, count in (row.get("entities") or {}).items():
            self.pii.labels(entity_type).inc(count)
        for part, key in (("guards", "guard_ms"), ("model", "model_ms"), ("total", "latency_ms")):
            if row.get(key) is not None:
                self.latency.labels(model, part).observe(row[key] / 1000)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
