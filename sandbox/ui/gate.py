"""The web server's front door: every request passes here before any route, ours or Gradio's, sees it.

- Sign-in is required for every route except an explicit allow-list (the sign-in page, sign-out, health checks,
  and /metrics for a scraper holding the metrics token).
- A browser's state-changing request must come from our own origin (CSRF).
- Gradio's deep links (a copy of a whole session's screen, fetched by session hash) are switched off, and its file
  route serves a cached file only to an admin or to the user whose export produced it.
- Every response carries a Content-Security-Policy: the page loads nothing, and shows no image, from elsewhere.
- Error messages Gradio builds from request values (e.g. "Value: ... is not in the list of choices") are replaced
  by one sentence; only the sandbox's own refusals reach the browser as written.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

import anyio
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse

from sandbox.store.users import SESSION_REFUSALS

# What a stranger may reach: (method, path). Everything else answers 401.
STRANGER_ROUTES = {
    ("GET", "/signin"), ("HEAD", "/signin"), ("POST", "/signin"),
    ("GET", "/signout"), ("POST", "/signout"),
    ("GET", "/healthz"), ("HEAD", "/healthz"), ("GET", "/readyz"), ("HEAD", "/readyz"),
}
# Routes that authenticate each request themselves and are not for browsers: the OpenAI-compatible API checks its
# API key (a FastAPI dependency on every /v1 route), so a stranger there meets that check, not a session check.
SELF_AUTHENTICATED_PREFIXES = ("/v1/",)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DEEP_LINK = "/gradio_api/deep_link"
FILE_PREFIXES = ("/gradio_api/file=", "/gradio_api/file/", "/file=", "/file/")
PROXY_PREFIXES = ("/gradio_api/proxy=", "/proxy=")
EVENT_STREAMS = ("/gradio_api/queue/data", "/gradio_api/call/", "/gradio_api/stream/")
CALLER_KEY = "sandbox.caller"  # where the front door leaves who is calling, in the ASGI scope, for Gradio's check
# Only errors carrying this title are the sandbox's own sentences; see `refusal` in sandbox/ui/access.py.
REFUSAL_TITLE = "Sandbox"
GENERIC_ERROR = ("This request could not be handled: a value sent does not fit the page. "
                 "Reload the page and try again.")
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",  # Gradio's page boots from an inline script
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",  # no remote image: an answer cannot make the browser call another host
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


@dataclass(frozen=True)
class Caller:
    user: str | None
    admin: bool
    reason: str = ""


class FrontDoor:
    """Pure ASGI middleware around the whole application (ours and the mounted Gradio app)."""

    def __init__(self, app, *, identify: Callable[[Request], Caller], owns_file: Callable[[str, str], bool],
                 metrics_token: str = "", allowed_origins: tuple[str, ...] = ()):
        self.app = app
        self.identify = identify
        self.owns_file = owns_file
        self.metrics_token = metrics_token
        self.allowed_origins = {o.rstrip("/").lower() for o in allowed_origins}

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        request = Request(scope)
        method = scope.get("method", "GET").upper()
        path = scope["path"]
        if scope["type"] == "http" and method in UNSAFE_METHODS and not self._same_origin(request.headers):
            return await self._answer(PlainTextResponse(
                "This request came from another site, so it was refused. Use the sandbox's own page.", 403),
                scope, receive, send)
        # Database look-ups (the session, a file's owner) run in a worker thread, never on the event loop.
        caller, refusal = await anyio.to_thread.run_sync(self._decide, request, method, path)
        scope[CALLER_KEY] = caller
        if refusal is not None:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await self._answer(refusal, scope, receive, send)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)
        scrub = path.startswith(EVENT_STREAMS)
        return await self.app(scope, receive, _guarded_send(send, scrub))

    def _decide(self, request: Request, method: str, path: str):
        caller = self.identify(request)
        return caller, self._refusal(caller, method, path, request)

    def _refusal(self, caller: Caller, method: str, path: str, request: Request):
        if path == "/metrics":
            if self._metrics_token_ok(request.headers) or caller.admin:
                return None
            return _denied(caller, "The metrics need the scrape token (SANDBOX_METRICS_TOKEN) or an admin.")
        if caller.user is None:
            if (method, path) in STRANGER_ROUTES or path.startswith(SELF_AUTHENTICATED_PREFIXES):
                return None
            if method in ("GET", "HEAD") and path in ("/", ""):
                # Why the session ended is shown on the sign-in page (the session is gone after this request).
                why = caller.reason
                target = f"/signin?why={quote(why)}" if why in SESSION_REFUSALS else "/signin"
                return RedirectResponse(target, status_code=303)
            return _denied(caller, "")
        if path.rstrip("/") == DEEP_LINK or request.query_params.get("deep_link"):
            return PlainTextResponse("Deep links are switched off in the sandbox.", 404)
        if path.startswith(PROXY_PREFIXES):
            return PlainTextResponse("The sandbox does not proxy other apps.", 404)
        if path.startswith(FILE_PREFIXES) and not caller.admin:
            wanted = unquote(path.split("=", 1)[1] if "=" in path else path.split("/file/", 1)[1])
            if not self.owns_file(caller.user, wanted.split("?", 1)[0]):
                return PlainTextResponse("Only the person who exported this file, or an admin, may fetch it.", 403)
        return None

    def _metrics_token_ok(self, headers: Headers) -> bool:
        given = headers.get("authorization", "")
        return bool(self.metrics_token) and hmac.compare_digest(given.encode(),
                                                                f"Bearer {self.metrics_token}".encode())

    def _same_origin(self, headers: Headers) -> bool:
        """A browser names the page that sent a request (Origin, else Referer); it must be this server.

        A request naming no page at all does not come from a browser's cross-site form or script, which always
        send Origin on a POST, so it is not a forgery risk (scripts and the CLI send neither)."""
        origin = headers.get("origin")
        if origin is None and headers.get("referer"):
            parts = urlsplit(headers["referer"])
            origin = f"{parts.scheme}://{parts.netloc}"
        if origin is None:
            return True
        origin = origin.rstrip("/").lower()
        if origin in self.allowed_origins:
            return True
        host = headers.get("host", "").lower()
        return bool(host) and origin in (f"http://{host}", f"https://{host}")

    async def _answer(self, response, scope, receive, send):
        await response(scope, receive, _guarded_send(send, False))


def _denied(caller: Caller, sentence: str) -> JSONResponse:
    if caller.user is None:  # the shape Gradio's own login check answers with, so clients see one kind of 401
        return JSONResponse({"detail": {"error": "Not authenticated"}}, 401)
    return JSONResponse({"detail": {"error": sentence or "Not allowed."}}, 403)


def _guarded_send(send, scrub: bool):
    """Adds the security headers to every response; in event streams, replaces errors built from request values."""
    pending = b""

    async def guarded(message):
        nonlocal pending
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            headers = list(message.get("headers", []))
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            message = {**message, "headers": headers}
        elif scrub and message["type"] == "http.response.body":
            pending += message.get("body", b"")
            complete, _, pending = pending.rpartition(b"\n")
            body = b"".join(_scrub_line(line) + b"\n" for line in complete.split(b"\n")) if complete else b""
            if not message.get("more_body", False):
                body, pending = body + _scrub_line(pending) if pending else body, b""
            message = {**message, "body": body}
        await send(message)

    return guarded


def _scrub_line(line: bytes) -> bytes:
    failed = b'"success":false' in line.replace(b" ", b"") or b"unexpected_error" in line
    if not line.startswith(b"data:") or not failed:
        return line
    try:
        event = json.loads(line[5:])
    except ValueError:
        return line
    if event.get("msg") == "unexpected_error":
        event["message"] = GENERIC_ERROR
    elif event.get("msg") == "process_completed" and not event.get("success"):
        output = event.get("output") or {}
        if output.get("title") != REFUSAL_TITLE:
            event["output"] = {"error": GENERIC_ERROR, "duration": 10, "visible": True, "title": "Error"}
    else:
        return line
    return b"data: " + json.dumps(event).encode()
