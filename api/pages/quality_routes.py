"""The data-quality page: each check's cases as of a day, with the household's contact name,
linked to the case pages.

The lists are the API's (`api.data_quality_view`): only the cases the viewer may read, and
every case the page shows (with its name) written to the access log. The overview shows the
first cases of each check; a check opened alone shows its cases a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.data_quality_view import log_shown, visible_checks
from api.pages.deps import SignedIn, State
from api.pages.state import PREFIX, PageForbidden, PageNotFound, day_asked, render
from projections.data_quality import CHECKS

router = APIRouter()
OVERVIEW_CASES = 10
PAGE_CASES = 50
ROUTE = f"GET {PREFIX}/datakvalitet"


@dataclass(frozen=True)
class ListedCase:
    ref: str
    name: str


@dataclass(frozen=True)
class CheckList:
    check: str
    total: int
    cases: list[ListedCase]


@router.get("/datakvalitet", summary="The data-quality lists as of a day")
def data_quality_page(
    request: Request,
    state: State,
    viewer: SignedIn,
    dato: str = "",
    kontroll: str = "",
    side: int = 1,
) -> Response:
    """Every check with its count and first cases, or one check (`kontroll`) a page at a time."""
    if not viewer.may_read_cases:
        raise PageForbidden()
    if kontroll and kontroll not in CHECKS:
        raise PageNotFound()
    day = day_asked(dato, state.today())
    checks = visible_checks(state.services, viewer.user, day)
    if kontroll:
        pages = max(1, -(-len(checks[kontroll]) // PAGE_CASES))
        side = min(max(side, 1), pages)
        start = (side - 1) * PAGE_CASES
        shown = {kontroll: checks[kontroll][start : start + PAGE_CASES]}
    else:
        pages, shown = 1, {name: refs[:OVERVIEW_CASES] for name, refs in checks.items()}
    log_shown(state.services, viewer.user, shown, ROUTE)
    names = {
        ref: str(state.service.case_person(ref).get("name", ""))
        for ref in sorted({ref for refs in shown.values() for ref in refs})
    }
    lists = [
        CheckList(name, len(checks[name]), [ListedCase(ref, names[ref]) for ref in refs])
        for name, refs in shown.items()
    ]
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "lists": lists,
        "check": kontroll or None,
        "page": side,
        "pages": pages,
        "active": "quality",
    }
    return render(request, "quality.html", context)
