"""«Ny sak»: a case opened from the pages under a ref made for it; a field user opens it as
the first contact with a new client, with their team's first follow-up in the same submission
(which makes the case the team's: docs/security.md, "Which cases are a team's")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.pages import case_access
from api.pages.case_routes import Posted
from api.pages.deps import CsrfChecked, SignedIn, State, Viewer
from api.pages.form_fields import own_inputs
from api.pages.forms import (
    CASE_OPENED,
    CASE_WORKER,
    FIELD_USER,
    FIRST_CONTACT,
    FormInvalid,
    FormSpec,
    event_from_form,
    new_case_ref,
    new_event_id,
)
from api.pages.refusals import Failed, failed_form, refused_form
from api.pages.state import PREFIX, PageForbidden, render
from domain.application import Refused

router = APIRouter()


def may_open_cases(viewer: Viewer) -> bool:
    audience = case_access.audience_of(viewer)
    return audience == CASE_WORKER or (audience == FIELD_USER and viewer.user.team is not None)


def _new_case_forms(viewer: Viewer) -> tuple[FormSpec, ...]:
    """The case's opening, and for a field user the first contact their team logs with it."""
    if case_access.audience_of(viewer) == FIELD_USER:
        return (CASE_OPENED, FIRST_CONTACT)
    return (CASE_OPENED,)


@router.get("/ny-sak", summary="Open a case")
def new_case(request: Request, state: State, viewer: SignedIn) -> Response:
    """The form that opens a case; a field user's opens it with their team's first contact."""
    if not may_open_cases(viewer):
        raise PageForbidden()
    return _new_case_page(request, state, viewer, None)


def _new_case_page(
    request: Request, state: State, viewer: Viewer, failed: Failed | None
) -> Response:
    first_contact = case_access.audience_of(viewer) == FIELD_USER
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "form": CASE_OPENED,
        "fields": CASE_OPENED.fields,
        "contact_fields": own_inputs("FollowUpLogged") if first_contact else (),
        "event_id": failed.event_id if failed else new_event_id(),
        "today": state.today().isoformat(),
        "failed": failed,
        "active": "new_case",
    }
    return render(request, "new_case.html", context, status_code=422 if failed else 200)


@router.post("/ny-sak", summary="Open a case from the form")
def post_new_case(
    request: Request, state: State, viewer: SignedIn, _csrf: CsrfChecked, posted: Posted
) -> Response:
    """Open the case under a ref made for it (and log the first contact); then show it."""
    if not may_open_cases(viewer):
        raise PageForbidden()
    event_id = posted.get("event_id", "")
    ref = new_case_ref(event_id, state.today().year)
    try:
        events = _opening(viewer, ref, event_id, posted)
    except FormInvalid as invalid:
        failed = failed_form(CASE_OPENED.slug, event_id, posted, invalid)
        return _new_case_page(request, state, viewer, failed)
    case_access.check_opening(state, viewer, events)
    try:
        case_access.submit(state, viewer, ref, events)
    except Refused as refused:
        fields = (*CASE_OPENED.fields, *own_inputs("FollowUpLogged"))
        failed = refused_form(
            CASE_OPENED.slug, event_id, posted, refused, fields, state.services.reads.reading
        )
        return _new_case_page(request, state, viewer, failed)
    return RedirectResponse(f"{PREFIX}/saker/{ref}?lagret=ny", status_code=303)


def _opening(
    viewer: Viewer, ref: str, event_id: str, posted: Mapping[str, str]
) -> list[dict[str, Any]]:
    faults: dict[str, str] = {}
    events: list[dict[str, Any]] = []
    for spec in _new_case_forms(viewer):
        one_id = event_id if spec is CASE_OPENED else f"{event_id}-kontakt"
        shared = {**posted, "event_id": one_id}
        if spec is not CASE_OPENED:
            shared["note"] = ""  # the note is the opening's
        try:
            event = event_from_form(spec, {"case": ref}, one_id, shared, team=viewer.user.team)
        except FormInvalid as invalid:
            faults.update(invalid.faults)
            continue
        events.append(event)
    if faults:
        raise FormInvalid(faults)
    return events
