"""The dwelling register page (/app/boligregister): register a dwelling (category, district
from the municipality's list, rooms, address) and retire one, picked by address or ref."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from api.pages.case_routes import Posted
from api.pages.deps import CsrfChecked, SignedIn, State, Viewer
from api.pages.form_fields import Field
from api.pages.forms import (
    DWELLING_REGISTERED,
    DWELLING_RETIRED,
    FormInvalid,
    FormSpec,
    event_from_form,
    new_event_id,
    typed,
)
from api.pages.pickers import DwellingRegister, register_as_stored
from api.pages.refusals import Failed, failed_form, refused_form
from api.pages.state import PREFIX, PagesState, render
from api.users import Permission
from domain.application import Refused
from domain.refs import REF_PATTERN

router = APIRouter()
PAGE = f"{PREFIX}/boligregister"
NUMBERED = re.compile(r"B-(\d+)")
# The dwelling's own ref: typed when registering (a number is suggested), picked when retiring.
REF_FIELD = Field("dwelling", "text", "field.dwelling_ref")


def _register(state: PagesState, *, retired: bool = False) -> DwellingRegister:
    position = state.service.max_position()
    with state.reading() as tx:
        names = state.service.municipality.district_names
        day = state.today().isoformat()
        return register_as_stored(tx, position, day, names, retired=retired, store=id(state))


def next_ref(refs: list[str]) -> str:
    """The next free number in the register's B-NNNN series."""
    numbers = [int(m.group(1)) for ref in refs if (m := NUMBERED.fullmatch(ref))]
    return f"B-{max(numbers, default=0) + 1:04d}"


@router.get("/boligregister", summary="Register and retire dwellings")
def dwelling_register(request: Request, state: State, viewer: SignedIn) -> Response:
    viewer.require(Permission.WRITE_DWELLING_EVENTS)
    return _page(request, state, viewer, None)


def _page(request: Request, state: State, viewer: Viewer, failed: Failed | None) -> Response:
    register = _register(state)
    every = _register(state, retired=True)
    municipality = state.service.municipality
    forms = [
        (spec, failed.event_id if failed and failed.slug == spec.slug else new_event_id())
        for spec in (DWELLING_REGISTERED, DWELLING_RETIRED)
    ]
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "forms": forms,
        "dwellings": register.suggested,
        "dwellings_total": len(register.options),
        "districts": [(d.code, d.name, d.area) for d in municipality.districts],
        "suggested_ref": next_ref([o.ref for o in every.options]),
        "today": state.today().isoformat(),
        "failed": failed,
        "saved": request.query_params.get("lagret"),
        "count": len(register.options),
        "active": "register",
    }
    return render(request, "dwelling_register.html", context, status_code=422 if failed else 200)


@router.post("/boligregister/{slug}", summary="Register or retire a dwelling")
def post_dwelling(
    request: Request, state: State, viewer: SignedIn, _csrf: CsrfChecked, slug: str, posted: Posted
) -> Response:
    """Store the dwelling event once; a refused form is shown again, filled in."""
    viewer.require(Permission.WRITE_DWELLING_EVENTS)
    spec: FormSpec = DWELLING_RETIRED if slug == DWELLING_RETIRED.slug else DWELLING_REGISTERED
    event_id = posted.get("event_id", "")
    try:
        ref = _dwelling_ref(state, spec, posted)
        event = event_from_form(spec, {"dwelling": ref}, event_id, posted)
    except FormInvalid as invalid:
        return _page(request, state, viewer, failed_form(spec.slug, event_id, posted, invalid))
    try:
        result = state.service.submit([(1, event)], default_by=viewer.user.name)
    except Refused as refused:
        fields = (*spec.fields, REF_FIELD)
        failed = refused_form(
            spec.slug, event_id, posted, refused, fields, state.services.reads.reading
        )
        return _page(request, state, viewer, failed)
    saved = "ny" if result.stored else "allerede"
    return RedirectResponse(f"{PAGE}?lagret={saved}", status_code=303)


def _dwelling_ref(state: PagesState, spec: FormSpec, posted: dict[str, str]) -> str:
    raw = typed(posted.get("dwelling", ""))
    if spec is DWELLING_RETIRED:
        found = _register(state).find(raw) if raw else None
        if found is None:
            raise FormInvalid({"dwelling": "form.unknown_dwelling" if raw else "form.required"})
        return found
    if not raw:
        raise FormInvalid({"dwelling": "form.required"})
    if REF_PATTERN.fullmatch(raw) is None:
        raise FormInvalid({"dwelling": "form.bad_ref"})
    return raw
