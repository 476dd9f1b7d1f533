"""The waiting list and the reports of FIGURES.md."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from api import case_access
from api.dependencies import FreshServices, ReportReader, WaitingListReader
from api.dwelling_views import waiting_list
from api.models import WaitingList
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
    """The status report as of a day, exactly as FIGURES.md defines it."""
    return StatusReport.model_validate(services.reads.status_report(as_of or services.today()))


@router.get("/reports/annual", responses=errors(403, 422))
def get_annual_report(
    services: FreshServices,
    user: ReportReader,
    year: Annotated[int, Query(ge=1900, le=2100, examples=[2023])],
) -> AnnualReport:
    """The annual report for a year, exactly as FIGURES.md defines it."""
    return AnnualReport.model_validate(services.reads.annual_report(year, services.today()))
