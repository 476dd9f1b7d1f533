"""Users for admins: add, change role and team, deactivate and reactivate, a new token, and the
log of every change. Every form carries the session's CSRF token; a new token is shown once,
on the page that answers the form.

The page shows user names, roles and teams, never personal data of cases, so showing it is not
a read that the access log keeps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from api.pages.deps import CsrfChecked, SignedIn, State, Viewer
from api.pages.state import PREFIX, NotSaved, PagesState, norwegian_time, render
from api.pages.texts import code, text
from api.user_changes import UserChanges
from api.users import Actor, Permission, Role
from domain.errors import UnknownUser, UserRefused
from domain.values import TEAMS

router = APIRouter()
PAGE = f"{PREFIX}/brukere"
SHOWN_CHANGES = 200

TeamField = Annotated[str, Form()]
CODE = re.compile(r"\b[a-z][a-z_]*\b")


def in_words(detail: str) -> str:
    """A change's detail or a refusal's reason («rolle field, team caretaker») with the role
    and team codes in words («rolle Feltarbeider, team Miljøvaktmester»)."""
    roles = {role.value for role in Role}

    def word(found: re.Match[str]) -> str:
        value = found.group(0)
        if value in roles:
            return text(f"role.{value}")
        if value in TEAMS:
            return code("team", value)
        return value

    return CODE.sub(word, detail)


def _admin(viewer: Viewer) -> Actor:
    viewer.require(Permission.MANAGE_USERS)
    return Actor(viewer.user.name, "page")


@contextmanager
def _refusals_shown() -> Iterator[None]:
    """A refused change answers the error page with the reason; nothing was changed."""
    try:
        yield
    except (UserRefused, UnknownUser) as refused:
        raise NotSaved(detail=in_words(refused.message), back=PAGE) from None


def _page(
    request: Request, state: PagesState, viewer: Viewer, issued: dict[str, str] | None = None
) -> Response:
    zone = state.service.zone
    changes = UserChanges(state.service.sql).entries(limit=SHOWN_CHANGES)
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "users": state.services.users.all(),
        "roles": [role.value for role in Role],
        "teams": TEAMS,
        "changes": [(norwegian_time(datetime.fromisoformat(c.at), zone), c) for c in changes],
        "issued": issued,
        "in_words": in_words,
        "active": "users",
    }
    return render(request, "users.html", context)


def _back() -> Response:
    return RedirectResponse(PAGE, status_code=303)


@router.get("/brukere", summary="Users (admins)")
def users_page(request: Request, state: State, viewer: SignedIn) -> Response:
    """Every user with role, team and state, the forms that change them, and the change log."""
    _admin(viewer)
    return _page(request, state, viewer)


@router.post("/brukere", summary="Add a user")
def add_user(
    request: Request,
    state: State,
    viewer: SignedIn,
    _: CsrfChecked,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    team: TeamField = "",
) -> Response:
    """Add a user; the answer shows the new token, this once."""
    actor = _admin(viewer)
    with _refusals_shown():
        user, token = state.services.users.add(
            name.strip(), role, team or None, now=state.now(), by=actor
        )
    return _page(request, state, viewer, {"name": user.name, "token": token})


@router.post("/brukere/{name}/endre", summary="Change a user's role and team")
def change_user(
    state: State,
    viewer: SignedIn,
    _: CsrfChecked,
    name: str,
    role: Annotated[str, Form()] = "",
    team: TeamField = "",
) -> Response:
    """Give the user another role or team, from their next request on."""
    actor = _admin(viewer)
    with _refusals_shown():
        state.services.users.change(name, role=role, team=team or None, now=state.now(), by=actor)
    return _back()


@router.post("/brukere/{name}/deaktiver", summary="Deactivate a user")
def deactivate_user(state: State, viewer: SignedIn, _: CsrfChecked, name: str) -> Response:
    """Take the user's access away: their token and sessions stop working at once."""
    actor = _admin(viewer)
    with _refusals_shown():
        state.services.users.deactivate(name, now=state.now(), by=actor)
    return _back()


@router.post("/brukere/{name}/aktiver", summary="Reactivate a user")
def reactivate_user(state: State, viewer: SignedIn, _: CsrfChecked, name: str) -> Response:
    """Give a deactivated user access again, with the token they had."""
    actor = _admin(viewer)
    with _refusals_shown():
        state.services.users.reactivate(name, now=state.now(), by=actor)
    return _back()


@router.post("/brukere/{name}/ny-nokkel", summary="A new token for a user")
def rotate_token(
    request: Request, state: State, viewer: SignedIn, _: CsrfChecked, name: str
) -> Response:
    """A new token for the user, shown this once; the old one and their sessions end."""
    actor = _admin(viewer)
    with _refusals_shown():
        token = state.services.users.rotate_token(name, now=state.now(), by=actor)
    return _page(request, state, viewer, {"name": name, "token": token})
