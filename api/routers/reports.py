"""The waiting list and the reports of docs/figures.md."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from api import case_access
from api.data_quality_view import log_shown, visible_checks
from api.dependencies import CaseReader, FreshServices, ReportReader, WaitingListReader
from api.dwelling_views import waiting_list
from api.models import WaitingList
from api.outcome_models import DataQualityLists, OutcomeReport
from api.report_models import AnnualReport, StatusReport
from api.responses import errors

router = APIRouter(prefix="/api", tags=["rapporter"])

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic alone would read `0.0` or `1700000000` as a Unix time."""
    if isinstance(value, str) and not ISO_DAY.fullmatch(value):
        raise ValueError("expected a date YYYY-MM-DD")
    return value


AsOf = Annotated[
    date | None, BeforeValidator(iso_day), Query(description="the day (default today)")
]


@router.get("/waiting-list", responses=errors(403, 422))
def get_waiting_list(
    services: FreshServices, user: WaitingListReader, as_of: AsOf = None
) -> WaitingList:
    """The waiting list on a day by priority and waiting time (case refs, no names)."""
    day = as_of or services.today()
    with services.reads.reading() as tx:
        items = waiting_list(tx, day, case_access.hidden_cases(services, user))
    return WaitingList(as_of=day, total=len(items), items=items)


@router.get("/reports/status", responses=errors(403, 422))
def get_status_report(
    services: FreshServices, user: ReportReader, as_of: AsOf = None
) -> StatusReport:
    """The status report as of a day, exactly as docs/figures.md defines it."""
    return StatusReport.model_validate(services.reads.status_report(as_of or services.today()))


@router.get("/reports/annual", responses=errors(403, 422))
def get_annual_report(
    services: FreshServices,
    user: ReportReader,
    year: Annotated[int, Query(ge=1900, le=2100, examples=[2023])],
) -> AnnualReport:
    """The annual report for a year, exactly as docs/figures.md defines it."""
    return AnnualReport.model_validate(services.reads.annual_report(year, services.today()))


@router.get("/reports/outcomes", responses=errors(403, 422))
def get_outcome_report(
    services: FreshServices,
    user: ReportReader,
    year: Annotated[int, Query(ge=1900, le=2100, examples=[2024])],
) -> OutcomeReport:
    """The outcome report for a year (KOSTRA skjema 13 and the outcomes of the help), exactly
    as docs/figures.md defines it."""
    return OutcomeReport.model_validate(services.reads.outcome_report(year, services.today()))


@router.get("/reports/data-quality", responses=errors(403, 422))
def get_data_quality(
    services: FreshServices, user: CaseReader, as_of: AsOf = None
) -> DataQualityLists:
    """The data-quality work lists on a day (case refs): only the cases the user may read
    (restricted ones for admins alone, a field user's own team's); each case listed is logged
    in the access log."""
    day = as_of or services.today()
    checks = visible_checks(services, user, day)
    log_shown(services, user, checks, "GET /api/reports/data-quality")
    return DataQualityLists.model_validate({"as_of": day, "checks": checks})
