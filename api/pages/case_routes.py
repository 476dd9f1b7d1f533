"""The case pages: the team's list (Mine), one case's timeline and its forms, and «Ny sak».

A refused form is drawn again, with everything typed in it and the message beside the input at
fault (`projections.refusal_texts.explain`); nothing is stored.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api import case_access as api_case_access
from api.access_log import REASON_MAX, acceptable_reason
from api.name_lists import names_shown
from api.pages import case_access
from api.pages.alerts import alerts_by_case
from api.pages.case_list import ListFilter, list_page, open_case_refs, team_case_refs
from api.pages.case_summary import summary_context, with_restrictions
from api.pages.case_view import timeline
from api.pages.deps import CaseRef, CsrfChecked, SignedIn, State, Viewer, case_ref
from api.pages.forms import (
    FIELD_USER,
    FORMS,
    FORMS_BY_SLUG,
    FormInvalid,
    event_from_form,
    new_event_id,
    retraction,
)
from api.pages.pickers import DwellingRegister, case_choices, register_as_stored
from api.pages.prefill import prefilled
from api.pages.refusals import Failed, failed_form, refused_form
from api.pages.state import PREFIX, PageError, PageForbidden, PageNotFound, PagesState, render
from api.users import Permission
from domain.application import Refused
from domain.errors import UnknownCase
from domain.values import GROUPS

router = APIRouter()
DEFAULT_TEAM = "housing_office"
RETRACTION = "trekk-tilbake"


async def posted_form(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(posted_form)]


@router.get("/mine", summary="The team's cases")
def mine(
    request: Request,
    state: State,
    viewer: SignedIn,
    gruppe: str = "",
    opphold: str = "",
    side: int = 1,
) -> Response:
    """A field user's team's open cases (flagged ones first); a case worker's open cases (by
    case ref). A page at a time, narrowed to a group or to cases in a stay if asked."""
    if not viewer.may_read_cases:
        raise PageForbidden()
    day = state.today().isoformat()
    team = viewer.user.team if not viewer.may(Permission.READ_CASES) else None
    if gruppe and gruppe not in GROUPS:
        raise PageError("error.bad_filter")
    chosen = ListFilter(group=gruppe or None, in_stay=opphold == "1")
    with state.reading() as tx:
        refs = team_case_refs(tx, team) if team is not None else open_case_refs(tx, day)
        refs -= api_case_access.hidden_cases(state.services, viewer.user)
        listed = list_page(tx, day, refs, chosen, side, flagged_first=team is not None)
    alerts = alerts_by_case(state.services.reads, team)
    for row in listed.rows:
        row.alerts = alerts.get(row.case_ref, [])
    filters = {"gruppe": gruppe, "opphold": "1" if chosen.in_stay else ""}
    # The contact names of the cases shown (a page of them); the view is logged with them.
    names = names_shown(
        state.services, viewer.user, [row.case_ref for row in listed.rows], f"GET {PREFIX}/mine"
    )
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "team": team,
        "rows": listed.rows,
        "names": names,
        "total": listed.total,
        "listed": listed,
        "groups": GROUPS,
        "chosen": chosen,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
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
    return _case_page(request, state, viewer, ref, None)


def _case_page(
    request: Request, state: State, viewer: Viewer, ref: str, failed: Failed | None
) -> Response:
    try:
        outside_team = case_access.open_case(state, viewer, ref, f"GET {PREFIX}/saker/{{ref}}")
    except case_access.ReasonRequired:
        return _reason_page(request, viewer, ref, error=False)
    service = state.service
    restricted = service.is_restricted(ref)
    audience = None if outside_team else case_access.audience_of(viewer, restricted=restricted)
    history = service.case_history(ref)
    now = service.get_case(ref).state()
    choices = case_choices(history, now)
    today = state.today().isoformat()
    forms = [
        (form, failed.event_id if failed and failed.slug == form.slug else new_event_id())
        for form in FORMS
        if audience in form.audience and (form.fits(now) or (failed and failed.slug == form.slug))
    ]
    register = None
    if any(f.kind == "dwelling" for form, _ in forms for f in form.fields):
        register = _register(state, today)
    author = viewer.user.name if audience == FIELD_USER else None
    entries = timeline(history, service.zone, may_retract=audience is not None, author=author)
    open_stay = choices["open_stay"][0].label if choices["open_stay"] else None
    erased = any(item.erased for item in history)
    summary = summary_context(state, viewer, ref, history, erased)
    entries = with_restrictions(
        entries,
        service.restriction_changes(ref),
        service.zone,
        show_reasons=summary["admin"] is not None,
    )
    context = {
        **summary,
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "ref": ref,
        "person": service.case_person(ref),
        "erased": erased,
        "entries": entries,
        "retract_ids": {e.event_id: new_event_id() for e in entries if e.can_retract},
        "forms": forms,
        "choices": choices,
        "dwellings": register.suggested if register else [],
        "dwellings_total": len(register.options) if register else 0,
        "open_stay": open_stay,
        "today": today,
        "saved": request.query_params.get("lagret"),
        "outside_team": outside_team,
        "failed": failed,
        "active": "mine",
    }
    if failed is None:
        context.update(prefilled(request, [form for form, _ in forms]))
    return render(request, "case.html", context, status_code=422 if failed else 200)


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
    request: Request,
    state: State,
    viewer: SignedIn,
    _csrf: CsrfChecked,
    ref: CaseRef,
    slug: str,
    posted: Posted,
) -> Response:
    """Store the form's event once, under the id the page gave it; then show the case. A
    refused form is shown again, filled in, with the message beside the input at fault."""
    spec = FORMS_BY_SLUG.get(slug)
    if spec is None:
        raise PageNotFound()
    restricted = state.service.is_restricted(ref)
    if case_access.audience_of(viewer, restricted=restricted) not in spec.audience:
        raise PageForbidden()
    event_id = posted.get("event_id", "")
    try:
        now = state.service.get_case(ref).state()
    except UnknownCase:
        raise PageNotFound("error.unknown_case") from None
    picks_dwelling = any(item.kind == "dwelling" for item in spec.fields)
    try:
        event = event_from_form(
            spec,
            {"case": ref},
            event_id,
            posted,
            team=viewer.user.team or DEFAULT_TEAM,
            choices=case_choices(state.service.case_history(ref), now),
            find_dwelling=_register(state, state.today().isoformat()).find
            if picks_dwelling
            else None,
        )
    except FormInvalid as invalid:
        return _case_page(request, state, viewer, ref, failed_form(slug, event_id, posted, invalid))
    case_access.check_write(state, viewer, event, spec)
    try:
        result = case_access.submit(state, viewer, ref, [event])
    except Refused as refused:
        failed = refused_form(
            slug, event_id, posted, refused, spec.fields, state.services.reads.reading
        )
        return _case_page(request, state, viewer, ref, failed)
    saved = "ny" if result.stored else "allerede"
    return RedirectResponse(f"{PREFIX}/saker/{ref}?lagret={saved}#tidslinje", status_code=303)


@router.post("/saker/{ref}/trekk-tilbake", summary="Retract a wrong entry with a reason")
def post_retraction(
    request: Request,
    state: State,
    viewer: SignedIn,
    _csrf: CsrfChecked,
    ref: CaseRef,
    posted: Posted,
) -> Response:
    """Log an EventRetracted for the entry; the entry stays, struck through, with the reason.
    A field user retracts only what they logged themselves (checked on the server)."""
    today = state.today().isoformat()
    try:
        event = retraction(
            ref,
            posted.get("event_id", ""),
            today,
            posted.get("target", ""),
            posted.get("reason", ""),
        )
    except FormInvalid as invalid:
        raise PageError(
            "error.not_saved", detail=", ".join(invalid.faults), back=f"{PREFIX}/saker/{ref}"
        ) from None
    case_access.check_write(state, viewer, event, None)
    try:
        result = case_access.submit(state, viewer, ref, [event])
    except Refused as refused:
        failed = refused_form(
            RETRACTION, event["id"], posted, refused, (), state.services.reads.reading
        )
        return _case_page(request, state, viewer, ref, failed)
    saved = "ny" if result.stored else "allerede"
    return RedirectResponse(f"{PREFIX}/saker/{ref}?lagret={saved}#tidslinje", status_code=303)


def _register(state: PagesState, day: str) -> DwellingRegister:
    position = state.service.max_position()
    with state.reading() as tx:
        names = state.service.municipality.district_names
        return register_as_stored(tx, position, day, names, store=id(state))
