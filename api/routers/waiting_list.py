"""The waiting list as a working list (issue 13): its households in order, with names."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.dependencies import FreshServices, WaitingListReader
from api.name_lists import names_shown
from api.responses import errors
from api.routers.reports import AsOf
from api.waiting_views import Filters, visible_working_list
from domain.refs import CODE_REGEX
from domain.values import GROUPS, PRIORITIES

router = APIRouter(prefix="/api", tags=["rapporter"])
ROUTE = "GET /api/waiting-list/households"


class WaitingHouseholdOut(BaseModel):
    """One household on the waiting list: where it stands and what it needs."""

    position: int = Field(examples=[1], description="1 for the top of the (filtered) list")
    case: str = Field(examples=["S-00012"])
    name: str = Field(description="the contact person; «[slettet]» when erased")
    group: str
    adults: int
    children: int
    rooms_needed: int = Field(description="by the municipality's allocation rule")
    priority: str
    joined_on: date
    days_waited: int
    situation: str
    stay_kind: str | None
    stay_started: date | None
    appeal_pending: bool


class WaitingHouseholds(BaseModel):
    as_of: date
    total: int
    items: list[WaitingHouseholdOut]


@router.get("/waiting-list/households", responses=errors(403, 422))
def get_waiting_households(
    services: FreshServices,
    user: WaitingListReader,
    as_of: AsOf = None,
    group: Annotated[
        str | None, Query(pattern=CODE_REGEX, description=f"one of {', '.join(GROUPS)}")
    ] = None,
    priority: Annotated[
        str | None, Query(pattern=CODE_REGEX, description=f"one of {', '.join(PRIORITIES)}")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 5000,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> WaitingHouseholds:
    """The households on the waiting list on a day, by priority and then days waited, with
    their contact names; the read of each case returned is logged."""
    day = as_of or services.today()
    rows = visible_working_list(services, user, day, Filters(group, priority))
    page = rows[offset : offset + limit]
    names = names_shown(services, user, [r.case_ref for r in page], ROUTE)
    items = [
        WaitingHouseholdOut(
            position=offset + number,
            case=r.case_ref,
            name=names[r.case_ref],
            group=r.group,
            adults=r.adults,
            children=r.children,
            rooms_needed=r.rooms_needed,
            priority=r.priority,
            joined_on=date.fromisoformat(r.joined_on),
            days_waited=r.days_waited,
            situation=r.situation,
            stay_kind=r.stay_kind,
            stay_started=None if r.stay_started is None else date.fromisoformat(r.stay_started),
            appeal_pending=r.appeal_pending,
        )
        for number, r in enumerate(page, start=1)
    ]
    return WaitingHouseholds(as_of=day, total=len(rows), items=items)
