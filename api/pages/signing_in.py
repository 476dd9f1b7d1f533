"""What signing in ends with, by access token (auth_routes) or through the identity provider
(oidc_routes): the session cookie, and the start page of the user's role."""

from __future__ import annotations

from starlette.responses import Response

from api.pages.sessions import Session, cookie_name
from api.pages.state import PagesState
from api.users import Role

START_PAGES = {
    Role.FIELD: "/mine",
    Role.CASEWORKER: "/mine",
    Role.LEADER: "/tall",
    Role.ADMIN: "/mine",
}


def with_session_cookie(response: Response, state: PagesState, session: Session) -> Response:
    """The response, setting the browser's session cookie to `session`."""
    response.set_cookie(
        cookie_name(state.production),
        session.sid,
        httponly=True,
        samesite="strict",
        secure=state.production,
        path="/",
    )
    return response
