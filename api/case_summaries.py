"""Cases as they stand on a day, in the API's shapes: lists, filters, teams.

The questions are answered by `projections.cases_on_day`; this module turns its answers into
the API's models. Nothing here holds personal data: the read models never see names or notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from api.models import (
    CaseSummary,
    Household,
    SettlementNow,
    StayNow,
    WaitingListPlace,
)
from projections.cases_on_day import CaseOnDay, CaseQuery, cases_on, matching_cases, teams_of
from projections.db import Transaction

__all__ = ["CaseQuery", "list_cases", "summaries", "teams_of"]


def list_cases(
    tx: Transaction, day: str, query: CaseQuery, limit: int, offset: int
) -> tuple[int, list[CaseSummary]]:
    """The total matching and one page of them, ordered by case ref."""
    total, refs = matching_cases(tx, day, query, limit, offset)
    found = summaries(tx, day, refs)
    return total, [found[ref] for ref in refs if ref in found]


def summaries(tx: Transaction, day: str, refs: Sequence[str]) -> dict[str, CaseSummary]:
    """Each case's state on the day (cases not opened by then are left out)."""
    return {ref: _summary(case) for ref, case in cases_on(tx, day, refs).items()}


def _summary(case: CaseOnDay) -> CaseSummary:
    place, stay, settlement = case.waiting_list, case.stay, case.settlement
    return CaseSummary(
        ref=case.case_ref,
        open=case.open,
        group=case.group,
        household=Household(adults=case.adults, children=case.children),
        situation=case.situation,
        waiting_list=None
        if place is None
        else WaitingListPlace(
            joined_on=date.fromisoformat(place.joined_on), priority=place.priority
        ),
        temporary_stay=None
        if stay is None
        else StayNow(
            stay=stay.stay_ref, kind=stay.kind, started_on=date.fromisoformat(stay.started_on)
        ),
        settlement=None
        if settlement is None
        else SettlementNow(
            tenure=settlement.tenure,
            dwelling=settlement.dwelling_ref,
            settled_on=date.fromisoformat(settlement.settled_on),
            lease_until=None
            if settlement.lease_until is None
            else date.fromisoformat(settlement.lease_until),
        ),
        housing_first=case.housing_first,
        teams=case.teams,
    )
