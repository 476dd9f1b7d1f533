"""Cases as they stand on a day, across the case read models: which cases match a user's
filters, which teams each belongs to, and each case's waiting-list place, stay, settlement and
Housing First enrolment on the day.

Nothing here holds personal data: the read models never see names or notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from projections.db import Transaction, one_of

HOUSING_FIRST_TEAM = "housing_first"

# The cases that belong to a team: a follow-up by the team, or (Housing First) an enrolment.
TEAM_CASES = (
    "SELECT case_ref FROM rm_follow_up_contacts WHERE team = ?"
    " UNION SELECT case_ref FROM rm_housing_first_enrolments WHERE ? = 'housing_first'"
)
ON_WAITING_LIST = (
    "EXISTS (SELECT 1 FROM rm_waitlist_memberships w WHERE w.case_ref = p.case_ref"
    " AND w.joined_on <= ? AND w.left_on > ?)"
)
IN_STAY = (
    "EXISTS (SELECT 1 FROM rm_stays s WHERE s.case_ref = p.case_ref"
    " AND s.started_on <= ? AND s.ended_on > ?)"
)


@dataclass(frozen=True)
class CaseQuery:
    """Which cases to list: the filters a user chose and the limits of what they may see."""

    group: str | None = None
    team: str | None = None
    on_waiting_list: bool | None = None
    in_temporary_housing: bool | None = None
    only_team: str | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)
    among: frozenset[str] | None = None  # only these cases (a search's), when given


@dataclass(frozen=True)
class Place:
    """A case's place on the waiting list on the day."""

    joined_on: str
    priority: str


@dataclass(frozen=True)
class Stay:
    """The temporary stay that holds the night of the day."""

    stay_ref: str
    kind: str
    started_on: str


@dataclass(frozen=True)
class Settlement:
    """Where the case is settled on the day, and its lease's end if it has one."""

    tenure: str
    dwelling_ref: str | None
    settled_on: str
    lease_until: str | None


@dataclass(frozen=True)
class CaseOnDay:
    """One case as it stands on a day."""

    case_ref: str
    open: bool
    group: str
    adults: int
    children: int
    situation: str
    waiting_list: Place | None
    stay: Stay | None
    settlement: Settlement | None
    housing_first: bool
    teams: list[str]


def _where(query: CaseQuery, day: str, dialect: str) -> tuple[str, list[Any]]:
    conditions = ["p.from_on <= ?", "p.to_on > ?"]
    params: list[Any] = [day, day]
    if query.group is not None:
        conditions.append("p.grp = ?")
        params.append(query.group)
    for team in (query.team, query.only_team):
        if team is not None:
            conditions.append(f"p.case_ref IN ({TEAM_CASES})")
            params += [team, team]
    for wanted, condition in (
        (query.on_waiting_list, ON_WAITING_LIST),
        (query.in_temporary_housing, IN_STAY),
    ):
        if wanted is not None:
            conditions.append(condition if wanted else f"NOT {condition}")
            params += [day, day]
    if query.among is not None:
        among, values = one_of(dialect, "p.case_ref", query.among)
        conditions.append(among)
        params += values
    if query.hidden:
        hidden, values = one_of(dialect, "p.case_ref", query.hidden)
        conditions.append(f"NOT ({hidden})")
        params += values
    return " AND ".join(conditions), params


def matching_cases(
    tx: Transaction, day: str, query: CaseQuery, limit: int, offset: int
) -> tuple[int, list[str]]:
    """How many cases match on the day, and the refs of one page of them, by case ref."""
    where, params = _where(query, day, tx.dialect)
    total = tx.query_one(f"SELECT COUNT(*) FROM rm_case_profile_spans p WHERE {where}", params)
    refs = [
        str(ref)
        for (ref,) in tx.query(
            f"SELECT p.case_ref FROM rm_case_profile_spans p WHERE {where}"
            " ORDER BY p.case_ref LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
    return (int(total[0]) if total else 0), refs


def matching_refs(tx: Transaction, day: str, query: CaseQuery) -> list[str]:
    """The refs of every case that matches on the day, by case ref (no count, no page)."""
    where, params = _where(query, day, tx.dialect)
    return [
        str(ref)
        for (ref,) in tx.query(
            f"SELECT p.case_ref FROM rm_case_profile_spans p WHERE {where} ORDER BY p.case_ref",
            params,
        )
    ]


def team_case_refs(tx: Transaction, team: str) -> set[str]:
    """The cases that belong to a team (`TEAM_CASES`)."""
    return {str(ref) for (ref,) in tx.query(TEAM_CASES, (team, team))}


def teams_of(tx: Transaction, refs: Sequence[str]) -> dict[str, list[str]]:
    """The teams each case belongs to, sorted."""
    teams: dict[str, set[str]] = {ref: set() for ref in refs}
    if not refs:
        return {}
    marks = ", ".join("?" for _ in refs)
    for ref, team in tx.query(
        f"SELECT DISTINCT case_ref, team FROM rm_follow_up_contacts WHERE case_ref IN ({marks})",
        list(refs),
    ):
        teams[str(ref)].add(str(team))
    for (ref,) in tx.query(
        f"SELECT DISTINCT case_ref FROM rm_housing_first_enrolments WHERE case_ref IN ({marks})",
        list(refs),
    ):
        teams[str(ref)].add(HOUSING_FIRST_TEAM)
    return {ref: sorted(found) for ref, found in teams.items()}


def cases_on(tx: Transaction, day: str, refs: Sequence[str]) -> dict[str, CaseOnDay]:
    """Each case's state on the day (cases not opened by then are left out)."""
    if not refs:
        return {}
    marks = ", ".join("?" for _ in refs)

    def on_day(table: str, columns: str, start: str, end: str) -> list[tuple[Any, ...]]:
        return tx.query(
            f"SELECT case_ref, {columns} FROM {table} WHERE case_ref IN ({marks})"
            f" AND {start} <= ? AND {end} > ?",
            [*refs, day, day],
        )

    is_open = {r for r, _ in on_day("rm_case_open_spans", "1", "from_on", "to_on")}
    places = {
        r: Place(joined_on=j, priority=p)
        for r, p, j in on_day(
            "rm_waitlist_memberships", "priority, joined_on", "joined_on", "left_on"
        )
    }
    stays = {
        r: Stay(stay_ref=s, kind=k, started_on=on)
        for r, s, k, on in on_day(
            "rm_stays", "stay_ref, kind, started_on", "started_on", "ended_on"
        )
    }
    leases = dict(on_day("rm_lease_spans", "lease_until", "from_on", "to_on"))
    settlements = {
        r: Settlement(tenure=t, dwelling_ref=d, settled_on=on, lease_until=leases.get(r))
        for r, t, d, on in on_day(
            "rm_settlements", "tenure, dwelling_ref, settled_on", "settled_on", "ended_on"
        )
    }
    enrolled = {r for r, _ in on_day("rm_housing_first_enrolments", "1", "enrolled_on", "ended_on")}
    teams = teams_of(tx, refs)
    found: dict[str, CaseOnDay] = {}
    for ref, group, adults, children, situation in on_day(
        "rm_case_profile_spans", "grp, adults, children, situation", "from_on", "to_on"
    ):
        found[ref] = CaseOnDay(
            case_ref=ref,
            open=ref in is_open,
            group=group,
            adults=adults,
            children=children,
            situation=situation,
            waiting_list=places.get(ref),
            stay=stays.get(ref),
            settlement=settlements.get(ref),
            housing_first=ref in enrolled,
            teams=teams.get(ref, []),
        )
    return found
