"""OpenAI's chat-completions protocol as pydantic models: what we accept, what we answer, the error shape.

Unknown request fields are ignored, as OpenAI's own server does; a known field of the wrong type is refused with
the field named.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    n: int = Field(1, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    tools: list[dict[str, Any]] | None = None
    functions: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """An error answered in OpenAI's shape with an HTTP status."""

    def __init__(self, status: int, message: str, type_: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type_, code, param
        self.headers = headers or {}

    def body(self) -> dict:
        return {"error": {"message": self.message, "type": self.type, "code": self.code, "param": self.param}}


def parse_request(data: Any) -> ChatCompletionRequest:
    """The request, or ApiError(400) naming the first field that is wrong (never echoing its value)."""
    try:
        return ChatCompletionRequest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise ApiError(400, f"Invalid value for '{field}': {first['msg']}.", param=field,
                       code="invalid_value") from None


def text_of(message: Message) -> str:
    """A message's text; parts other than text (images, audio) are refused."""
    if message.content is None or isinstance(message.content, str):
        return message.content or ""
    texts = []
    for part in message.content:
        if part.type != "text":
            raise ApiError(400, f"Content of type '{part.type}' is not supported here; send text only.",
                           param="messages", code="unsupported_content")
        texts.append(part.text or "")
    return "".join(texts)


def completion(interaction_id: str, model: str, answer: str, finish_reason: str, tokens_in: int,
               tokens_out: int) -> dict:
    return {
        "id": f"chatcmpl-{interaction_id}", "object": "chat.completion", "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer},
                     "finish_reason": finish_reason, "logprobs": None}],
        "usage": usage(tokens_in, tokens_out),
    }


def usage(tokens_in: int, tokens_out: int) -> dict:
    return {"prompt_tokens": tokens_in, "completion_tokens": tokens_out, "total_tokens": tokens_in + tokens_out}


def chunk(chunk_id: str, model: str, content: str | None = None, finish_reason: str | None = None,
          usage_counts: dict | None = None, first: bool = False) -> dict:
    """One stream chunk; the usage chunk has no choices, as OpenAI sends it."""
    body: dict[str, Any] = {"id": chunk_id, "object": "chat.completion.chunk", "created": int(time.time()),
                            "model": model}
    if usage_counts is not None:
        body["choices"], body["usage"] = [], usage_counts
        return body
    delta: dict[str, Any] = {"role": "assistant"} if first else {}
    if content is not None:
        delta["content"] = content
    body["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]
    return body


def model_card(name: str) -> dict:
    return {"id": name, "object": "model", "created": 0, "owned_by": "sandbox"}
