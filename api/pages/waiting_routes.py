"""The waiting list as a working list (/app/venteliste, and its xlsx for the allocation
meeting) and allocation support (/app/tildeling): issue 13.

The totals by group and priority are for every role that reads reports; the households, with
their contact names, only for the roles that read the waiting list case by case. Every view
that shows names is written to the access log with the cases it shows (api/name_lists.py): a
page of the list, the download (every case in it), a vacant dwelling's fitting households.

Choosing a household for a vacant dwelling opens its case page with the settlement form filled
in through query parameters the case page reads: `?skjema=Settled&dwelling=REF&on=DAY` and
`tenure=municipal_rental`.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.name_lists import names_shown
from api.pages.deps import SignedIn, State, Viewer
from api.pages.report_files import report_file
from api.pages.state import PREFIX, PageError, PageForbidden, PageNotFound, day_asked, render
from api.users import Permission
from api.waiting_views import (
    Filters,
    allocation_rule,
    candidates,
    vacant,
    visible_page,
    visible_working_list,
)
from domain.refs import REF_PATTERN
from domain.values import GROUPS, PRIORITIES
from projections.formats.waiting_sheet import waiting_list_workbook
from projections.labels import code_label, label
from projections.waiting_list import status_section

router = APIRouter()
PAGE_ROWS = 100
LIST_ROUTE = f"GET {PREFIX}/venteliste"
FILE_ROUTE = f"GET {PREFIX}/venteliste.xlsx"
FITS_ROUTE = f"GET {PREFIX}/tildeling/{{dwelling}}"
SETTLE_TENURE = "municipal_rental"


def _filters(gruppe: str, prioritet: str) -> Filters:
    if (gruppe and gruppe not in GROUPS) or (prioritet and prioritet not in PRIORITIES):
        raise PageError("waiting.bad_filter")
    return Filters(group=gruppe or None, priority=prioritet or None)


def _require_list(viewer: Viewer) -> None:
    if not viewer.may(Permission.READ_WAITING_LIST):
        raise PageForbidden()


@router.get("/venteliste", summary="The waiting list as of a day")
def waiting_list_page(
    request: Request,
    state: State,
    viewer: SignedIn,
    dato: str = "",
    gruppe: str = "",
    prioritet: str = "",
    side: int = 1,
) -> Response:
    """Totals by group and priority; for case workers the households in order, with names,
    filtered by group and priority, a page (100) at a time."""
    if not (viewer.may(Permission.READ_REPORTS) or viewer.may(Permission.READ_WAITING_LIST)):
        raise PageForbidden()
    day = day_asked(dato, state.today())
    filters = _filters(gruppe, prioritet)
    with state.reading() as tx:
        figures = status_section(tx, day.isoformat())
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "figures": figures,
        "members": None,
        "groups": GROUPS,
        "priorities": PRIORITIES,
        "group": gruppe,
        "priority": prioritet,
        "active": "waiting",
    }
    if viewer.may(Permission.READ_WAITING_LIST):
        total, shown = visible_page(
            state.services, viewer.user, day, filters, (max(side, 1) - 1) * PAGE_ROWS, PAGE_ROWS
        )
        pages = max(1, -(-total // PAGE_ROWS))
        if side > pages:  # past the end: the last page
            side = pages
            total, shown = visible_page(
                state.services, viewer.user, day, filters, (side - 1) * PAGE_ROWS, PAGE_ROWS
            )
        side = max(side, 1)
        names = names_shown(state.services, viewer.user, [r.case_ref for r in shown], LIST_ROUTE)
        query = {"dato": day.isoformat(), "gruppe": gruppe, "prioritet": prioritet}
        context.update(
            members=shown,
            first=(side - 1) * PAGE_ROWS + 1,
            total_rows=total,
            names=names,
            page=side,
            pages=pages,
            query=urlencode(query),
        )
    return render(request, "waiting_list.html", context)


@router.get("/venteliste.xlsx", summary="The waiting list for the allocation meeting")
def waiting_list_file(
    state: State, viewer: SignedIn, dato: str = "", gruppe: str = "", prioritet: str = ""
) -> Response:
    """Every household of the (filtered) list, with names, as a workbook; a read of each."""
    _require_list(viewer)
    day = day_asked(dato, state.today())
    filters = _filters(gruppe, prioritet)
    rows = visible_working_list(state.services, viewer.user, day, filters)
    names = names_shown(state.services, viewer.user, [r.case_ref for r in rows], FILE_ROUTE)
    chosen = [
        code_label("group", gruppe) if gruppe else "",
        code_label("priority", prioritet) if prioritet else "",
    ]
    municipality = state.service.municipality
    body = waiting_list_workbook(
        rows,
        names,
        day.isoformat(),
        ", ".join(c for c in chosen if c) or label("waiting_households.all"),
        heading=municipality.heading,
        municipality=municipality,
        made_on=state.today(),
    )
    return report_file(body, "xlsx", f"venteliste-{day.isoformat()}")


@router.get("/tildeling", summary="Vacant municipal dwellings as of a day")
def allocation_page(request: Request, state: State, viewer: SignedIn, dato: str = "") -> Response:
    """The vacant municipal dwellings, longest vacant first (no names: nothing is logged)."""
    _require_list(viewer)
    day = day_asked(dato, state.today())
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "dwellings": vacant(state.services, day),
        "district_names": state.service.municipality.district_names,
        "dwelling": None,
        "active": "allocation",
    }
    return render(request, "allocation.html", context)


@router.get("/tildeling/{dwelling}", summary="The waiting households that fit a dwelling")
def allocation_fits(
    request: Request, state: State, viewer: SignedIn, dwelling: str, dato: str = ""
) -> Response:
    """A vacant dwelling and the households that fit it, in the waiting list's order, each
    with a link to its case page's settlement form filled in for this dwelling and day."""
    _require_list(viewer)
    if REF_PATTERN.fullmatch(dwelling) is None:
        raise PageError("error.bad_ref")
    day = day_asked(dato, state.today())
    found = next((d for d in vacant(state.services, day) if d.dwelling_ref == dwelling), None)
    if found is None:
        raise PageNotFound("allocation.not_vacant", back=f"{PREFIX}/tildeling?dato={day}")
    fits = candidates(state.services, viewer.user, day, found)
    names = names_shown(state.services, viewer.user, [r.case_ref for r in fits], FITS_ROUTE)
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "dwelling": found,
        "district_names": state.service.municipality.district_names,
        "fits": fits,
        "names": names,
        "settle": {r.case_ref: settle_link(r.case_ref, dwelling, day) for r in fits},
        "extra_rooms": allocation_rule(state.services).extra_rooms,
        "active": "allocation",
    }
    return render(request, "allocation.html", context)


def settle_link(case: str, dwelling: str, day: date) -> str:
    """The case page with its settlement form filled in for the dwelling on the day."""
    query = {"skjema": "Settled", "dwelling": dwelling, "on": day.isoformat()}
    query["tenure"] = SETTLE_TENURE
    return f"{PREFIX}/saker/{case}?{urlencode(query)}#skjema-bosetting"
