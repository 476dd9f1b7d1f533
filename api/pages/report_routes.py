"""The office pages: the reports with charts and downloads, and the dwellings (occupancy per
school district, complaints per address). The waiting list's pages: api/pages/waiting_routes.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from api.pages.by_name_routes import by_name_rows
from api.pages.deps import SignedIn, State
from api.pages.dwelling_figures import complaints_by_address, occupancy
from api.pages.report_files import FILES, report_file
from api.pages.state import PageError, PageNotFound, day_asked, render
from api.users import Permission
from domain.municipality import Municipality
from projections.annual_report import cutoff_of
from projections.formats import render as render_report
from projections.formats import tables_for
from projections.formats.html_page import Series, charts_for, table_html
from projections.formats.model import DistrictConfig
from projections.monthly_series import monthly_series
from projections.status_report import status_figures
from projections.suppression import suppress, suppress_series

router = APIRouter()


def _year(raw: str, default: int) -> int:
    if not raw:
        return default
    if not raw.isdigit() or not 1900 <= int(raw) <= 2100:
        raise PageError("error.bad_date")
    return int(raw)


def _status(state: Any, day: date, public: bool) -> dict[str, Any]:
    with state.reading() as tx:
        report = status_figures(tx, day.isoformat(), _municipality(state).district_codes)
    return suppress(report) if public else report


def _annual(state: Any, year: int, public: bool) -> tuple[dict[str, Any], Series]:
    state.refresh()
    report = state.services.reads.annual_report(year, state.today())
    with state.services.reads.store() as store:
        series = monthly_series(store, year, state.today())
    if public:
        return suppress(report), suppress_series(series)
    return report, series


def _municipality(state: Any) -> Municipality:
    municipality: Municipality = state.services.app.municipality
    return municipality


def _sections(
    report: dict[str, Any], kind: str, series: Series | None, districts: DistrictConfig
) -> dict[str, Any]:
    charts = [
        (Markup(figure), Markup(table_html(numbers)) if numbers else None, numbers)  # noqa: S704
        for figure, numbers in charts_for(report, kind, series, districts)
    ]
    tables = [
        Markup(table_html(table))  # noqa: S704
        for table in tables_for(report, kind, districts)
    ]
    return {"charts": charts, "tables": tables}


@router.get("/tall", summary="The status and annual reports with charts")
def figures_page(
    request: Request,
    state: State,
    viewer: SignedIn,
    dato: str = "",
    aar: str = "",
    offentlig: str = "",
) -> Response:
    """The status report as of a day and the annual report for a year, with downloads."""
    viewer.require(Permission.READ_REPORTS)
    today = state.today()
    day = day_asked(dato, today)
    year = _year(aar, today.year)
    public = offentlig == "1"
    status = _status(state, day, public)
    annual, series = _annual(state, year, public)
    districts = _municipality(state).district_table
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "year": year,
        "public": public,
        "status": _sections(status, "status", None, districts),
        "annual": _sections(annual, "annual", series, districts),
        "by_name": by_name_rows(state, year, public=public),
        "by_name_links": viewer.may_read_cases and not public,
        "active": "figures",
    }
    return render(request, "figures.html", context)


@router.get("/tall/{name}.{fmt}", summary="A report as xlsx, csv or the HTML report")
def download(
    state: State,
    viewer: SignedIn,
    name: str,
    fmt: str,
    dato: str = "",
    aar: str = "",
    offentlig: str = "",
) -> Response:
    """The status report (`status`) or annual report (`arsrapport`) as a spreadsheet (with its
    charts), a CSV, or the self-contained HTML report (shown in the browser)."""
    viewer.require(Permission.READ_REPORTS)
    if fmt not in FILES or name not in ("status", "arsrapport"):
        raise PageNotFound()
    public = offentlig == "1"
    series: Series | None = None
    if name == "status":
        day = day_asked(dato, state.today())
        report, kind, stem = _status(state, day, public), "status", f"status-{day.isoformat()}"
    else:
        year = _year(aar, state.today().year)
        report, series = _annual(state, year, public)
        kind, stem = "annual", f"arsrapport-{year}"
    municipality = _municipality(state)
    body = render_report(
        report,
        kind,
        fmt,
        series=series,
        districts=municipality.district_table,
        heading=municipality.heading,
        municipality=municipality,
        made_on=state.today(),
    )
    return report_file(body, fmt, stem)


@router.get("/boliger", summary="Occupancy per school district and complaints per address")
def dwellings_page(
    request: Request, state: State, viewer: SignedIn, dato: str = "", aar: str = ""
) -> Response:
    """Municipal dwellings per school district as of a day; complaints per address in a year."""
    viewer.require(Permission.READ_DWELLINGS)
    today = state.today()
    day = day_asked(dato, today)
    year = _year(aar, day.year)
    municipality = _municipality(state)
    with state.reading() as tx:
        districts = occupancy(tx, day.isoformat(), municipality.district_table)
        complaints = complaints_by_address(tx, f"{year}-01-01", cutoff_of(year, today).isoformat())
    context = {
        "viewer": viewer,
        "csrf": viewer.session.csrf,
        "day": day.isoformat(),
        "year": year,
        "districts": districts,
        "complaints": complaints,
        "district_names": municipality.district_names,
        "active": "dwellings",
    }
    return render(request, "dwellings.html", context)
