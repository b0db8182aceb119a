"""Sign-in and sign-out pages in front of the Gradio app; the session lives in an HttpOnly cookie."""

from __future__ import annotations

import html
import logging
from urllib.parse import quote

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sandbox.auth import SESSION_COOKIE, Authenticator
from sandbox.store.users import SESSION_REFUSALS, UserDirectory

log = logging.getLogger("sandbox.signin")
SESSION_HOURS = 12

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sign in - Governed AI sandbox</title>
<style>body{{font-family:system-ui,sans-serif;max-width:22rem;margin:10vh auto;padding:1rem}}
input{{display:block;width:100%;margin:.3rem 0 1rem;padding:.5rem;box-sizing:border-box}}
button{{padding:.5rem 1.2rem}} .error{{color:#b00020}}</style></head><body>
<h2>Governed AI sandbox</h2><p>Sign in with your sandbox account.</p>
{error}<form method="post" action="/signin">
<label>User name<input name="username" id="username" autocomplete="username" required autofocus></label>
<label>Password<input name="password" id="password" type="password" autocomplete="current-password" required></label>
<button type="submit" id="signin">Sign in</button></form></body></html>"""


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def add_signin_routes(app: FastAPI, users: UserDirectory, auth: Authenticator) -> None:
    @app.middleware("http")
    async def require_sign_in(request: Request, call_next):
        # The page itself redirects to the sign-in form; Gradio's own routes answer 401 to strangers.
        if request.method == "GET" and request.url.path in ("/", ""):
            identity, reason = auth.identify(request.headers, request.cookies, client_address(request))
            if identity is None:
                # Why the session ended is shown on the sign-in page (the session is gone after this request).
                target = f"/signin?why={quote(reason)}" if reason in SESSION_REFUSALS else "/signin"
                return RedirectResponse(target, status_code=303)
        return await call_next(request)

    @app.get("/signin", response_class=HTMLResponse)
    def signin_form(why: str = "") -> HTMLResponse:
        # Only our own sentences are shown: the query string is not echoed, so it cannot inject anything.
        shown = why if why in SESSION_REFUSALS else ""
        error = f'<p class="error" id="error">{html.escape(shown)}</p>' if shown else ""
        return HTMLResponse(PAGE.format(error=error))

    @app.post("/signin")
    def signin(request: Request, username: str = Form(""), password: str = Form("")):
        user, reason = users.sign_in(username.strip(), password, client_address(request))
        if user is None:
            # The typed name is not logged: it is often a password typed into the wrong box. The attempt's row in
            # sign_in_attempts holds it for admins.
            log.warning("sign-in refused from %s: %s", client_address(request), reason)
            return HTMLResponse(PAGE.format(error=f'<p class="error" id="error">{html.escape(reason)}</p>'),
                                status_code=401)
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, users.create_session(user.username, SESSION_HOURS),
                            httponly=True, samesite="lax", max_age=SESSION_HOURS * 3600)
        return response

    @app.get("/signout")
    def signout(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            users.end_session(token)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response
