"""An admin's acts on one case from its page: restrict it, lift the restriction, erase its
personal data after a confirmation that names what is lost.

Each act states a reason; restrictions and liftings go to the case's append-only restriction
log (domain/restrictions.py) and show in its timeline, an erasure is kept with the destroyed
key (domain/keystore.py). Only admins (`erase_cases`) reach these routes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.messages import message
from api.pages import case_access
from api.pages.deps import CaseRef, CsrfChecked, SignedIn, State, Viewer
from api.pages.state import PREFIX, PageError, render
from api.pages.texts import text
from api.users import Permission
from domain.application import HistoryItem
from domain.case import case_id
from domain.errors import AlreadyRestricted, NotRestricted

router = APIRouter()
REASON_MAX = 500
# The personal fields an erasure makes unreadable, in the order the confirmation names them.
PERSONAL_FIELDS = (
    ("person.name", "erase.field.name"),
    ("person.national_id", "erase.field.national_id"),
    ("person.phone", "erase.field.phone"),
    ("note", "erase.field.note"),
    ("place", "erase.field.place"),
    ("reason", "erase.field.reason"),
    ("legal_basis", "erase.field.legal_basis"),
)


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(_posted)]


def _reason(posted: dict[str, str]) -> str | None:
    """The stated reason, its runs of blanks made one space; None when it is empty, too long
    or holds control characters."""
    reason = " ".join(posted.get("grunn", "").split())
    if not reason or len(reason) > REASON_MAX:
        return None
    if any(unicodedata.category(c) == "Cc" for c in reason):
        return None
    return reason


def _admin(viewer: Viewer) -> None:
    viewer.require(Permission.ERASE_CASES)


def _back(ref: str) -> str:
    return f"{PREFIX}/saker/{ref}"


def _act(ref: str, act: Callable[[], None], done: str) -> Response:
    try:
        act()
    except (AlreadyRestricted, NotRestricted) as refused:
        raise PageError("error.not_saved", detail=message(refused.code), back=_back(ref)) from None
    return RedirectResponse(f"{_back(ref)}?lagret={done}#status", status_code=303)


def _reason_or_refuse(posted: dict[str, str], ref: str) -> str:
    reason = _reason(posted)
    if reason is None:
        raise PageError("error.not_saved", detail=text("admin.reason_missing"), back=_back(ref))
    return reason


@router.post("/saker/{ref}/sperre", summary="Restrict a case (admins)")
def post_restrict(
    state: State, viewer: SignedIn, _csrf: CsrfChecked, ref: CaseRef, posted: Posted
) -> Response:
    """Restrict the case with the stated reason: from now on only admins read or write it."""
    _admin(viewer)
    case_access.open_case(state, viewer, ref, f"POST {PREFIX}/saker/{{ref}}/sperre")
    reason = _reason_or_refuse(posted, ref)
    name = viewer.user.name
    return _act(ref, lambda: state.service.restrict_case(ref, reason=reason, by=name), "sperret")


@router.post("/saker/{ref}/oppheve-sperring", summary="Lift a case's restriction (admins)")
def post_lift(
    state: State, viewer: SignedIn, _csrf: CsrfChecked, ref: CaseRef, posted: Posted
) -> Response:
    """Lift the case's restriction with the stated reason; both stay in its history."""
    _admin(viewer)
    case_access.open_case(state, viewer, ref, f"POST {PREFIX}/saker/{{ref}}/oppheve-sperring")
    reason = _reason_or_refuse(posted, ref)
    name = viewer.user.name
    return _act(
        ref, lambda: state.service.lift_restriction(ref, reason=reason, by=name), "opphevet"
    )


def what_is_lost(history: Sequence[HistoryItem]) -> tuple[int, list[str]]:
    """How many events hold personal data, and which kinds of it (text keys), in the order
    of PERSONAL_FIELDS."""
    present: set[str] = set()
    events = 0
    for item in history:
        personal = item.record.personal
        if not personal:
            continue
        events += 1
        for name, value in personal.items():
            if name == "person" and isinstance(value, dict):
                present.update(f"person.{key}" for key, inner in value.items() if inner)
            elif value:
                present.add(name)
    return events, [key for name, key in PERSONAL_FIELDS if name in present]


def _confirmation(
    request: Request, state: State, viewer: Viewer, ref: str, *, error: bool
) -> Response:
    case_access.open_case(state, viewer, ref, f"GET {PREFIX}/saker/{{ref}}/slette")
    history = state.service.case_history(ref)
    if any(item.erased for item in history):
        raise PageError("error.not_saved", detail=text("erase.already"), back=_back(ref))
    events, fields = what_is_lost(history)
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "ref": ref,
        "events": events,
        "fields": fields,
        "error": error,
        "reason_max": REASON_MAX,
        "active": "mine",
    }
    return render(request, "erase_confirm.html", context, status_code=422 if error else 200)


@router.get("/saker/{ref}/slette", summary="Confirm the erasure of a case (admins)")
def erase_page(request: Request, state: State, viewer: SignedIn, ref: CaseRef) -> Response:
    """What an erasure destroys for good, and the form that confirms it with a reason."""
    _admin(viewer)
    return _confirmation(request, state, viewer, ref, error=False)


@router.post("/saker/{ref}/slette", summary="Erase a case's personal data (admins)")
def post_erase(
    request: Request,
    state: State,
    viewer: SignedIn,
    _csrf: CsrfChecked,
    ref: CaseRef,
    posted: Posted,
) -> Response:
    """Erase the case's personal data once the admin has confirmed and stated a reason;
    without both, the confirmation is shown again and nothing is erased."""
    _admin(viewer)
    reason = _reason(posted)
    if reason is None or posted.get("bekreft") != "ja":
        return _confirmation(request, state, viewer, ref, error=True)
    case_access.open_case(state, viewer, ref, f"POST {PREFIX}/saker/{{ref}}/slette")
    if state.service.keys.erased(case_id(ref)) is not None:
        raise PageError("error.not_saved", detail=text("erase.already"), back=_back(ref))
    state.service.erase_case(ref, reason=reason, by=viewer.user.name)
    return RedirectResponse(f"{_back(ref)}?lagret=slettet#status", status_code=303)
