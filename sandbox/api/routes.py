"""`/v1/chat/completions` and `/v1/models`: translate OpenAI's protocol to a ChatRequest, call the gateway,
translate the result back. Identity comes from a personal API key; everything else is the gateway's."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from sandbox.api.keys import ApiIdentity
from sandbox.api.protocol import (ApiError, ChatCompletionRequest, chunk, completion, model_card, parse_request,
                                  text_of, usage)
from sandbox.gateway import ChatRequest, ChatResult
from sandbox.store.db import DB_ERRORS, StoreError

MAX_BODY_BYTES = 1_000_000
NO_CAP = 1_000_000  # no max_tokens asked: the policy's and the budget's caps apply


def transcript(body: ChatCompletionRequest) -> str:
    """The caller's messages as one prompt, so every guard sees every message (a history the sandbox did not
    check itself is never passed through unchecked). A single user message is sent as it is."""
    if body.messages[-1].role != "user":
        raise ApiError(400, "The last message must come from the user.", param="messages")
    if len(body.messages) == 1:
        return text_of(body.messages[0])
    return "\n\n".join(f"{m.role.capitalize()}: {text_of(m)}" for m in body.messages)


def _until_renewal(period: str) -> int:
    now = dt.datetime.now(dt.timezone.utc)
    if period == "month":
        renews = (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=32)).replace(day=1)
    else:
        renews = now.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    return max(1, int((renews - now).total_seconds()))


def error_for(result: ChatResult, known_models: set[str]) -> ApiError | None:
    """The HTTP error a finished interaction maps to, or None when it was answered."""
    if result.status == "ok":
        return None
    if result.status == "error":
        if not result.interaction_id:  # the audit log refused the request: nothing was sent
            return ApiError(503, result.message, "server_error", "audit_log_unavailable")
        timeout = "did not answer in time" in result.message
        return ApiError(504 if timeout else 502, result.message, "server_error",
                        "model_timeout" if timeout else "model_error")
    blocker = result.verdicts[-1] if result.verdicts else {}
    guard, message, details = blocker.get("guard", ""), result.message, blocker.get("details") or {}
    if guard == "model_access":
        if result.model not in known_models:
            return ApiError(404, message, code="model_not_found", param="model")
        return ApiError(403, message, "permission_error", "model_not_allowed", "model")
    if guard == "rate_limit":
        return ApiError(429, message, "rate_limit_error", "rate_limit_exceeded",
                        headers={"Retry-After": str(details.get("retry_after_s", 60))})
    if guard == "token_budget":
        period = str(details.get("limit", "user/day")).split("/")[-1]
        return ApiError(429, message, "insufficient_quota", "budget_exceeded",
                        headers={"Retry-After": str(_until_renewal(period))})
    if guard == "token_count":
        return ApiError(400, message, code="context_length_exceeded", param="messages")
    return ApiError(400, f"Blocked by the sandbox's {guard or 'policy'} check: {message}", code="content_policy_violation",
                    param="messages")


def _sse(data: dict | str) -> str:
    return f"data: {data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)}\n\n"


def build_api_router(sandbox) -> APIRouter:
    router = APIRouter(prefix="/v1")

    def identify(request: Request) -> ApiIdentity:
        header = request.headers.get("authorization", "")
        presented = header[7:].strip() if header[:7].lower() == "bearer " else None
        try:
            found, reason = sandbox.api_keys.identify(presented)
        except (StoreError, *DB_ERRORS) as exc:  # fail closed: no key can be checked, nothing is sent
            raise ApiError(503, f"The sandbox's database ({sandbox.settings.database_label}) cannot be reached "
                                f"({type(exc).__name__}), so your key could not be checked and nothing was sent to "
                                "a model. Retry in a moment.", "server_error", "database_unavailable") from None
        if found is None:
            sandbox.log.record_event("api-refused", "anonymous", {"reason": reason, "path": request.url.path})
            raise ApiError(401, f"Unauthorized: {reason}. Send 'Authorization: Bearer sk-sbx-...'; create a key "
                                "in the API keys tab or with `sandbox keys create`.", "invalid_request_error",
                           "invalid_api_key")
        return found

    def known_models() -> set[str]:
        return {m.name for m in sandbox.registry.all}

    async def answer(request: Request):
        try:
            return await respond(request)
        except ApiError as exc:
            return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    async def respond(request: Request):
        ident = await run_in_threadpool(identify, request)
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            raise ApiError(413, f"The request body is larger than {MAX_BODY_BYTES:,} bytes.", code="body_too_large")
        raw = await request.body()
        if len(raw) > MAX_BODY_BYTES:
            raise ApiError(413, f"The request body is larger than {MAX_BODY_BYTES:,} bytes.", code="body_too_large")
        try:
            data = json.loads(raw or b"null")
        except ValueError:
            raise ApiError(400, "The request body is not JSON.", code="invalid_json") from None
        body = parse_request(data)
        if body.n > 1:
            raise ApiError(400, "n > 1 is not supported: send one request per answer.", param="n",
                           code="unsupported_value")
        if body.tools or body.functions:
            raise ApiError(400, "Tool and function calls are not passed through the sandbox; send plain messages.",
                           param="tools", code="unsupported_value")
        chat = ChatRequest(user=ident.user, role=ident.role, prompt=transcript(body), model=body.model,
                           max_tokens=body.max_completion_tokens or body.max_tokens or NO_CAP, channel="api",
                           api_key_id=ident.key_id, interaction_id=uuid.uuid4().hex)
        events = sandbox.gateway.stream(chat)
        first = await run_in_threadpool(next, events)
        headers = {"X-Sandbox-Interaction-Id": chat.interaction_id}
        if not body.stream:
            result = first if isinstance(first, ChatResult) else await run_in_threadpool(_drain, events)
            if error := error_for(result, known_models()):  # blocked, failed, or withheld after the answer
                error.headers.update(headers)
                raise error
            return JSONResponse(completion(chat.interaction_id, result.model, result.answer, _finish(result, chat),
                                           result.tokens_in, result.tokens_out), headers=headers)
        if isinstance(first, ChatResult):  # decided before any text was streamed: an HTTP error, or an empty answer
            if error := error_for(first, known_models()):
                error.headers.update(headers)
                raise error
            first, events = None, iter([first])
        return StreamingResponse(_stream(chat, body, first, events), media_type="text/event-stream",
                                 headers=headers)

    router.add_api_route("/chat/completions", answer, methods=["POST"], include_in_schema=False)

    @router.get("/models", include_in_schema=False)
    def models(request: Request):
        try:
            ident = identify(request)
        except ApiError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        return {"object": "list", "data": [model_card(name) for name in sandbox.model_names(ident.role)]}

    @router.get("/models/{model_id:path}", include_in_schema=False)
    def model(model_id: str, request: Request):
        try:
            ident = identify(request)
            if model_id not in sandbox.model_names(ident.role):
                raise ApiError(404, f"The model '{model_id}' does not exist or your role may not use it.",
                               code="model_not_found", param="model")
        except ApiError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        return model_card(model_id)

    return router


def _drain(events: Iterator) -> ChatResult:
    for event in events:
        if isinstance(event, ChatResult):
            return event
    raise RuntimeError("the gateway ended without a result")  # pragma: no cover


def _finish(result: ChatResult, chat: ChatRequest) -> str:
    if result.status == "blocked":
        return "content_filter"
    return "length" if chat.max_tokens != NO_CAP and result.tokens_out >= chat.max_tokens else "stop"


def _stream(chat: ChatRequest, body: ChatCompletionRequest, first: str | None, events: Iterator) -> Iterator[str]:
    chunk_id = f"chatcmpl-{chat.interaction_id}"
    model = chat.model
    yield _sse(chunk(chunk_id, model, content=first or "", first=True))
    result = None
    for event in events:
        if isinstance(event, ChatResult):
            result = event
            break
        yield _sse(chunk(chunk_id, model, content=event))
    if result is None or result.status == "error":
        message = result.message if result else "The answer ended without a result."
        yield _sse({"error": {"message": message, "type": "server_error", "code": "model_error", "param": None}})
    else:  # the model that answered (a routing rule may have chosen another) is known from here on
        yield _sse(chunk(chunk_id, result.model, finish_reason=_finish(result, chat)))
        if body.stream_options and body.stream_options.include_usage:
            yield _sse(chunk(chunk_id, result.model, usage_counts=usage(result.tokens_in, result.tokens_out)))
    yield _sse("[DONE]")
