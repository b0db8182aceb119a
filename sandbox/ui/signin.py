"""Sign-in and sign-out pages in front of the Gradio app; the session lives in an HttpOnly cookie."""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from sandbox.auth import SESSION_COOKIE
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


SIGN_OUT_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Sign out - Governed AI sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:10vh auto;padding:1rem}
button{padding:.5rem 1.2rem}</style></head><body><h2>Governed AI sandbox</h2>
<form method="post" action="/signout"><button type="submit" id="signout">Sign out</button></form>
<p><a href="/">Back to the sandbox</a></p></body></html>"""


def add_signin_routes(app: FastAPI, users: UserDirectory, secure_cookies: bool = False) -> None:
    """Sign-in and sign-out pages; who may reach them is decided by the front door (sandbox/ui/gate.py)."""
    cookie = {"httponly": True, "samesite": "lax", "secure": secure_cookies, "path": "/"}

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
                            max_age=SESSION_HOURS * 3600, **cookie)
        return response

    @app.get("/signout", response_class=HTMLResponse)
    def signout_form() -> HTMLResponse:
        # A GET changes nothing: a link or an image on another site must not be able to sign anyone out.
        return HTMLResponse(SIGN_OUT_PAGE)

    @app.post("/signout")
    def signout(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            users.end_session(token)
        response = RedirectResponse("/signin", status_code=303)
        response.delete_cookie(SESSION_COOKIE, **cookie)
        return response
