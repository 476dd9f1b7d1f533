"""The by-name list on the figures page and the cases behind each of its counts.

The figures page shows each month of the year as counted now (live, late entries included)
beside the figures the worker stored when the month ended (`workers/
count_monthly_by_name_list`), with the difference. Each live count opens the list of the cases
behind it for a viewer who may read cases: restricted cases only for admins, field users only
their team's cases. Every case a list shows is written to the access log. The published
version (small counts hidden) links to no list.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from api import case_access
from api.case_summaries import teams_of
from api.pages.deps import SignedIn, State, Viewer
from api.pages.state import PREFIX, PageError, PageForbidden, PageNotFound, PagesState, render
from api.users import Permission
from domain.contact_names import contact_names
from projections.by_name_list import FIGURES, MonthCases, month_cases
from projections.formats.model import month_name
from projections.labels import label
from projections.monthly_figures import monthly_by_name_figures
from projections.suppression import is_hidden, suppress

router = APIRouter()
CACHED_YEARS = 8
PAGE_CASES = 50
ROUTE = f"GET {PREFIX}/tall/by-name-liste"
FIGURE_NAMES: tuple[str, ...] = ("active", *(name for _, name in FIGURES))
GROUP_OF = {name: group for group, name in FIGURES}


@dataclass(frozen=True)
class Cell:
    """One count of a month: as counted now, as stored when the month ended, and the change."""

    figure: str
    live: int | str  # a number, or a suppression marker in the published version
    counted: int | str | None  # None: the month was not stored
    change: int | None  # live − counted, when both are numbers

    @property
    def label(self) -> str:
        return figure_label(self.figure)


def figure_label(figure: str) -> str:
    """The figure's name as the report tables call it, e.g. «Tilgang: Nye»."""
    group = GROUP_OF.get(figure)
    if group is None:
        return label(f"months.{figure}")
    return f"{label(f'months.{group}')}: {label(f'months.{group}.{figure}')}"


@dataclass(frozen=True)
class Row:
    month: str  # YYYY-MM
    name: str  # «januar 2023»
    cells: list[Cell]
    counted_at: str | None


class MonthCache:
    """The cases behind a year's counts, kept per process until the event store moves: the
    months are counted from the first month end in the store (a hundred and more at country
    scale), and the figures page and every list behind a count ask for the same year."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[tuple[int, int, int, date], list[MonthCases]] = OrderedDict()

    def months(self, state: PagesState, year: int) -> list[MonthCases]:
        position = state.service.max_position()
        state.refresh()  # the read models reach at least `position`
        key = (id(state.services), position, year, state.today())
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        with state.services.reads.reading() as tx:
            months = month_cases(tx, year, key[3])
        with self._lock:
            self._kept[key] = months
            while len(self._kept) > CACHED_YEARS:
                self._kept.popitem(last=False)
        return months


MONTHS = MonthCache()


def _value(month: dict[str, Any], figure: str) -> Any:
    group = GROUP_OF.get(figure)
    return month[figure] if group is None else month[group][figure]


def by_name_rows(state: PagesState, year: int, *, public: bool) -> list[Row]:
    """The year's months, live beside stored, published (small counts hidden) if asked."""
    live: dict[str, Any] = {
        "year": year,
        "months": [m.counts() for m in MONTHS.months(state, year)],
    }
    with state.services.reads.store() as store:
        stored: dict[str, Any] = {
            "year": year,
            "months": monthly_by_name_figures(store, f"{year}-01", f"{year}-12"),
        }
    if public:
        live, stored = suppress(live), suppress(stored)
    counted = {str(m["month"]): m for m in stored["months"]}
    rows = []
    for month in live["months"]:
        then = counted.get(month["month"])
        cells = []
        for figure in FIGURE_NAMES:
            now = _value(month, figure)
            before = None if then is None else _value(then, figure)
            change = (
                now - before
                if isinstance(now, int)
                and isinstance(before, int)
                and not is_hidden(now)
                and not is_hidden(before)
                else None
            )
            cells.append(Cell(figure, now, before, change))
        rows.append(
            Row(
                month["month"],
                month_name(month["month"]),
                cells,
                None if then is None else str(then["counted_at"]),
            )
        )
    return rows


def _month(raw: str) -> tuple[int, int]:
    year, _, month = raw.partition("-")
    if not (len(raw) == 7 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise PageError("error.bad_date")
    if not 1900 <= int(year) <= 2100:
        raise PageError("error.bad_date")
    return int(year), int(month)


def readable_cases(state: PagesState, viewer: Viewer, refs: frozenset[str]) -> list[str]:
    """The cases among `refs` the viewer may read, sorted: restricted ones only for admins,
    for a field user only the cases of their team."""
    hidden = case_access.hidden_cases(state.services, viewer.user)
    wanted = sorted(refs - hidden)
    if viewer.may(Permission.READ_CASES):
        return wanted
    with state.reading() as tx:
        teams = teams_of(tx, wanted)
    team = viewer.user.team
    return [ref for ref in wanted if team is not None and team in teams.get(ref, [])]


@router.get("/tall/by-name-liste/{month}/{figure}", summary="The cases behind a by-name count")
def by_name_cases_page(
    request: Request, state: State, viewer: SignedIn, month: str, figure: str, side: int = 1
) -> Response:
    """The cases behind one count of one month (`figure`: active or a part of the inflow or
    outflow), as counted now, a page at a time; each case shown is logged as a read."""
    if not viewer.may_read_cases:
        raise PageForbidden()
    if figure not in FIGURE_NAMES:
        raise PageNotFound()
    year, _ = _month(month)
    months = {m.month: m for m in MONTHS.months(state, year)}
    if month not in months:
        raise PageNotFound()
    behind = months[month].cases(figure)
    readable = readable_cases(state, viewer, behind)
    pages = max(1, -(-len(readable) // PAGE_CASES))
    side = min(max(side, 1), pages)
    shown = readable[(side - 1) * PAGE_CASES : side * PAGE_CASES]
    state.services.access_log.record_many(viewer.user, shown, ROUTE, now=state.now())
    names = contact_names(state.service, shown)
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "month": month,
        "year": year,
        "figure": figure,
        "month_name": month_name(month),
        "figure_label": figure_label(figure),
        "count": len(behind),
        "readable": len(readable),
        "cases": [(ref, names[ref]) for ref in shown],
        "page": side,
        "pages": pages,
        "active": "figures",
    }
    return render(request, "by_name_cases.html", context)
