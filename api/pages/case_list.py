"""The cases a field team follows, with what needs attention today, from the read models.

Which cases belong to a team is the read models' rule (`projections.cases_on_day.TEAM_CASES`).
Flags are computed for the day asked about: over 90 nights in a temporary stay, children in
temporary housing, a lease ending within 90 days, and no follow-up (by anyone) for 14 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from projections import cases_on_day
from projections.case_status import cases_in_group_on, open_cases_on, profiles_on
from projections.db import Transaction
from projections.figure_definitions import LEASE_HORIZON_DAYS, LONG_STAY_NIGHTS
from projections.follow_ups import latest_contacts
from projections.history import days_between, shift
from projections.leases import leases_on
from projections.temporary_stays import stays_held_on

FOLLOW_UP_GAP_DAYS = 14
PAGE_SIZE = 50


@dataclass(frozen=True)
class LatestFollowUp:
    on: str
    team: str
    kind: str
    minutes: int


@dataclass
class CaseRow:
    """One case on the list: what the team needs to see at a glance."""

    case_ref: str
    group: str
    adults: int
    children: int
    latest: LatestFollowUp | None = None
    stay_kind: str | None = None
    stay_started: str | None = None
    stay_nights: int | None = None
    lease_until: str | None = None
    flags: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)


def team_case_refs(tx: Transaction, team: str) -> set[str]:
    """The cases that belong to a team, as the read models define it."""
    return cases_on_day.team_case_refs(tx, team)


def open_case_refs(tx: Transaction, day: str) -> set[str]:
    return open_cases_on(tx, day)


def case_rows(
    tx: Transaction, day: str, refs: Iterable[str], *, open_already: bool = False
) -> list[CaseRow]:
    """The open cases among `refs` on the day (all of `refs`, when the caller knows they are
    open), flagged ones first, then by case ref."""
    wanted = sorted(set(refs) if open_already else set(refs) & open_case_refs(tx, day))
    profiles = profiles_on(tx, ((ref, day) for ref in wanted))
    rows = {
        ref: CaseRow(ref, p.group, p.adults, p.children)
        for ref in wanted
        if (p := profiles.get((ref, day))) is not None
    }
    for ref, contact in latest_contacts(tx, day, list(rows)).items():
        if ref in rows:
            rows[ref].latest = LatestFollowUp(
                contact.on, contact.team, contact.kind, contact.minutes
            )
    for stay in stays_held_on(tx, day):
        if stay.case_ref in rows:
            row = rows[stay.case_ref]
            row.stay_kind, row.stay_started = stay.kind, stay.started_on
            row.stay_nights = days_between(stay.started_on, day)
    for ref, until in leases_on(tx, day, list(rows)).items():
        if ref in rows:
            rows[ref].lease_until = until
    for row in rows.values():
        row.flags = flags_of(row, day)
    return sorted(rows.values(), key=lambda r: (-len(r.flags), r.case_ref))


@dataclass(frozen=True)
class ListFilter:
    """What the case list is narrowed to: a group on the day, and only cases in a stay."""

    group: str | None = None
    in_stay: bool = False


@dataclass(frozen=True)
class ListPage:
    """One page of a case list: its rows, which page of how many, and how many cases in all."""

    rows: list[CaseRow]
    page: int
    pages: int
    total: int  # the cases the filter lets through
    first: int  # the number of the page's first case (1-based), 0 when there is none

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def filtered_refs(tx: Transaction, day: str, refs: Iterable[str], chosen: ListFilter) -> list[str]:
    """The open cases among `refs` on the day that pass the filter, by case ref."""
    wanted = set(refs) & open_case_refs(tx, day)
    if chosen.group is not None:
        wanted &= cases_in_group_on(tx, day, chosen.group)
    if chosen.in_stay:
        wanted &= {stay.case_ref for stay in stays_held_on(tx, day)}
    return sorted(wanted)


def page_of(total: int, asked: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """The page to show (the asked one, kept within the pages there are) and how many pages."""
    pages = max(1, -(-total // size))
    return min(max(asked, 1), pages), pages


def list_page(
    tx: Transaction,
    day: str,
    refs: Iterable[str],
    chosen: ListFilter,
    asked: int,
    *,
    flagged_first: bool,
) -> ListPage:
    """A page of the open cases among `refs` that pass the filter. Flagged first (a team's
    list: every row is computed to order them), or by case ref (the office's list of a
    thousand cases and more: only the page's rows are computed)."""
    wanted = filtered_refs(tx, day, refs, chosen)
    page, pages = page_of(len(wanted), asked)
    start = (page - 1) * PAGE_SIZE
    if flagged_first:
        rows = case_rows(tx, day, wanted, open_already=True)[start : start + PAGE_SIZE]
    else:
        shown = wanted[start : start + PAGE_SIZE]
        rows = sorted(case_rows(tx, day, shown, open_already=True), key=lambda r: r.case_ref)
    return ListPage(rows, page, pages, len(wanted), start + 1 if rows else 0)


def flags_of(row: CaseRow, day: str) -> list[str]:
    """The flag text keys that apply to a case row on the day."""
    flags = []
    if row.stay_nights is not None and row.stay_nights > LONG_STAY_NIGHTS:
        flags.append("flag.stay_over_90")
    if row.stay_nights is not None and row.children > 0:
        flags.append("flag.children_in_temporary")
    if row.lease_until is not None and day < row.lease_until <= shift(day, LEASE_HORIZON_DAYS):
        flags.append("flag.lease_ending")
    if row.latest is None or days_between(row.latest.on, day) >= FOLLOW_UP_GAP_DAYS:
        flags.append("flag.no_follow_up_14")
    return flags
