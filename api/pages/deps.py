"""Who is asking, and whether a form carries this session's CSRF token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request

from api.pages.sessions import Session, cookie_name
from api.pages.state import (
    CsrfRejected,
    LoginRequired,
    PageError,
    PageForbidden,
    PagesState,
    pages_state,
)
from api.users import Permission, Role, User
from domain.refs import REF_PATTERN


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of a request and their session."""

    user: User
    session: Session

    @property
    def is_field(self) -> bool:
        return self.user.role == Role.FIELD

    def may(self, permission: Permission) -> bool:
        return self.user.may(permission)

    def require(self, permission: Permission) -> None:
        if not self.user.may(permission):
            raise PageForbidden()

    @property
    def may_read_cases(self) -> bool:
        return self.may(Permission.READ_CASES) or self.may(Permission.READ_TEAM_CASES)


State = Annotated[PagesState, Depends(pages_state)]


def case_ref(ref: str) -> str:
    """The case ref in the address; one outside the ref alphabet (docs/refs.md) is refused
    with 400 before anything is looked up."""
    if REF_PATTERN.fullmatch(ref) is None:
        raise PageError("error.bad_ref")
    return ref


CaseRef = Annotated[str, Depends(case_ref)]


def current_session(request: Request, state: State) -> Session | None:
    return state.sessions.find(request.cookies.get(cookie_name(state.production)), now=state.now())


def signed_in(request: Request, state: State) -> Viewer:
    session = current_session(request, state)
    if session is None or session.user_name is None:
        raise LoginRequired()
    user = state.services.users.get(session.user_name)
    if user is None or not user.active:
        raise LoginRequired()
    return Viewer(user, session)


def csrf_checked(request: Request, state: State, csrf: Annotated[str, Form()] = "") -> Session:
    """The session whose CSRF token the form sent back; anything else changes nothing."""
    session = current_session(request, state)
    if session is None or not session.csrf_matches(csrf):
        raise CsrfRejected()
    return session


SignedIn = Annotated[Viewer, Depends(signed_in)]
CsrfChecked = Annotated[Session, Depends(csrf_checked)]
