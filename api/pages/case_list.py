"""The cases a field team follows, with what needs attention today, from the read models.

Which cases belong to a team is the API's rule (`api.case_summaries.TEAM_CASES`). Flags are
computed for the day asked about:
over 90 nights in a temporary stay, children in temporary housing, a lease ending within
90 days, and no follow-up (by anyone) for 14 days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from api.case_summaries import TEAM_CASES
from projections.case_status import profiles_on
from projections.db import Transaction
from projections.history import days_between, shift

LONG_STAY_NIGHTS = 90
LEASE_HORIZON_DAYS = 90
FOLLOW_UP_GAP_DAYS = 14


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
    """The cases that belong to a team, as the API defines it."""
    return {str(ref) for (ref,) in tx.query(TEAM_CASES, (team, team))}


def open_case_refs(tx: Transaction, day: str) -> set[str]:
    return {
        str(ref)
        for (ref,) in tx.query(
            "SELECT case_ref FROM rm_case_open_spans WHERE from_on <= ? AND to_on > ?",
            (day, day),
        )
    }


def case_rows(tx: Transaction, day: str, refs: Iterable[str]) -> list[CaseRow]:
    """The open cases among `refs` on the day, flagged ones first, then by case ref."""
    wanted = sorted(set(refs) & open_case_refs(tx, day))
    profiles = profiles_on(tx, ((ref, day) for ref in wanted))
    rows = {
        ref: CaseRow(ref, p.group, p.adults, p.children)
        for ref in wanted
        if (p := profiles.get((ref, day))) is not None
    }
    for ref, on, team, kind, minutes in tx.query(
        "SELECT case_ref, on_date, team, kind, minutes FROM rm_follow_up_contacts"
        " WHERE on_date <= ? ORDER BY on_date, seq",
        (day,),
    ):
        if ref in rows:
            rows[ref].latest = LatestFollowUp(str(on), str(team), str(kind), int(minutes))
    for ref, kind, started in tx.query(
        "SELECT case_ref, kind, started_on FROM rm_stays WHERE started_on <= ? AND ended_on > ?",
        (day, day),
    ):
        if ref in rows:
            row = rows[ref]
            row.stay_kind, row.stay_started = str(kind), str(started)
            row.stay_nights = days_between(str(started), day)
    for ref, until in tx.query(
        "SELECT case_ref, lease_until FROM rm_lease_spans WHERE from_on <= ? AND to_on > ?",
        (day, day),
    ):
        if ref in rows:
            rows[ref].lease_until = str(until)
    for row in rows.values():
        row.flags = flags_of(row, day)
    return sorted(rows.values(), key=lambda r: (-len(r.flags), r.case_ref))


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
