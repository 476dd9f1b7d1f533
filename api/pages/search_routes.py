"""The search page (/app/sok): the cases the one search box in every page's header finds,
with the household's contact name, group and situation, each a link to the case.

The cases are the viewer's case list narrowed by the search (api/case_search.py): a field
user's team's cases, restricted ones for admins only; each case shown is logged as read.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import case_access
from api.case_search import cleaned, search_cases
from api.case_summaries import summaries
from api.pages.deps import SignedIn, State
from api.pages.state import PREFIX, PageForbidden, render
from api.users import Permission
from domain.contact_names import contact_names
from projections.cases_on_day import CaseQuery

router = APIRouter()
PAGE_SIZE = 50


@dataclass(frozen=True)
class Hit:
    """One case on the search page."""

    ref: str
    name: str
    group: str
    situation: str
    open: bool


@router.get("/sok", summary="Search for a person or a case")
def search_page(
    request: Request, state: State, viewer: SignedIn, q: str = "", side: str = "1"
) -> Response:
    """The cases the text finds among those the viewer may see, a page of 50 at a time."""
    if not viewer.may_read_cases:
        raise PageForbidden()
    text = cleaned(q)
    page = int(side) if side.isascii() and side.isdigit() and 0 < len(side) < 6 else 1
    page = max(1, page)
    hits: list[Hit] = []
    total = 0
    if text:
        state.refresh()
        query = CaseQuery(
            only_team=None if viewer.may(Permission.READ_CASES) else viewer.user.team,
            hidden=case_access.hidden_cases(state.services, viewer.user),
        )
        found = search_cases(
            state.services,
            viewer.user,
            text,
            query,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            route=f"GET {PREFIX}/sok",
        )
        total = found.total
        with state.services.reads.reading() as tx:
            shown = summaries(tx, state.today().isoformat(), found.page)
        names = contact_names(state.service, found.page)
        hits = [
            Hit(ref, names[ref], s.group, s.situation, s.open)
            for ref in found.page
            if (s := shown.get(ref)) is not None
        ]
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "search_text": text,
        "hits": hits,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "active": "search",
    }
    return render(request, "search.html", context)
