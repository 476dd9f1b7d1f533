"""Signing in with user name and access token, signing out, and each role's start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from api.pages.deps import CsrfChecked, SignedIn, State, current_session
from api.pages.login_limit import client_address
from api.pages.sessions import Session, cookie_name
from api.pages.signing_in import START_PAGES, with_session_cookie
from api.pages.state import PREFIX, PagesState, TooManyTries, render

router = APIRouter()


def _login_page(
    request: Request, state: PagesState, session: Session, error: str | None, status: int
) -> Response:
    settings = state.services.settings
    context: dict[str, object] = {
        "viewer": None,
        "csrf": session.csrf,
        "error": error,
        "message": None,
        "oidc": bool(settings.oidc_issuer and settings.oidc_client_id),
    }
    if request.query_params.get("ut") == "1":
        context["message"] = "login.logged_out"
    return with_session_cookie(render(request, "login.html", context, status), state, session)


@router.get("/logg-inn", summary="The login page")
def login_page(request: Request, state: State) -> Response:
    """The login form; a visitor gets an anonymous session so that the form has a CSRF token."""
    session = current_session(request, state) or state.sessions.start(None, now=state.now())
    return _login_page(request, state, session, None, 200)


@router.post("/logg-inn", summary="Sign in")
def login(
    request: Request,
    state: State,
    session: CsrfChecked,
    name: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
) -> Response:
    """Sign in with user name and access token; a new session replaces the anonymous one.

    Failed tries are limited per name and per client address (`LoginLimiter`, counted in the
    database for every process): past the limit the answer is 429 and the token is not
    checked."""
    address = client_address(request, state.proxies)
    wanted = name.strip()
    wait = state.login_limit.retry_after(address, wanted)
    if wait is not None:
        raise TooManyTries(wait)
    user = state.services.users.authenticate(token.strip())
    if user is None or user.name != wanted:
        state.login_limit.failed(address, wanted)
        return _login_page(request, state, session, "login.failed", 401)
    state.login_limit.succeeded(address, wanted)
    state.sessions.end(session.sid)
    signed = state.sessions.start(user.name, now=state.now())
    response = RedirectResponse(f"{PREFIX}{START_PAGES[user.role]}", status_code=303)
    return with_session_cookie(response, state, signed)


@router.post("/logg-ut", summary="Sign out")
def logout(state: State, session: CsrfChecked) -> Response:
    """End the session and go back to the login page."""
    state.sessions.end(session.sid)
    response = RedirectResponse(f"{PREFIX}/logg-inn?ut=1", status_code=303)
    response.delete_cookie(
        cookie_name(state.production),
        path="/",
        secure=state.production,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/", summary="Start page")
def start(viewer: SignedIn) -> Response:
    """Send each role to its start page."""
    return RedirectResponse(f"{PREFIX}{START_PAGES[viewer.user.role]}", status_code=303)
