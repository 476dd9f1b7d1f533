"""Signing in through the municipality's identity provider (OpenID Connect).

`GET /app/logg-inn/kommune` sends the browser to the provider; the provider sends it back to
`GET /app/logg-inn/kommune/svar` with a code, which becomes a web session of the Boligspor
user that the configured claim names, or a refusal page that says whom to ask. Token sign-in
(`/app/logg-inn`) stays for the demo; API clients keep their bearer tokens.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from api.pages.deps import State, current_session
from api.pages.oidc import PENDING_SECONDS, IdentityProvider, SignInFailed
from api.pages.signing_in import START_PAGES, with_session_cookie
from api.pages.state import PREFIX, PageNotFound, render
from settings import Settings

log = logging.getLogger("boligspor.pages")

router = APIRouter()

START = "/logg-inn/kommune"
CALLBACK = "/logg-inn/kommune/svar"
PENDING_COOKIE = "boligspor-oidc"


def oidc_configured(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id and settings.oidc_client_secret)


def identity_provider(request: Request) -> IdentityProvider:
    """The configured provider (one per process); the sign-in pages 404 when there is none."""
    provider: IdentityProvider | None = getattr(request.app.state, "identity_provider", None)
    if provider is None:
        settings: Settings = request.app.state.services.settings
        if not oidc_configured(settings):
            raise PageNotFound()
        provider = IdentityProvider(settings)
        request.app.state.identity_provider = provider
    return provider


Provider = Annotated[IdentityProvider, Depends(identity_provider)]


@router.get(START, summary="Sign in through the identity provider")
def begin_sign_in(request: Request, state: State, provider: Provider) -> Response:
    """Send the browser to the provider, keeping the pending sign-in in a signed cookie
    (SameSite=Lax: the provider's redirect back is a navigation from another site)."""
    settings = state.services.settings
    redirect_uri = settings.oidc_redirect_uri or str(request.url_for("finish_sign_in"))
    url, pending = provider.begin(redirect_uri, now=time.time())
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        provider.seal(pending),
        max_age=PENDING_SECONDS,
        httponly=True,
        samesite="lax",
        secure=state.production,
        path=f"{PREFIX}{START}",
    )
    return response


@router.get(CALLBACK, name="finish_sign_in", summary="The identity provider's answer")
def finish_sign_in(
    request: Request,
    state: State,
    provider: Provider,
    code: Annotated[str, Query(max_length=4096)] = "",
    returned_state: Annotated[str, Query(alias="state", max_length=512)] = "",
    error: Annotated[str, Query(max_length=256)] = "",
) -> Response:
    """Finish the sign-in: a new session for the matched user, or the refusal page."""
    if error or not code:
        raise SignInFailed()
    pending = provider.unseal(request.cookies.get(PENDING_COOKIE))
    # Token lifetimes are wall-clock time, whatever business clock the application keeps.
    name = provider.finish(pending, returned_state, code, now=time.time())
    user = state.services.users.get(name)
    if user is None or not user.active:
        log.info("sign-in through the identity provider refused: no active user")
        context = {"viewer": None, "contact": state.services.settings.access_contact}
        response = render(request, "oidc_refused.html", context, status_code=403)
        response.delete_cookie(PENDING_COOKIE, path=f"{PREFIX}{START}")
        return response
    previous = current_session(request, state)
    if previous is not None:
        state.sessions.end(previous.sid)
    signed = state.sessions.start(user.name, now=state.now())
    request.state.user = user.name
    log.info("signed in through the identity provider", extra={"user": user.name})
    # The browser arrives here from the provider's site, so it would not send the session's
    # SameSite=Strict cookie along a redirect: a page of our own moves it on instead.
    context = {"viewer": None, "next": f"{PREFIX}{START_PAGES[user.role]}"}
    response = with_session_cookie(render(request, "signed_in.html", context), state, signed)
    response.delete_cookie(PENDING_COOKIE, path=f"{PREFIX}{START}")
    return response
