"""Cases: the list, one case today, its history and who has read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api import case_access
from api.case_search import MAX_TEXT, search_cases
from api.case_summaries import CaseQuery, list_cases, summaries
from api.dependencies import (
    MAX_OFFSET,
    AccessLogReader,
    AccessReason,
    CaseReader,
    Eraser,
    FreshServices,
    ServicesDep,
)
from api.models import (
    AccessLogEntry,
    CaseAction,
    CaseDetail,
    CaseHistory,
    CasePage,
    HistoryEntry,
    Person,
    RestrictionOut,
)
from api.responses import errors
from api.routers.access_log import entry_out
from api.users import Permission
from domain.case import case_id
from domain.errors import UnknownCase
from domain.refs import CODE_REGEX, REF_REGEX, REF_RULE
from domain.values import GROUPS, TEAMS

router = APIRouter(prefix="/api/cases", tags=["saker"])

CaseRef = Annotated[str, Path(pattern=REF_REGEX, examples=["S-00965"], description=REF_RULE)]


@router.get("", responses=errors(403, 422))
def get_cases(
    services: FreshServices,
    user: CaseReader,
    group: Annotated[
        str | None, Query(pattern=CODE_REGEX, description=f"one of {', '.join(GROUPS)}")
    ] = None,
    team: Annotated[
        str | None, Query(pattern=CODE_REGEX, description=f"one of {', '.join(TEAMS)}")
    ] = None,
    on_waiting_list: bool | None = None,
    in_temporary_housing: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    search: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            description="a part of a name, a national id, a phone number, a case ref, or a"
            " dwelling's address or ref; the cases shown are logged in the access log",
        ),
    ] = None,
) -> CasePage:
    """List cases as they stand today (no names), filtered; field workers see their team's.
    With `search`, only the cases it finds (each one returned is logged as read)."""
    query = CaseQuery(
        group=group,
        team=team,
        on_waiting_list=on_waiting_list,
        in_temporary_housing=in_temporary_housing,
        only_team=None if user.may(Permission.READ_CASES) else user.team,
        hidden=case_access.hidden_cases(services, user),
    )
    if search is not None:
        found = search_cases(
            services, user, search, query, limit=limit, offset=offset, route="GET /api/cases?search"
        )
        with services.reads.reading() as tx:
            shown = summaries(tx, services.today().isoformat(), found.page)
        items = [shown[ref] for ref in found.page if ref in shown]
        return CasePage(items=items, total=found.total, limit=limit, offset=offset)
    with services.reads.reading() as tx:
        total, items = list_cases(tx, services.today().isoformat(), query, limit, offset)
    return CasePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{ref}", responses=errors(403, 404, 422))
def get_case(
    services: FreshServices, user: CaseReader, ref: CaseRef, reason: AccessReason
) -> CaseDetail:
    """One case as it stands today, with its contact person; the read is logged (flagged when
    a field user reads outside their team, which needs `X-Access-Reason`)."""
    case_access.open_case(services, user, ref, "GET /api/cases/{ref}", reason)
    with services.reads.reading() as tx:
        found = summaries(tx, services.today().isoformat(), [ref]).get(ref)
    if found is None:
        raise UnknownCase(f"case {ref} does not exist")
    return CaseDetail(
        **found.model_dump(),
        person=Person(**services.app.case_person(ref)),
        restricted=services.app.is_restricted(ref),
        erased=services.app.keys.erased(case_id(ref)) is not None,
    )


@router.get("/{ref}/history", responses=errors(403, 404, 422))
def get_case_history(
    services: ServicesDep, user: CaseReader, ref: CaseRef, reason: AccessReason
) -> CaseHistory:
    """Every event of the case in recording order, retractions marked; the read is logged
    (flagged when a field user reads outside their team, which needs `X-Access-Reason`)."""
    case_access.open_case(services, user, ref, "GET /api/cases/{ref}/history", reason)
    items = [
        HistoryEntry(
            event=item.record.to_json(),
            recorded_at=item.recorded_at,
            retracted_by=item.retracted_by,
            retraction_reason=item.retraction_reason,
            erased=item.erased,
        )
        for item in services.app.case_history(ref)
    ]
    return CaseHistory(case=ref, items=items)


@router.get("/{ref}/access-log", responses=errors(403, 404, 422))
def get_access_log(
    services: ServicesDep,
    user: AccessLogReader,
    ref: CaseRef,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> list[AccessLogEntry]:
    """Who has read the case's personal data, newest first."""
    services.app.get_case(ref)
    case_access.refuse_restricted(services, user, ref)
    return [entry_out(e) for e in services.access_log.entries(ref, limit)]


@router.post(
    "/{ref}/erasure", status_code=status.HTTP_204_NO_CONTENT, responses=errors(403, 404, 422)
)
def erase_case(services: ServicesDep, user: Eraser, ref: CaseRef, action: CaseAction) -> None:
    """Erase the case's personal data for good (its events stay, read as erased)."""
    services.app.erase_case(ref, reason=action.reason, by=user.name)


@router.post(
    "/{ref}/restriction",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(403, 404, 409, 422),
)
def restrict_case(services: ServicesDep, user: Eraser, ref: CaseRef, action: CaseAction) -> None:
    """Restrict the case (sperring): from now on only admins may read or write it (409
    `already_restricted` if it is)."""
    services.app.restrict_case(ref, reason=action.reason, by=user.name)


@router.post(
    "/{ref}/restriction/lifting",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(403, 404, 409, 422),
)
def lift_restriction(services: ServicesDep, user: Eraser, ref: CaseRef, action: CaseAction) -> None:
    """Lift the case's restriction (409 `not_restricted` if it has none); the restriction and
    its lifting both stay in the case's restriction log."""
    services.app.lift_restriction(ref, reason=action.reason, by=user.name)


@router.get("/{ref}/restrictions", responses=errors(403, 404, 422))
def get_restrictions(services: ServicesDep, user: Eraser, ref: CaseRef) -> list[RestrictionOut]:
    """The case's restrictions and liftings, oldest first, with who, when and why (admins);
    the reasons are opened with the case's key, so the read is logged."""
    case_access.open_case(services, user, ref, "GET /api/cases/{ref}/restrictions", None)
    return [
        RestrictionOut(at=c.at, by=c.by, action=c.action, reason=c.reason)
        for c in services.app.restriction_changes(ref)
    ]
