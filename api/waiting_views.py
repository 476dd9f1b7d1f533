"""The waiting list as a working list, and allocation support, as a user may see them.

Both are for the roles that may read the waiting list case by case (case workers): the rows
come from the read models (projections/working_list.py, projections/allocation.py) without the
restricted cases (admins alone read those, and they do not read the waiting list); the names
are added, and the view logged, by api/name_lists.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api import case_access
from api.services import Services
from api.users import User
from domain.allocation import AllocationRule
from projections.allocation import VacantDwelling, households_that_fit, vacant_dwellings
from projections.working_list import WaitingHousehold, working_list_page


@dataclass(frozen=True)
class Filters:
    """What the list is cut to: a group, a priority (None: all)."""

    group: str | None = None
    priority: str | None = None


def allocation_rule(services: Services) -> AllocationRule:
    rule: AllocationRule = services.app.municipality.allocation
    return rule


def visible_working_list(
    services: Services, user: User, day: date, filters: Filters
) -> list[WaitingHousehold]:
    """The waiting list on the day in its order, cut to the filters, without hidden cases."""
    return visible_page(services, user, day, filters, 0, None)[1]


def visible_page(
    services: Services, user: User, day: date, filters: Filters, offset: int, limit: int | None
) -> tuple[int, list[WaitingHousehold]]:
    """How many households the visible, filtered list holds, and those from `offset` on.

    The read models are caught up first: a list must not miss what was just logged."""
    services.reads.refresh(services.app)
    hidden = case_access.hidden_cases(services, user)
    with services.reads.reading() as tx:
        return working_list_page(
            tx,
            day.isoformat(),
            allocation_rule(services),
            hidden=hidden,
            group=filters.group,
            priority=filters.priority,
            offset=offset,
            limit=limit,
        )


def vacant(services: Services, day: date) -> list[VacantDwelling]:
    """The vacant municipal dwellings on the day (no personal data)."""
    services.reads.refresh(services.app)
    with services.reads.reading() as tx:
        return vacant_dwellings(tx, day.isoformat())


def candidates(
    services: Services, user: User, day: date, dwelling: VacantDwelling
) -> list[WaitingHousehold]:
    """The waiting households that fit the vacant dwelling, in the waiting list's order."""
    hidden = case_access.hidden_cases(services, user)
    with services.reads.reading() as tx:
        return households_that_fit(
            tx, day.isoformat(), dwelling, allocation_rule(services), hidden=hidden
        )
