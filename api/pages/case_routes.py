"""The case pages: the team's list (Mine), one case's timeline and its one-tap forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api import case_access as api_case_access
from api.access_log import REASON_MAX, acceptable_reason
from api.name_lists import names_shown
from api.pages import case_access
from api.pages.alerts import alerts_by_case
from api.pages.case_list import case_rows, open_case_refs, team_case_refs
from api.pages.case_view import timeline
from api.pages.deps import CaseRef, CsrfChecked, SignedIn, State, Viewer, case_ref
from api.pages.forms import (
    FORMS,
    FORMS_BY_SLUG,
    FormInvalid,
    FormSpec,
    event_from_form,
    new_event_id,
    retraction,
)
from api.pages.state import PREFIX, PageError, PageForbidden, PageNotFound, PagesState, render
from api.users import Permission
from projections.temporary_stays import open_stay_of

router = APIRouter()
SHORT_LIST = 60
DEFAULT_TEAM = "housing_office"


async def posted_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(posted_form)]


@router.get("/mine", summary="The team's cases")
def mine(request: Request, state: State, viewer: SignedIn, alle: str = "") -> Response:
    """A field user's team's open cases; a case worker's open cases. Flagged ones first."""
    if not viewer.may_read_cases:
        raise PageForbidden()
    day = state.today().isoformat()
    team = viewer.user.team if not viewer.may(Permission.READ_CASES) else None
    with state.reading() as tx:
        refs = team_case_refs(tx, team) if team is not None else open_case_refs(tx, day)
        refs -= api_case_access.hidden_cases(state.services, viewer.user)
        rows = case_rows(tx, day, refs)
    alerts = alerts_by_case(state.services.reads, team)
    for row in rows:
        row.alerts = alerts.get(row.case_ref, [])
    shown = rows if alle or len(rows) <= SHORT_LIST else rows[:SHORT_LIST]
    # waiting (issue 13): the contact names of the cases shown; the view is logged with them
    names = names_shown(
        state.services, viewer.user, [row.case_ref for row in shown], f"GET {PREFIX}/mine"
    )
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "team": team,
        "rows": shown,
        "names": names,
        "total": len(rows),
        "today": day,
        "active": "mine",
    }
    return render(request, "mine.html", context)


@router.get("/saker", summary="Go to a case")
def find_case(viewer: SignedIn, sak: str = "") -> Response:
    """Open the case with the reference typed in."""
    ref = sak.strip()
    if not ref:
        return RedirectResponse(f"{PREFIX}/mine", status_code=303)
    case_ref(ref)
    return RedirectResponse(f"{PREFIX}/saker/{ref}", status_code=303)


@router.get("/saker/{ref}", summary="One case: timeline and forms")
def case_page(request: Request, state: State, viewer: SignedIn, ref: CaseRef) -> Response:
    """The case's timeline and the forms the viewer may use; the read is logged. A field user
    opening a case outside their team is first asked why (the read is then flagged) and gets
    no forms."""
    try:
        outside_team = case_access.open_case(state, viewer, ref, f"GET {PREFIX}/saker/{{ref}}")
    except case_access.ReasonRequired:
        return _reason_page(request, viewer, ref, error=False)
    service = state.service
    audience = None if outside_team else case_access.audience_of(viewer)
    history = service.case_history(ref)
    open_stay = _open_stay(state, ref)
    forms = [
        (form, new_event_id())
        for form in FORMS
        if audience in form.audience and (form.needs != "open_stay" or open_stay is not None)
    ]
    entries = timeline(history, service.zone, may_retract=audience == "caseworker")
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "ref": ref,
        "person": service.case_person(ref),
        "erased": any(item.erased for item in history),
        "entries": entries,
        "retract_ids": {e.event_id: new_event_id() for e in entries if e.can_retract},
        "forms": forms,
        "open_stay": open_stay,
        "today": state.today().isoformat(),
        "saved": request.query_params.get("lagret"),
        "outside_team": outside_team,
        "active": "mine",
    }
    context.update(_prefill(request, [form for form, _ in forms]))
    return render(request, "case.html", context)


def _prefill(request: Request, forms: list[FormSpec]) -> dict[str, Any]:
    """waiting (issue 13): the form the address names (`skjema`, its event type or slug) and
    the values it gives for that form's fields, drawn filled in (the allocation page links
    `?skjema=Settled&dwelling=REF&on=DAY&tenure=municipal_rental`). Nothing is stored: the
    person still sends the form."""
    asked = request.query_params.get("skjema", "")
    form = next((f for f in forms if asked in (f.event_type, f.slug)), None)
    if form is None:
        return {"prefill_form": None, "prefill": {}}
    given = {
        item.name: value
        for item in form.fields
        if (value := request.query_params.get(item.name, "").strip())
    }
    return {"prefill_form": form.slug, "prefill": given}


@router.post("/saker/{ref}/innsyn", summary="State why a case outside the team is read")
def post_reason(
    request: Request,
    state: State,
    viewer: SignedIn,
    _csrf: CsrfChecked,
    ref: CaseRef,
    posted: Posted,
) -> Response:
    """Keep the reason with the session and show the case (each read logged and flagged); a
    reason that says too little asks again."""
    reason = " ".join(posted.get("grunn", "").split())
    if not acceptable_reason(reason) or not case_access.state_reason(state, viewer, ref, reason):
        return _reason_page(request, viewer, ref, error=True)
    return RedirectResponse(f"{PREFIX}/saker/{ref}", status_code=303)


def _reason_page(request: Request, viewer: Viewer, ref: str, *, error: bool) -> Response:
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "ref": ref,
        "error": error,
        "reason_max": REASON_MAX,
        "active": "mine",
    }
    return render(request, "reason.html", context, status_code=422 if error else 200)


@router.post("/saker/{ref}/skjema/{slug}", summary="Log an event from a case-page form")
def post_form(
    state: State, viewer: SignedIn, _csrf: CsrfChecked, ref: CaseRef, slug: str, posted: Posted
) -> Response:
    """Store the form's event once, under the id the page gave it; then show the case."""
    spec = FORMS_BY_SLUG.get(slug)
    if spec is None:
        raise PageNotFound()
    event = _event(
        lambda: event_from_form(
            spec,
            ref,
            posted.get("event_id", ""),
            posted,
            team=viewer.user.team or DEFAULT_TEAM,
            open_stay=_open_stay(state, ref),
        ),
        ref,
    )
    case_access.check_write(state, viewer, event, spec)
    result = case_access.submit(state, viewer, ref, event)
    saved = "ny" if result.stored else "allerede"
    return RedirectResponse(f"{PREFIX}/saker/{ref}?lagret={saved}#tidslinje", status_code=303)


@router.post("/saker/{ref}/trekk-tilbake", summary="Retract a wrong entry with a reason")
def post_retraction(
    state: State, viewer: SignedIn, _csrf: CsrfChecked, ref: CaseRef, posted: Posted
) -> Response:
    """Log an EventRetracted for the entry; the entry stays, struck through, with the reason."""
    today = state.today().isoformat()
    event = _event(
        lambda: retraction(
            ref,
            posted.get("event_id", ""),
            today,
            posted.get("target", ""),
            posted.get("reason", ""),
        ),
        ref,
    )
    case_access.check_write(state, viewer, event, None)
    result = case_access.submit(state, viewer, ref, event)
    saved = "ny" if result.stored else "allerede"
    return RedirectResponse(f"{PREFIX}/saker/{ref}?lagret={saved}#tidslinje", status_code=303)


def _event(build: Callable[[], dict[str, Any]], ref: str) -> dict[str, Any]:
    try:
        return build()
    except FormInvalid as invalid:
        raise PageError(
            "error.not_saved", detail=str(invalid), back=f"{PREFIX}/saker/{ref}"
        ) from None


def _open_stay(state: PagesState, ref: str) -> str | None:
    with state.reading() as tx:
        return open_stay_of(tx, ref)
